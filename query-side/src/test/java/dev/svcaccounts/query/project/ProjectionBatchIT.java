package dev.svcaccounts.query.project;

import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ProjectCreatedEvent;
import dev.svcaccounts.events.ProjectDeletedEvent;
import dev.svcaccounts.events.ProjectRenamedEvent;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectRoleAssignedEvent;
import dev.svcaccounts.events.ProjectRoleRemovalCause;
import dev.svcaccounts.events.ProjectRoleRemovedEvent;
import dev.svcaccounts.events.ProjectVisibility;
import dev.svcaccounts.query.CountingDataSource;
import dev.svcaccounts.query.ReadModelDatabase;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A processor's batch (one unit of work, one transaction) sends its projection writes when it commits, in the
 * order the handlers made them, each run of the same statement as one JDBC batch ({@code BatchedWrites}); the rows
 * are those the same events leave when handled one at a time.
 */
class ProjectionBatchIT {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-02T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-01-03T10:00:00Z");
    private static final PrincipalRef ALICE = PrincipalRef.user("alice");
    private static final PrincipalRef CI = PrincipalRef.serviceAccount("sa-ci");

    private final CountingDataSource counting = new CountingDataSource(ReadModelDatabase.jdbc().getDataSource());
    private final JdbcTemplate jdbc = new JdbcTemplate(counting);
    private final ProjectProjection projection = new ProjectProjection(jdbc);
    private final SpringTransactionManager transactions =
            new SpringTransactionManager(new DataSourceTransactionManager(counting));

    @BeforeEach
    void clear() {
        ReadModelDatabase.clear();
    }

    /** 12 statements in 8 runs: two project INSERTs, four assignment upserts (one role given twice), and so on. */
    private void history() {
        projection.on(new ProjectCreatedEvent("acme", "ml", "Machine learning", ProjectVisibility.PRIVATE, ALICE), T0);
        projection.on(new ProjectCreatedEvent("acme", "web", "Web", ProjectVisibility.WORKSPACE, ALICE), T0);
        projection.on(new ProjectRoleAssignedEvent("acme", "ml", ALICE, ProjectRole.OWNER, null), T0, "USER", "alice");
        projection.on(new ProjectRoleAssignedEvent("acme", "web", ALICE, ProjectRole.OWNER, null), T0, "USER", "alice");
        projection.on(new ProjectRoleAssignedEvent("acme", "ml", CI, ProjectRole.VIEWER, null), T1, "USER", "alice");
        projection.on(new ProjectRoleAssignedEvent("acme", "ml", CI, ProjectRole.OWNER, ProjectRole.VIEWER), T2,
                "SERVICE_ACCOUNT", "sa-owner");
        projection.on(new ProjectRenamedEvent("acme", "ml", "ML", "Machine learning"));
        projection.on(new ProjectRoleRemovedEvent("acme", "ml", ALICE, ProjectRole.OWNER,
                ProjectRoleRemovalCause.UNASSIGNED));
        projection.on(new ProjectDeletedEvent("acme", "web", "Web"));
        projection.on(new ProjectCreatedEvent("acme", "web", "Web again", ProjectVisibility.PRIVATE, CI), T2);
        projection.on(new ProjectRoleAssignedEvent("acme", "web", CI, ProjectRole.OWNER, null), T2, "USER", "alice");
    }

    @Test
    void aBatchsWrites_goWhenItCommits_inTheirOrder_oneRoundTripPerRunOfTheSameStatement() {
        history();
        List<String> projects = ReadModelDatabase.dump("project");
        List<String> assignments = ReadModelDatabase.dump("project_assignment");
        assertThat(counting.statements()).as("one at a time: a statement each").isEqualTo(12);
        projection.reset();
        counting.reset();

        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("batch"));
        batch.attachTransaction(transactions);
        history();
        assertThat(counting.statements()).as("nothing sent before the commit").isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM query_side.project", Integer.class)).isZero();
        counting.reset();
        batch.commit();

        assertThat(ReadModelDatabase.dump("project")).isEqualTo(projects).hasSize(2);
        assertThat(ReadModelDatabase.dump("project_assignment")).as("the second role given to CI on ml is its role")
                .isEqualTo(assignments).hasSize(2);
        assertThat(counting.statements()).as("one per run: 2 INSERTs, 4 upserts, UPDATE, DELETE, 2 DELETEs, INSERT, "
                + "upsert").isEqualTo(8);
    }

    @Test
    void aBatchRolledBack_writesNothing_andAFailingWriteRollsTheWholeBatchBack() {
        UnitOfWork<?> rolledBack = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("batch"));
        rolledBack.attachTransaction(transactions);
        history();
        rolledBack.rollback();
        assertThat(counting.statements()).isZero();
        assertThat(ReadModelDatabase.dump("project")).isEmpty();

        UnitOfWork<?> failing = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("batch"));
        failing.attachTransaction(transactions);
        history();
        projection.on(new ProjectCreatedEvent("acme", "bad", null, ProjectVisibility.PRIVATE, ALICE), T2);
        assertThatThrownBy(failing::commit).hasStackTraceContaining("violates not-null constraint");
        assertThat(ReadModelDatabase.dump("project")).isEmpty();
        assertThat(ReadModelDatabase.dump("project_assignment")).isEmpty();
    }
}
