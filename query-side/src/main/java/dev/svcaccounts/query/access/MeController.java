package dev.svcaccounts.query.access;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.credentials.ConsistentReads;
import dev.svcaccounts.credentials.CredentialStore;
import dev.svcaccounts.credentials.ProjectAccessStore;
import dev.svcaccounts.credentials.ProjectListing;
import dev.svcaccounts.infra.web.Challenges;
import dev.svcaccounts.infra.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * "Who am I": read from the credential and access tables, so it is right the moment a command has returned.
 * The caller's token and its projects are read again on one snapshot, so the answer is one consistent moment.
 */
@RestController
class MeController {

    private static final String STOPPED_WORKING = "The token stopped working while this request was answered.";

    private final CredentialStore credentials;
    private final ProjectAccessStore accessStore;
    private final ConsistentReads reads;

    MeController(CredentialStore credentials, ProjectAccessStore accessStore, ConsistentReads reads) {
        this.credentials = credentials;
        this.accessStore = accessStore;
        this.reads = reads;
    }

    @Operation(operationId = "getMe",
            summary = "The caller: who it is, its workspace, its explicit project roles and implicit access "
            + "(for one project with 'resource')",
            responses = @ApiResponse(responseCode = "200",
                    content = @Content(schema = @Schema(implementation = MeView.class))))
    @GetMapping("/v1/me")
    ResponseEntity<?> me(AuthenticatedPrincipal principal,
                         @Parameter(description = "Answer for this project only (RFC 8707): its key or project:<key>, "
                                 + "once. Without it: explicit grants (at most " + ProjectListing.MAX_LISTED
                                 + ") and a summary of implicit access.", example = "project:churn",
                                 schema = @Schema(maxLength = 48, pattern = ProjectResource.VALUE_PATTERN))
                         @RequestParam(name = ProjectResource.NAME, required = false) String resource) {
        String project = ProjectResource.key(resource, "Parameter", "invalid-parameter");
        if (principal.isOperator()) {
            return ResponseEntity.ok(MeView.of(principal, ProjectListing.EMPTY, project != null));
        }
        return reads.of(() -> credentials.lookupById(principal.tokenId())
                        .map(active -> MeView.of(active.principal(), project == null
                                ? accessStore.explicitGrants(active.principal())
                                : accessStore.accessibleProject(active.principal(), project), project != null)))
                .<ResponseEntity<?>>map(ResponseEntity::ok)
                // revoked between the authentication of this request and now
                .orElseGet(() -> ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                        .header(HttpHeaders.WWW_AUTHENTICATE, Challenges.invalidToken(STOPPED_WORKING))
                        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .body(Problems.of(HttpStatus.UNAUTHORIZED, "unauthenticated", "Unauthenticated",
                                STOPPED_WORKING)));
    }
}
