package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Principals are told apart by type and id everywhere: the operator's name is no username, and a user who holds it
 * anyway (a history from before it was reserved) shares neither the operator's timeline nor its audit filter.
 */
class PrincipalTypesIT {

    private static final String WS = "principal-types";

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("principal_types");
    private static Api api;
    private static String admin;

    @BeforeAll
    static void setUp() {
        api = system.api();
        admin = api.createWorkspace(WS, "alice").path("token").path("secret").asText();
        api.addMember(WS, admin, "bob", "member");
    }

    @Test
    void theOperatorsName_isRefusedAsAUsername() {
        api.command("POST", Api.members(WS)).token(admin).json(Map.of("username", "operator", "role", "member"))
                .send().expectProblem(400, "username-reserved");
        api.command("POST", "/v1/workspaces").token(api.operatorToken())
                .json(Map.of("id", "reserved-admin", "name", "Reserved", "admin", Map.of("username", "operator")))
                .send().expectProblem(400, "username-reserved");
        api.query("GET", Api.member(WS, "operator")).token(admin).send().expectProblem(404, "member-not-found");
        api.command("POST", "/v1/workspaces").token(api.operatorToken())
                .json(Map.of("id", "reserved-admin", "name", "Reserved", "admin", Map.of("username", "operators")))
                .send().expect(201);
    }

    @Test
    void aUserNamedLikeTheOperator_sharesNeitherItsTimelineNorItsAuditFilter() {
        addLegacyUserNamedOperator();

        List<JsonNode> timeline = Json.items(Eventually.read(() -> api.query("GET", Api.member(WS, "operator")
                        + "/timeline").param("limit", "500").token(admin).send(),
                t -> assertThat(Json.items(t)).isNotEmpty()));
        assertThat(timeline).extracting(e -> e.path("type").asText()).containsExactly("user.added");
        assertThat(timeline.get(0).path("relation").asText()).isEqualTo("target");
        assertThat(timeline.get(0).path("actor").path("type").asText()).isEqualTo("user");

        List<JsonNode> byTheOperator = trail(Map.of("actorType", "operator"));
        assertThat(byTheOperator).extracting(e -> e.path("type").asText())
                .containsExactly("workspace.created", "user.added", "token.issued");
        assertThat(byTheOperator)
                .allSatisfy(e -> assertThat(e.path("actor").path("type").asText()).isEqualTo("operator"));
        assertThat(trail(Map.of("actorType", "operator", "actor", "operator"))).isEqualTo(byTheOperator);
        assertThat(trail(Map.of("actor", "operator"))).as("the reserved id alone is the operator's")
                .isEqualTo(byTheOperator);
        assertThat(trail(Map.of("actorType", "user", "actor", "operator"))).as("the user named operator did nothing")
                .isEmpty();
        assertThat(trail(Map.of("subjectType", "user", "subject", "operator")))
                .extracting(e -> e.path("type").asText()).containsExactly("user.added");
        assertThat(trail(Map.of("subjectType", "workspace", "subject", "operator"))).isEmpty();
        assertThat(trail(Map.of("actorType", "user", "actor", "alice")))
                .allSatisfy(e -> assertThat(e.path("actor").path("id").asText()).isEqualTo("alice"))
                .isNotEmpty();
    }

    @Test
    void unknownPrincipalOrSubjectTypes_areRefused() {
        api.audit(WS, admin, Map.of("actorType", "robot")).expectProblem(400, "invalid-parameter");
        api.audit(WS, admin, Map.of("subjectType", "galaxy")).expectProblem(400, "invalid-parameter");
        api.query("GET", Api.audit(WS) + "/export").param("actorType", "USER").token(admin).send()
                .expectProblem(400, "invalid-parameter");
    }

    @Test
    void meAndIntrospection_tellTheOperatorFromAUser() {
        JsonNode operator = api.me(api.operatorToken()).expect(200).json();
        JsonNode alice = api.me(admin).expect(200).json();
        assertThat(operator.path("type").asText()).isEqualTo("operator");
        assertThat(operator.has("workspace")).isFalse();
        assertThat(alice.path("type").asText()).isEqualTo("user");
        assertThat(alice.path("workspace").asText()).isEqualTo(WS);

        JsonNode introspectedUser = api.introspect(admin);
        assertThat(introspectedUser.path("principal_type").asText()).isEqualTo("user");
        assertThat(introspectedUser.path("sub").asText()).isEqualTo("alice");
        JsonNode introspectedOperator = api.introspect(api.operatorToken());
        assertThat(introspectedOperator.path("principal_type").asText()).isEqualTo("operator");
        assertThat(introspectedOperator.has("workspace")).isFalse();
        assertThat(introspectedOperator.has("username")).as("the operator is no user").isFalse();
    }

    /**
     * A user "operator" in the workspace's history, as one added before the name was reserved: bob's addition
     * appended again under that name (the event store is the only place it can come from now).
     */
    private static void addLegacyUserNamedOperator() {
        system.database().jdbc().update("""
                INSERT INTO command_side.domain_event_entry
                    (aggregate_identifier, sequence_number, type, event_identifier, meta_data, payload,
                     payload_revision, payload_type, time_stamp)
                SELECT e.aggregate_identifier,
                       (SELECT max(sequence_number) + 1 FROM command_side.domain_event_entry
                         WHERE aggregate_identifier = e.aggregate_identifier),
                       e.type, gen_random_uuid()::text, e.meta_data,
                       convert_to(replace(convert_from(e.payload, 'UTF8'), '"bob"', '"operator"'), 'UTF8'),
                       e.payload_revision, e.payload_type, e.time_stamp
                  FROM command_side.domain_event_entry e
                 WHERE e.aggregate_identifier = ? AND e.payload_type LIKE '%UserAddedEvent'
                   AND convert_from(e.payload, 'UTF8') LIKE '%"bob"%'
                """, WS);
        system.awaitProjectionsCaughtUp();
    }

    private static List<JsonNode> trail(Map<String, String> filters) {
        Map<String, String> params = new HashMap<>(filters);
        params.put("limit", "500");
        return Json.items(api.audit(WS, admin, params).expect(200).json());
    }
}
