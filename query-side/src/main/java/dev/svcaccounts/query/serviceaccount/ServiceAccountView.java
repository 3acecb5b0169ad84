package dev.svcaccounts.query.serviceaccount;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
record ServiceAccountView(String id, String name, String description, String status, Instant createdAt,
                          PrincipalView createdBy, Instant updatedAt, Instant deactivatedAt, String deactivationReason,
                          Instant deletedAt, int activeTokens, List<TokenView> tokens) {

    record PrincipalView(String type, String id) {
    }

    ServiceAccountView withTokens(List<TokenView> allTokens) {
        return new ServiceAccountView(id, name, description, status, createdAt, createdBy, updatedAt, deactivatedAt,
                deactivationReason, deletedAt, activeTokens, allTokens);
    }
}
