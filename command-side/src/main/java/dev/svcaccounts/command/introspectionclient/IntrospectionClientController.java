package dev.svcaccounts.command.introspectionclient;

import dev.svcaccounts.command.common.CommandSender;
import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.events.TokenSecret;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.web.AuditContext;
import dev.svcaccounts.infra.web.Refusals;
import dev.svcaccounts.infra.web.Text;
import dev.svcaccounts.refusals.DomainRuleException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.UUID;
import java.util.regex.Matcher;

/**
 * The operator registers and revokes the clients of {@code /v1/introspect} (RFC 7662 §2.1). The secret is generated
 * here, 256 random bits like a token's, and shown once in the 201; only its SHA-256 hash goes into the command.
 * Listing them is a read: the query side's {@code GET /v1/admin/introspection-clients}.
 */
@RestController
@RequestMapping("/v1/admin/introspection-clients")
class IntrospectionClientController {

    /**
     * {@code ic_} and a UUID: the underscore keeps it apart from every workspace id (whose stream it would otherwise
     * name), and it needs no encoding in a URL or in HTTP Basic.
     */
    private static final String ID_PREFIX = "ic_";
    private static final java.util.regex.Pattern ID_SHAPE =
            java.util.regex.Pattern.compile("ic_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    record RegisterRequest(
            @NotNull @Size(min = 1, max = 100) @Pattern(regexp = Text.VISIBLE_TEXT, message = Text.VISIBLE_TEXT_MESSAGE)
            String name,
            @Size(max = 256) @Pattern(regexp = Text.OPTIONAL_TEXT, message = Text.OPTIONAL_TEXT_MESSAGE)
            String description) {
    }

    /** The one answer that ever holds a client's secret; OAuth's names for the credentials (RFC 7591 §3.2.1). */
    record RegisteredClient(@com.fasterxml.jackson.annotation.JsonProperty("client_id") String clientId,
                            @com.fasterxml.jackson.annotation.JsonProperty("client_secret") String clientSecret,
                            String name, String description, String hint) {
    }

    private final CommandSender commands;

    IntrospectionClientController(CommandSender commands) {
        this.commands = commands;
    }

    @Refusals({"403 operator-required"})
    @Operation(operationId = "registerIntrospectionClient",
            summary = "Register an introspection client (operator only); its secret is shown once")
    @ApiResponse(responseCode = "201", description = "Registered; `client_secret` is shown here, once",
            useReturnTypeSchema = true,
            headers = @Header(name = "Location", description = "The client's path on the query side",
                    schema = @Schema(type = "string", format = "uri-reference", maxLength = 300)))
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED) // for the API documents; the answer sets it
    ResponseEntity<RegisteredClient> register(@Valid @RequestBody RegisterRequest request,
                                              AuthenticatedPrincipal principal, AuditContext audit) {
        Guard.requireOperator(principal);
        String clientId = ID_PREFIX + UUID.randomUUID();
        String secret = TokenSecret.generate(TokenSecret.INTROSPECTION_CLIENT_PREFIX);
        String hint = TokenSecret.hint(secret);
        return commands.respond(new RegisterIntrospectionClientCommand(clientId, request.name(),
                        request.description(), TokenSecret.hash(secret), hint), principal, audit,
                none -> ResponseEntity.created(URI.create("/v1/admin/introspection-clients/" + clientId))
                        .body(new RegisteredClient(clientId, secret, request.name(), request.description(), hint)));
    }

    @Refusals({"403 operator-required", "404 introspection-client-not-found"})
    @Operation(operationId = "revokeIntrospectionClient",
            summary = "Revoke an introspection client (operator only): its next introspection is refused (401)")
    @DeleteMapping("/{clientId}")
    ResponseEntity<Void> revoke(@PathVariable String clientId, AuthenticatedPrincipal principal, AuditContext audit) {
        Guard.requireOperator(principal);
        Matcher shape = ID_SHAPE.matcher(clientId);
        if (!shape.matches()) {
            throw notFound(clientId);
        }
        try {
            return commands.respond(new RevokeIntrospectionClientCommand(clientId), principal, audit,
                    none -> ResponseEntity.noContent().build());
        } catch (AggregateNotFoundException e) {
            throw notFound(clientId);
        }
    }

    private static DomainRuleException notFound(String clientId) {
        return DomainRuleException.notFound("introspection-client-not-found",
                "There is no introspection client '" + Text.forMessage(clientId) + "'.");
    }
}
