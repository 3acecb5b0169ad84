package dev.svcaccounts.query.member;

import dev.svcaccounts.infra.security.AuthenticatedPrincipal;
import dev.svcaccounts.infra.security.Guard;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** The members of a workspace, for any principal of it. */
@RestController
class MemberQueryController {

    record Page(List<MemberView> items) {
    }

    private final MemberReadModel readModel;

    MemberQueryController(MemberReadModel readModel) {
        this.readModel = readModel;
    }

    @Operation(summary = "Current members of the workspace with their workspace role, by username")
    @GetMapping("/v1/workspaces/{ws}/members")
    Page members(@PathVariable String ws, AuthenticatedPrincipal principal) {
        Guard.requireWorkspace(principal, ws);
        return new Page(readModel.list(ws));
    }
}
