package dev.svcaccounts.query.access;

import dev.svcaccounts.infra.security.AuthenticatedPrincipal;
import dev.svcaccounts.infra.security.ProjectAccessStore;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** "Who am I": read from the access tables, so it is right the moment a command has returned. */
@RestController
class MeController {

    private final ProjectAccessStore accessStore;

    MeController(ProjectAccessStore accessStore) {
        this.accessStore = accessStore;
    }

    @Operation(summary = "The caller: who it is, its workspace and its effective role per project")
    @GetMapping("/v1/me")
    MeView me(AuthenticatedPrincipal principal) {
        return MeView.of(principal, accessStore.accessibleProjects(principal));
    }
}
