package dev.svcaccounts.query.history;

import dev.svcaccounts.credentials.ProjectAccessStore.ProjectAccessView;
import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.events.MemberRemovedEvent;
import dev.svcaccounts.events.MemberRoleChangedEvent;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.ProjectAccess;
import dev.svcaccounts.events.ProjectCreatedEvent;
import dev.svcaccounts.events.ProjectDeletedEvent;
import dev.svcaccounts.events.ProjectRenamedEvent;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectRoleAssignedEvent;
import dev.svcaccounts.events.ProjectRoleRemovedEvent;
import dev.svcaccounts.events.ProjectVisibility;
import dev.svcaccounts.events.ProjectVisibilityChangedEvent;
import dev.svcaccounts.events.ServiceAccountCreatedEvent;
import dev.svcaccounts.events.ServiceAccountDeactivatedEvent;
import dev.svcaccounts.events.ServiceAccountDeletedEvent;
import dev.svcaccounts.events.ServiceAccountReactivatedEvent;
import dev.svcaccounts.events.ServiceAccountUpdatedEvent;
import dev.svcaccounts.events.TokenExchange;
import dev.svcaccounts.events.TokenExpiryShortenedEvent;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenPolicySetEvent;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.events.TokenScope;
import dev.svcaccounts.events.UserAddedEvent;
import dev.svcaccounts.events.WorkspaceCreatedEvent;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.query.AccessibleProjectView;
import dev.svcaccounts.query.PrincipalView;
import dev.svcaccounts.query.TokenExchangeView;
import dev.svcaccounts.query.TokenView;
import dev.svcaccounts.query.policy.TokenPolicyView;
import dev.svcaccounts.query.project.ProjectAccessListing;
import dev.svcaccounts.query.project.ProjectAccessListing.Candidate;
import dev.svcaccounts.query.serviceaccount.ServiceAccountView;
import dev.svcaccounts.query.serviceaccount.ServiceAccountView.ProjectRoleView;
import org.axonframework.eventhandling.EventMessage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A workspace as the read models had it at one instant, rebuilt in memory from the Workspace aggregate's own
 * events up to that instant. Each event is applied as the projections apply it ({@code ServiceAccountProjection}
 * with its {@code TokenMetadataTable}, {@code ProjectProjection}, {@code MemberProjection}), and a service
 * account's effective access as the command side's access tables hold it, so that the views built here are the
 * ones the current endpoints gave at that instant.
 */
final class WorkspaceAt {

    private static final String ACTIVE = ProjectAccessListing.ACTIVE;

    private final Instant at;
    private boolean existed;
    private final Map<String, Account> accounts = new HashMap<>();
    private final Map<String, Token> serviceAccountTokens = new HashMap<>();
    private final Map<String, WorkspaceRole> members = new HashMap<>();
    private final Map<String, Project> projects = new HashMap<>();
    private final Map<AssignmentKey, Assignment> assignments = new HashMap<>();
    private TokenPolicyView tokenPolicy = TokenPolicyView.DEFAULT;
    private final FederationRulesAt federationRules = new FederationRulesAt();

    private WorkspaceAt(Instant at) {
        this.at = at;
    }

    /**
     * Applies {@code events}, in sequence order, up to the first one stamped after {@code at}. Stopping there
     * rather than skipping it keeps the result a state the projections, which apply events in order, passed
     * through, even if the command nodes' clocks disagree a little.
     */
    static WorkspaceAt replay(Iterator<? extends EventMessage<?>> events, Instant at) {
        WorkspaceAt state = new WorkspaceAt(at);
        while (events.hasNext()) {
            EventMessage<?> event = events.next();
            if (event.getTimestamp().isAfter(at)) {
                break;
            }
            state.apply(event.getPayload(), event.getTimestamp(),
                    metaData(event, AuditMetadata.ACTOR_TYPE), metaData(event, AuditMetadata.ACTOR_ID));
        }
        return state;
    }

    /** False before the workspace was created. */
    boolean existed() {
        return existed;
    }

