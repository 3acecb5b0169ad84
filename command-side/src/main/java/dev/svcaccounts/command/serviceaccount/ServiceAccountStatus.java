package dev.svcaccounts.command.serviceaccount;

public enum ServiceAccountStatus {
    ACTIVE,
    DEACTIVATED
}
