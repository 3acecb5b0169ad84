package dev.svcaccounts.command.serviceaccount;

/** What a command handler returns about an account, and what the command API answers with. */
public record ServiceAccountState(String id, String name, String description, ServiceAccountStatus status) {

    ServiceAccountState withName(String newName, String newDescription) {
        return new ServiceAccountState(id, newName, newDescription, status);
    }

    ServiceAccountState withStatus(ServiceAccountStatus newStatus) {
        return new ServiceAccountState(id, name, description, newStatus);
    }
}
