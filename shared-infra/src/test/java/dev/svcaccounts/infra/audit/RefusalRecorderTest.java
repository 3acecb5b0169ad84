package dev.svcaccounts.infra.audit;

import dev.svcaccounts.events.AccessRefusedEvent;
import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.infra.security.AuthenticatedPrincipal;
import dev.svcaccounts.infra.security.FormerTokens;
import dev.svcaccounts.infra.web.RequestIds;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import org.slf4j.MDC;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.transaction.PlatformTransactionManager;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

@ExtendWith(OutputCaptureExtension.class)
class RefusalRecorderTest {

    private static final AuthenticatedPrincipal BOB =
            new AuthenticatedPrincipal(PrincipalType.USER, "bob", "bob", "acme", WorkspaceRole.MEMBER, "tok-bob");

    private final EventStore eventStore = mock(EventStore.class);
    private final FormerTokens formerTokens = mock(FormerTokens.class);
    private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final RefusalRecorder recorder = new RefusalRecorder(eventStore, formerTokens,
            mock(PlatformTransactionManager.class), clock);

    @AfterEach
    void stop() {
        recorder.stop();
        MDC.clear();
    }

    @Test
    void aForbiddenWrite_isPublishedWithWhoWhatAndFromWhere() {
        MDC.put(RequestIds.MDC_KEY, "req-1");
        MockHttpServletRequest request = request("POST", "/v1/workspaces/acme/members/carol", BOB);
        request.addHeader("X-Audit-Reason", "onboarding");
        request.addHeader("User-Agent", "cli/1.0");

        recorder.forbidden(request, "workspace-admin-required", "Only workspace admins may do this.");

        EventMessage<?> message = published();
        assertThat(message.getPayload()).isEqualTo(new AccessRefusedEvent("acme", "workspace-admin-required", 403,
                "POST", "/v1/workspaces/acme/members/carol", "user", "carol", "Only workspace admins may do this."));
        assertThat(message.getMetaData()).containsEntry(AuditMetadata.ACTOR_TYPE, "USER")
                .containsEntry(AuditMetadata.ACTOR_ID, "bob").containsEntry(AuditMetadata.ACTOR_NAME, "bob")
                .containsEntry(AuditMetadata.ACTOR_TOKEN_ID, "tok-bob").containsEntry(AuditMetadata.REQUEST_ID, "req-1")
                .containsEntry(AuditMetadata.CLIENT_IP, "127.0.0.1").containsEntry(AuditMetadata.USER_AGENT, "cli/1.0")
                .containsEntry(AuditMetadata.REASON, "onboarding");
    }

    @Test
    void readsAndTheOperator_areNotRecorded() {
        recorder.forbidden(request("GET", "/v1/workspaces/acme/audit", BOB), "workspace-admin-required", "x");
        recorder.forbidden(request("HEAD", "/v1/workspaces/acme/audit", BOB), "workspace-admin-required", "x");
        AuthenticatedPrincipal operator = new AuthenticatedPrincipal(PrincipalType.OPERATOR, "operator", "operator",
                null, null, null);
        recorder.forbidden(request("POST", "/v1/workspaces/acme/members", operator), "workspace-admin-required", "x");
        verify(eventStore, never()).publish(any(EventMessage[].class));
        verify(eventStore, never()).publish(any(List.class));
    }

    @Test
    void aTokenThatNeverWorked_isNotRecorded() {
        when(formerTokens.refused(any())).thenReturn(Optional.empty());
        recorder.unauthenticated(request("GET", "/v1/me", null), "svcacct_unknown");
        verify(eventStore, never()).publish(any(EventMessage[].class));
    }

    @Test
    void aFailureToRecord_isOneWarningWithoutTheSecret_andTheRequestGoesOn(CapturedOutput output) {
        doThrow(new DataAccessResourceFailureException("connection refused")).when(eventStore).publish(any(EventMessage[].class));
        when(formerTokens.refused("svcacct_secret")).thenReturn(Optional.of(new FormerTokens.RefusedToken(BOB,
                "token-revoked", "The token was revoked.")));

        recorder.unauthenticated(request("POST", "/v1/workspaces/acme/projects", null), "svcacct_secret");
        when(formerTokens.refused("svcacct_secret")).thenThrow(new DataAccessResourceFailureException("down"));
        recorder.unauthenticated(request("POST", "/v1/workspaces/acme/projects", null), "svcacct_secret");

        assertThat(output.getOut().lines().filter(line -> line.contains("WARN") && line.contains("Could not record")))
                .hasSize(2).anySatisfy(line -> assertThat(line).contains("token-revoked"));
        assertThat(output.getAll()).doesNotContain("svcacct_secret");
    }

    @Test
    void controlCharactersAreLeftOut_soTheEntryCanBeStored() {
        recorder.forbidden(request("POST", "/v1/workspaces/acme/projects", BOB), "project-manage-required",
                "Project 'a\u0000b' needs manage.");
        assertThat(((AccessRefusedEvent) published().getPayload()).detail()).isEqualTo("Project 'ab' needs manage.");
    }

    @Test
    void aFlood_isRecordedTenTimesAMinute_andTheRestReportedInOneWarningAfterTheMinute(CapturedOutput output) {
        for (int i = 0; i < 25; i++) {
            recorder.forbidden(request("DELETE", "/v1/workspaces/acme/projects/churn", BOB), "workspace-admin-required", "x");
        }
        verify(eventStore, times(10)).publish(any(EventMessage[].class));

        recorder.reportSkipped();
        assertThat(output.getOut()).as("not before the minute is over").doesNotContain("not recorded");
        clock.advance(Duration.ofMinutes(1));
        recorder.reportSkipped();
        recorder.reportSkipped();
        assertThat(output.getOut().lines().filter(line -> line.contains("WARN") && line.contains("not recorded")))
                .singleElement().asString().contains("user bob", ": 15 beyond 10 a minute");
    }

    private EventMessage<?> published() {
        @SuppressWarnings("unchecked")
        ArgumentCaptor<EventMessage<?>> captor = ArgumentCaptor.forClass(EventMessage.class);
        verify(eventStore, times(1)).publish(captor.capture());
        return captor.getValue();
    }

    private static MockHttpServletRequest request(String method, String path, AuthenticatedPrincipal principal) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        if (principal != null) {
            request.setAttribute(AuthenticatedPrincipal.REQUEST_ATTRIBUTE, principal);
        }
        return request;
    }
}
