package dev.svcaccounts.infra.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.credentials.FormerTokens;
import dev.svcaccounts.events.AccessRefusalsNotRecordedEvent;
import dev.svcaccounts.events.AccessRefusedEvent;
import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.infra.metrics.EndedTokenCounter;
import dev.svcaccounts.infra.testing.TestClock;
import dev.svcaccounts.infra.web.RequestIds;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import org.slf4j.MDC;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.transaction.PlatformTransactionManager;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeast;
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
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private final TestClock clock = new TestClock(START);
    private final JdbcTemplate jdbc = mock(JdbcTemplate.class);
    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final RefusalRecorder recorder = new RefusalRecorder(eventStore, formerTokens,
            mock(PlatformTransactionManager.class), clock, jdbc, json,
            new EndedTokenCounter(new SimpleMeterRegistry()), 10, Duration.ofMinutes(1), Duration.ofSeconds(1),
            Duration.ofMinutes(2), Duration.ofSeconds(30));

    @BeforeEach
    void rowsAreThere() {
        // the row of a saved window is there to delete with its summary (a node that took it over deleted it)
        when(jdbc.update(anyString(), any(Object[].class))).thenReturn(1);
    }

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
        doThrow(new DataAccessResourceFailureException("connection refused"))
                .when(eventStore).publish(any(EventMessage[].class));
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
    void aFlood_isRecordedTenTimesAMinute_andTheRestSummedUpInTheTrailAfterTheMinute(CapturedOutput output) {
        for (int i = 0; i < 25; i++) {
            recorder.forbidden(request("DELETE", "/v1/workspaces/acme/projects/churn", BOB),
                    "workspace-admin-required", "x");
        }
        verify(eventStore, times(10)).publish(any(EventMessage[].class));

        recorder.writeSummaries();
        verify(eventStore, times(10)).publish(any(EventMessage[].class));
        clock.advance(Duration.ofMinutes(1));
        recorder.writeSummaries();
        recorder.writeSummaries();

        EventMessage<?> summary = publishedSummaries().get(0);
        assertThat(publishedSummaries()).hasSize(1);
        assertThat(summary.getPayload()).isEqualTo(new AccessRefusalsNotRecordedEvent("acme", PrincipalRef.user("bob"),
                "tok-bob", 15, 10, START, START.plusSeconds(60), Map.of("workspace-admin-required", 15)));
        assertThat(summary.getMetaData()).containsEntry(AuditMetadata.ACTOR_TYPE, "USER")
                .containsEntry(AuditMetadata.ACTOR_ID, "bob").containsEntry(AuditMetadata.ACTOR_TOKEN_ID, "tok-bob")
                .containsEntry(AuditMetadata.CLIENT_IP, "127.0.0.1");
        assertThat(output.getOut()).contains("acme user bob", "15 beyond 10");
    }

    @Test
    void refusalsInAnotherWorkspace_doNotSilenceThoseInThisOne() {
        AuthenticatedPrincipal bobInB = new AuthenticatedPrincipal(PrincipalType.USER, "bob", "bob", "beta",
                WorkspaceRole.MEMBER, "tok-bob-beta");
        for (int i = 0; i < 10; i++) {
            recorder.forbidden(request("POST", "/v1/workspaces/beta/members", bobInB), "workspace-admin-required", "x");
        }
        recorder.forbidden(request("POST", "/v1/workspaces/acme/members", BOB), "workspace-admin-required", "x");

        @SuppressWarnings("unchecked")
        ArgumentCaptor<EventMessage<?>> captor = ArgumentCaptor.forClass(EventMessage.class);
        verify(eventStore, times(11)).publish(captor.capture());
        assertThat(captor.getAllValues()).filteredOn(m -> ((AccessRefusedEvent) m.getPayload()).workspaceId()
                .equals("acme")).as("bob's attempt in acme").hasSize(1);
    }

    @Test
    void atShutdown_anOpenWindowIsSummedUpAsFarAsItWent() {
        when(formerTokens.refused("svcacct_revoked")).thenReturn(Optional.of(new FormerTokens.RefusedToken(BOB,
                "token-revoked", "The token was revoked.")));
        for (int i = 0; i < 12; i++) {
            recorder.unauthenticated(request("GET", "/v1/me", null), "svcacct_revoked");
        }
        clock.advance(Duration.ofSeconds(20));
        recorder.stop();

        assertThat(publishedSummaries()).singleElement().satisfies(m -> {
            AccessRefusalsNotRecordedEvent event = (AccessRefusalsNotRecordedEvent) m.getPayload();
            assertThat(event.count()).isEqualTo(2);
            assertThat(event.tokenId()).isEqualTo("tok-bob");
            assertThat(event.windowEnd()).isEqualTo(START.plusSeconds(20));
            assertThat(event.rules()).containsExactly(Map.entry("token-revoked", 2));
        });
    }

    @Test
    void anOpenWindowIsSaved_andNotWrittenAgainWhenAnotherNodeTookItOver() {
        for (int i = 0; i < 12; i++) {
            recorder.forbidden(request("POST", "/v1/workspaces/acme/members", BOB), "workspace-admin-required", "x");
        }
        recorder.writeSummaries();
        @SuppressWarnings("unchecked")
        ArgumentCaptor<List<Object[]>> rows = ArgumentCaptor.forClass(List.class);
        verify(jdbc).batchUpdate(contains("refusal_skip"), rows.capture());
        assertThat(rows.getValue()).singleElement().satisfies(row -> {
            assertThat(row[1]).isEqualTo("acme user bob");
            assertThat((String) row[5]).contains("\"count\":2");
        });

        when(jdbc.update(anyString(), any(Object[].class))).thenReturn(0); // its row is gone: taken over
        clock.advance(Duration.ofMinutes(1));
        recorder.writeSummaries();
        assertThat(publishedSummaries()).isEmpty();
    }

    @Test
    void theSummaryLeftByADeadNode_isWrittenByAnother() throws Exception {
        AccessRefusalsNotRecordedEvent left = new AccessRefusalsNotRecordedEvent("acme", PrincipalRef.user("bob"),
                "tok-bob", 7, 10, START, START.plusSeconds(60), Map.of("workspace-admin-required", 7));
        String saved = json.writeValueAsString(new RefusalSummaries.Pending(left, Map.of(AuditMetadata.ACTOR_ID, "bob",
                AuditMetadata.ACTOR_TYPE, "USER")));
        when(jdbc.queryForList(contains("DELETE FROM command_side.refusal_skip"), eq(String.class),
                any(Object[].class))).thenReturn(List.of(saved));

        recorder.takeOverOrphans();

        assertThat(publishedSummaries()).singleElement().satisfies(m -> {
            assertThat(m.getPayload()).isEqualTo(left);
            assertThat(m.getMetaData()).containsEntry(AuditMetadata.ACTOR_ID, "bob");
        });
    }

    private List<EventMessage<?>> publishedSummaries() {
        @SuppressWarnings("unchecked")
        ArgumentCaptor<EventMessage<?>> captor = ArgumentCaptor.forClass(EventMessage.class);
        verify(eventStore, atLeast(0)).publish(captor.capture());
        return captor.getAllValues().stream().filter(m -> m.getPayload() instanceof AccessRefusalsNotRecordedEvent)
                .toList();
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
