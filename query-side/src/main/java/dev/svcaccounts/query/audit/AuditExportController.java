package dev.svcaccounts.query.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.web.Refusals;
import dev.svcaccounts.query.integrity.ProofSession;
import dev.svcaccounts.refusals.DomainRuleException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.svcaccounts.query.audit.AuditQueryController.CHECKPOINT;
import static dev.svcaccounts.query.audit.AuditQueryController.PROOFS;
import static dev.svcaccounts.query.audit.AuditQueryController.PROOF_REFUSALS_404;
import static dev.svcaccounts.query.audit.AuditQueryController.PROOF_REFUSALS_404_SIGNING;
import static dev.svcaccounts.query.audit.AuditQueryController.PROOF_REFUSALS_409;

/**
 * The workspace audit trail streamed, any size, as ndjson or CSV, cut at one position when it starts; with
 * {@code proofs=true} (ndjson) each entry carries its inclusion proof against a checkpoint.
 */
@RestController
@Tag(name = "audit-query-controller") // the export's operation stays where generated clients have always found it
class AuditExportController {

    /** Entries read per query while exporting: memory stays flat whatever the export's size. */
    static final int EXPORT_CHUNK = 1000;
    /** The position the answer is complete up to: export again with {@code after=} it to get only what is new. */
    static final String COMPLETE_UP_TO_HEADER = "X-Audit-Complete-Up-To";

    private final AuditReadModel readModel;
    private final ObjectMapper objectMapper;
    private final AuditProofs auditProofs;

    AuditExportController(AuditReadModel readModel, ObjectMapper objectMapper, AuditProofs auditProofs) {
        this.readModel = readModel;
        this.objectMapper = objectMapper;
        this.auditProofs = auditProofs;
    }

    @Refusals({"403 workspace-admin-required", PROOF_REFUSALS_404, PROOF_REFUSALS_404_SIGNING,
        PROOF_REFUSALS_409})
    @Operation(operationId = "exportAuditEntries",
            summary = "The audit trail streamed as ndjson or csv, any size; same filters as the trail; header "
            + COMPLETE_UP_TO_HEADER + " is the cursor for the next incremental export; proofs=true (ndjson) adds "
            + "each entry's inclusion proof")
    @ApiResponse(responseCode = "200", description = "The trail, streamed: one entry per line (ndjson, the "
            + "default) or RFC 4180 CSV with a header row", content = {
                @Content(mediaType = "application/x-ndjson", schema = @Schema(type = "string")),
                @Content(mediaType = "text/csv", schema = @Schema(type = "string"))},
            headers = {
                @Header(name = COMPLETE_UP_TO_HEADER, description = "The position the export is complete up to: "
                        + "the 'after' of the next incremental export",
                        schema = @Schema(type = "integer", format = "int64", minimum = "0")),
                @Header(name = HttpHeaders.CONTENT_DISPOSITION, description = "attachment; filename=\"audit-<ws>."
                        + "<ndjson|csv>\"", schema = @Schema(type = "string", maxLength = 100))})
    @GetMapping("/v1/workspaces/{ws}/audit/export")
    void export(@PathVariable String ws,
                @Parameter(schema = @Schema(type = "string", allowableValues = {"ndjson", "csv"},
                        defaultValue = "ndjson"))
                @RequestParam(required = false, defaultValue = "ndjson") String format,
                @ParameterObject AuditFilters filters,
                @Parameter(description = PROOFS, schema = @Schema(type = "boolean"))
                @RequestParam(required = false) String proofs,
                @Parameter(description = CHECKPOINT, schema = @Schema(type = "integer", format = "int64",
                        minimum = "1")) @RequestParam(required = false) String checkpoint,
                AuthenticatedPrincipal principal, HttpServletResponse response)
            throws IOException {
        Guard.requireWorkspaceAdmin(principal, ws);
        AuditExportWriter.Format exportFormat = AuditExportWriter.Format.parse(format);
        if (exportFormat == null) {
            throw DomainRuleException.invalid("invalid-parameter", "Parameter 'format' must be ndjson or csv.");
        }
        AuditQuery query = filters.query(ws);
        if (exportFormat == AuditExportWriter.Format.CSV && "true".equals(proofs)) {
            throw DomainRuleException.invalid("invalid-parameter", "Proofs come with format=ndjson only.");
        }
        ProofSession proven = auditProofs.requested(proofs, checkpoint);
        // one cut for the whole export: entries arriving meanwhile are for the next one
        long upTo = AuditProofs.cut(readModel.completeUpTo(), proven);

        response.setContentType(exportFormat.mediaType + ";charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                "attachment; filename=\"audit-" + ws + "." + exportFormat.extension + "\"");
        response.setHeader(COMPLETE_UP_TO_HEADER,
                String.valueOf(Math.max(upTo, query.after() == null ? 0 : query.after())));
        Writer out = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8));
        AuditExportWriter writer = AuditExportWriter.of(exportFormat, out, objectMapper);
        writer.start();
        List<AuditEntryView> chunk;
        do {
            chunk = readModel.findForExport(query, upTo, EXPORT_CHUNK);
            for (AuditEntryView entry : AuditProofs.attach(chunk, proven)) {
                writer.write(entry);
            }
            out.flush();
            if (!chunk.isEmpty()) {
                query = query.after(chunk.get(chunk.size() - 1).position());
            }
        } while (chunk.size() == EXPORT_CHUNK);
        out.flush();
    }
}
