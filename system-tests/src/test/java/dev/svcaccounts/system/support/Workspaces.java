package dev.svcaccounts.system.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sets up the principals a test acts as: workspaces with their admin, then users and service accounts in them,
 * each a {@link Principal} holding the token its creation returned. Fails the test unless each step succeeds.
 */
public final class Workspaces {

    private final Api api;
    private final AtomicInteger sequence = new AtomicInteger();

    public Workspaces(Api api) {
        this.api = api;
    }

    /** {@code prefix-N}: a name no other call of this instance returns. */
    public String unique(String prefix) {
        return prefix + "-" + sequence.incrementAndGet();
    }

    /** A workspace of the caller's own, named {@link #unique}; returns its admin, "alice". */
    public Principal fresh(String prefix) {
        return fresh(prefix, "alice");
    }

    /** A workspace of the caller's own, named {@link #unique}; returns its admin. */
    public Principal fresh(String prefix, String adminUsername) {
        return create(unique(prefix), adminUsername);
    }

    /** Workspace {@code ws}, created by the operator; returns its admin. */
    public Principal create(String ws, String adminUsername) {
        JsonNode created = api.createWorkspace(ws, adminUsername);
        return Principal.of(ws, Principal.USER, adminUsername, adminUsername, created.path("token"));
    }

    /** A user added to {@code admin}'s workspace with this workspace role. */
    public Principal user(Principal admin, String username, String role) {
        JsonNode added = api.addMember(admin.ws(), admin.token(), username, role);
        assertThat(added.path("username").asText()).isEqualTo(username);
        assertThat(added.path("role").asText()).isEqualTo(role);
        return Principal.of(admin.ws(), Principal.USER, username, username, added.path("token"));
    }

    /** A service account created by {@code admin} in its workspace. */
    public Principal serviceAccount(Principal admin, String name) {
        JsonNode created = api.createServiceAccount(admin.ws(), admin.token(), name);
        return Principal.of(admin.ws(), Principal.SERVICE_ACCOUNT, created.path("id").asText(), name,
                created.path("token"));
    }
}
