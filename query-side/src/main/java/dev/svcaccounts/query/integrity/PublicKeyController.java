package dev.svcaccounts.query.integrity;

import dev.svcaccounts.infra.security.BearerTokenFilter;
import dev.svcaccounts.infra.web.Refusals;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /v1/audit/public-key}: the Ed25519 public key that verifies every checkpoint, as PEM, for anyone (no
 * authentication, like a certificate): what an auditor pins before trusting a checkpoint. Written directly (not
 * through a message converter), so a client asking for {@code application/x-pem-file} only is answered.
 */
@RestController
class PublicKeyController {

    static final String PEM = "application/x-pem-file";

    private final SigningKey key;

    PublicKeyController(SigningKey key) {
        this.key = key;
    }

    @Refusals({"404 audit-signing-not-configured"})
    @Operation(operationId = "getAuditPublicKey",
            summary = "The public key that verifies the audit checkpoints' signatures (Ed25519, PEM); "
            + "no authentication")
    @ApiResponse(responseCode = "200", description = "The public key: one PEM block 'PUBLIC KEY' (X.509 "
            + "SubjectPublicKeyInfo); its key id is 16 hex digits of SHA-256 over the DER inside",
            content = @Content(mediaType = PEM, schema = @Schema(type = "string", maxLength = 200)))
    @SecurityRequirements // none
    @GetMapping(BearerTokenFilter.AUDIT_PUBLIC_KEY)
    void publicKey(HttpServletResponse response) throws IOException {
        String pem = key.publicKeyPem().orElseThrow(SigningNotConfigured::problem);
        byte[] body = pem.getBytes(StandardCharsets.US_ASCII);
        response.setContentType(PEM);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