    /** The account as {@code GET .../service-accounts/{id}} showed it; empty if it did not exist yet. */
    Optional<ServiceAccountView> serviceAccount(String id) {
        Account account = accounts.get(id);
        if (account == null) {
            return Optional.empty();
        }
        List<TokenView> tokens = serviceAccountTokens.values().stream()
                .filter(token -> token.ownerId.equals(id))
                .sorted(Comparator.comparing((Token token) -> token.createdAt).thenComparing(token -> token.id))
                .map(this::view)
                .toList();
        int activeTokens = (int) tokens.stream().filter(token -> token.status().equals("active")).count();
        PrincipalRef principal = PrincipalRef.serviceAccount(id);
        List<ProjectRoleView> assigned = assignments.entrySet().stream()
                .filter(assignment -> assignment.getKey().assignee().equals(principal))
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(AssignmentKey::projectKey)))
                .map(assignment -> new ProjectRoleView(assignment.getKey().projectKey(),
                        assignment.getValue().role().wireName()))
                .toList();
        ServiceAccountView view = new ServiceAccountView(id, account.name, account.description, account.status,
                account.createdAt, account.createdBy, account.updatedAt, account.deactivatedAt,
                account.deactivationReason, account.deletedAt, activeTokens, null, null, null, null);
        return Optional.of(view.withDetails(tokens, assigned, effectiveAccess(principal, account),
                federationRules.of(id)));
    }

    /** The credential policy {@code GET .../policies/tokens} showed (the read model's timestamps, in microseconds). */
    TokenPolicyView tokenPolicy() {
        return tokenPolicy;
    }

    /** The listing {@code GET .../projects/{key}/access} gave; empty if no project had that key then. */
    Optional<ProjectAccessListing.Listing> projectAccess(String key) {
        Project project = projects.get(key);
        if (project == null) {
            return Optional.empty();
        }
        TreeSet<String> users = new TreeSet<>(members.keySet());
        assignments.keySet().stream()
                .filter(assignment -> assignment.projectKey().equals(key)
                        && assignment.assignee().type() == PrincipalType.USER)
                .forEach(assignment -> users.add(assignment.assignee().id()));
        List<Candidate> candidates = new ArrayList<>();
        for (String username : users) {
            Assignment explicit = assignments.get(new AssignmentKey(key, PrincipalRef.user(username)));
            candidates.add(candidate(PrincipalType.USER, username, username, members.get(username), ACTIVE, explicit));
        }
        assignments.forEach((assignment, explicit) -> {
            if (assignment.projectKey().equals(key) && assignment.assignee().type() == PrincipalType.SERVICE_ACCOUNT) {
                Account account = accounts.get(assignment.assignee().id());
                candidates.add(candidate(PrincipalType.SERVICE_ACCOUNT, assignment.assignee().id(),
                        account == null ? null : account.name, null, account == null ? ACTIVE : account.status,
                        explicit));
            }
        });
        return Optional.of(ProjectAccessListing.of(key, project.visibility(), candidates));
    }

    /** As the access tables give it: nothing unless the account is active, then its assignments, by key. */
    private List<AccessibleProjectView> effectiveAccess(PrincipalRef principal, Account account) {
        if (!ACTIVE.equals(account.status)) {
            return List.of();
        }
        return AccessibleProjectView.of(projects.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(project -> {
                    Assignment explicit = assignments.get(new AssignmentKey(project.getKey(), principal));
                    ProjectVisibility visibility = project.getValue().visibility();
                    return new ProjectAccessView(project.getKey(), project.getValue().name(), visibility,
                            ProjectAccess.resolve(principal.type(), null, true, visibility,
                                    explicit == null ? null : explicit.role()));
                })
                .toList());
    }

    private TokenView view(Token token) {
        return new TokenView(token.id, token.hint, token.description,
                TokenView.status(token.expiresAt, token.revokedAt, at), token.createdAt, token.createdBy,
                token.expiresAt, token.revokedAt, token.revokedReason, TokenScope.wireNames(token.scope),
                token.rotatedFrom, token.rotatedTo, TokenExchangeView.of(token.exchange));
    }

    private static Candidate candidate(PrincipalType type, String id, String name, WorkspaceRole workspaceRole,
                                       String status, Assignment explicit) {
        return explicit == null
                ? new Candidate(type, id, name, workspaceRole, status, null, null, null)
                : new Candidate(type, id, name, workspaceRole, status, explicit.role(), explicit.at(), explicit.by());
    }

    private void apply(Object payload, Instant time, String actorType, String actorId) {
        if (federationRules.apply(payload, time, PrincipalView.of(actorType, actorId))) {
            return;
        }
        if (payload instanceof WorkspaceCreatedEvent) {
            existed = true;
        } else if (payload instanceof UserAddedEvent e) {
            members.put(e.username(), e.role());
        } else if (payload instanceof MemberRoleChangedEvent e) {
            members.replace(e.username(), e.role());
        } else if (payload instanceof MemberRemovedEvent e) {
            members.remove(e.username());
        } else if (payload instanceof ServiceAccountCreatedEvent e) {
            accounts.putIfAbsent(e.serviceAccountId(), new Account(e, time, PrincipalView.of(actorType, actorId)));
        } else if (payload instanceof ServiceAccountUpdatedEvent e) {
            account(e.serviceAccountId()).ifPresent(account -> account.updated(e, time));
        } else if (payload instanceof ServiceAccountDeactivatedEvent e) {
            account(e.serviceAccountId()).ifPresent(account -> account.deactivated(e.reason(), time));
        } else if (payload instanceof ServiceAccountReactivatedEvent e) {
            account(e.serviceAccountId()).ifPresent(account -> account.reactivated(time));
        } else if (payload instanceof ServiceAccountDeletedEvent e) {
            account(e.serviceAccountId()).ifPresent(account -> account.deleted(time));
        } else if (payload instanceof TokenIssuedEvent e && e.owner().type() == PrincipalType.SERVICE_ACCOUNT) {
            serviceAccountTokens.putIfAbsent(e.tokenId(), new Token(e, time, actorId));
            Token replaced = e.rotatedFrom() == null ? null : serviceAccountTokens.get(e.rotatedFrom());
            if (replaced != null) {
                replaced.rotatedTo = e.tokenId();
            }
        } else if (payload instanceof TokenRevokedEvent e && e.owner().type() == PrincipalType.SERVICE_ACCOUNT) {
            Token token = serviceAccountTokens.get(e.tokenId());
            if (token != null) {
                token.revokedAt = time;
                token.revokedReason = e.cause().name().toLowerCase();
            }
        } else if (payload instanceof TokenExpiryShortenedEvent e
                && e.owner().type() == PrincipalType.SERVICE_ACCOUNT) {
            Token token = serviceAccountTokens.get(e.tokenId());
            Instant expiresAt = asStored(e.expiresAt());
            if (token != null && (token.expiresAt == null || token.expiresAt.isAfter(expiresAt))) {
                token.expiresAt = expiresAt;
            }
        } else if (payload instanceof TokenPolicySetEvent e) {
            tokenPolicy = TokenPolicyView.of(e.policy(), e.enforce(), asStored(e.idleCountsFrom()), asStored(time),
                    PrincipalView.of(actorType, actorId));
        } else if (payload instanceof ProjectCreatedEvent e) {
            projects.put(e.projectKey(), new Project(e.name(), e.visibility()));
        } else if (payload instanceof ProjectRenamedEvent e) {
            projects.computeIfPresent(e.projectKey(), (key, p) -> new Project(e.name(), p.visibility()));
        } else if (payload instanceof ProjectVisibilityChangedEvent e) {
            projects.computeIfPresent(e.projectKey(), (key, p) -> new Project(p.name(), e.visibility()));
        } else if (payload instanceof ProjectDeletedEvent e) {
            projects.remove(e.projectKey());
            assignments.keySet().removeIf(assignment -> assignment.projectKey().equals(e.projectKey()));
        } else if (payload instanceof ProjectRoleAssignedEvent e) {
            assignments.put(new AssignmentKey(e.projectKey(), e.assignee()),
                    new Assignment(e.role(), time, PrincipalView.of(actorType, actorId)));
        } else if (payload instanceof ProjectRoleRemovedEvent e) {
            assignments.remove(new AssignmentKey(e.projectKey(), e.assignee()));
        }
    }

    private Optional<Account> account(String id) {
        return Optional.ofNullable(accounts.get(id));
    }

    private static String metaData(EventMessage<?> event, String key) {
        Object value = event.getMetaData().get(key);
        return value == null ? null : value.toString();
    }

    /** The read model's timestamptz keeps microseconds; the JDBC driver rounds to the nearest one. */
    private static Instant asStored(Instant instant) {
        return instant == null ? null : instant.plusNanos(500).truncatedTo(ChronoUnit.MICROS);
    }

    private record Project(String name, ProjectVisibility visibility) {
    }

    private record AssignmentKey(String projectKey, PrincipalRef assignee) {
    }

    /** An explicit role with the time and actor of the event that gave it. */
    private record Assignment(ProjectRole role, Instant at, PrincipalView by) {
    }

    /** A row of {@code query_side.service_account}. */
    private static final class Account {
        private final Instant createdAt;
        private final PrincipalView createdBy;
        private String name;
        private String description;
        private String status = ACTIVE;
        private Instant updatedAt;
        private Instant deactivatedAt;
        private String deactivationReason;
        private Instant deletedAt;

        Account(ServiceAccountCreatedEvent e, Instant time, PrincipalView createdBy) {
            this.createdAt = time;
            this.createdBy = createdBy;
            this.name = e.name();
            this.description = e.description();
            this.updatedAt = time;
        }

        void updated(ServiceAccountUpdatedEvent e, Instant time) {
            name = e.name();
            description = e.description();
            updatedAt = time;
        }

        void deactivated(String reason, Instant time) {
            status = "deactivated";
            deactivatedAt = time;
            deactivationReason = reason;
            updatedAt = time;
        }

        void reactivated(Instant time) {
            status = ACTIVE;
            deactivatedAt = null;
            deactivationReason = null;
            updatedAt = time;
        }

        void deleted(Instant time) {
            status = "deleted";
            deletedAt = time;
            updatedAt = time;
        }
    }

    /** A row of {@code query_side.service_account_token}: never the secret, never its hash. */
    private static final class Token {
        private final String id;
        private final String ownerId;
        private final String hint;
        private final String description;
        private final TokenScope scope;
        private final Instant createdAt;
        private final String createdBy;
        private Instant expiresAt;
        private Instant revokedAt;
        private String revokedReason;
        private final String rotatedFrom;
        private String rotatedTo;
        private final TokenExchange exchange;

        Token(TokenIssuedEvent e, Instant time, String createdBy) {
            this.id = e.tokenId();
            this.ownerId = e.owner().id();
            this.hint = e.hint();
            this.description = e.description();
            this.scope = e.scope();
            this.createdAt = time;
            this.createdBy = createdBy;
            this.expiresAt = asStored(e.expiresAt());
            this.rotatedFrom = e.rotatedFrom();
            this.exchange = e.exchange();
        }
    }
}
