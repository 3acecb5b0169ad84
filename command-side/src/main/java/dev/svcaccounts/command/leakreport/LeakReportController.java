package dev.svcaccounts.command.leakreport;

import dev.svcaccounts.infra.web.AuditContext;
import dev.svcaccounts.infra.web.Refusals;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * {@code POST /v1/credentials/revoke}: anyone who finds our tokens (a secret scanner, a code host, a person) reports
 * them, without authentication, and every working one among them is revoked at once ({@link LeakedTokenReports}).
 * The answer is the same 202 whatever the credentials were, so the endpoint tells nobody which tokens exist.
 */
@RestController
class LeakReportController {

    static final int MAX_CREDENTIALS = 1000;

    record ReportRequest(
            @NotNull @Size(min = 1, max = MAX_CREDENTIALS)
            @ArraySchema(minItems = 1, maxItems = MAX_CREDENTIALS,
                    schema = @Schema(description = "A token's secret as found, e.g. svcacct_...; any text is taken "
                            + "(the 64 KiB body limit bounds it), and only our tokens' shape is looked up"))
            List<@NotNull String> credentials) {
    }

    /** The one answer, whatever was reported. */
    record ReportAnswer(String message) {
    }

    static final ReportAnswer ACCEPTED = new ReportAnswer(
            "Thank you. Every working token among these credentials has been revoked.");

    private final LeakedTokenReports reports;

    LeakReportController(LeakedTokenReports reports) {
        this.reports = reports;
    }

    @Refusals({"429 too-many-reports"})
    @Operation(operationId = "reportLeakedCredentials",
            summary = "Report leaked tokens (no authentication): every working one among them is revoked at once; "
            + "the same 202 whatever they were")
    @SecurityRequirements // none
    @PostMapping("/v1/credentials/revoke")
    @ResponseStatus(HttpStatus.ACCEPTED) // for the API documents; the answer sets it
    ResponseEntity<ReportAnswer> report(@Valid @RequestBody ReportRequest request, AuditContext audit) {
        reports.revoke(request.credentials(), audit);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(ACCEPTED);
    }
}
