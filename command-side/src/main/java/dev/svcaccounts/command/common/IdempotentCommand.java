package dev.svcaccounts.command.common;

import dev.svcaccounts.infra.idempotency.KeyedRequest;
import org.springframework.http.ResponseEntity;

import java.util.function.Function;

/**
 * What {@link CommandSender} hands to {@link IdempotencyInterceptor} with a keyed command, in its metadata (never
 * copied onto events): the keyed request and how its controller turns the command's result into the answer, so
 * that the answer can be stored in the command's own transaction.
 */
record IdempotentCommand(KeyedRequest request, Function<Object, ResponseEntity<?>> render) {

    static final String META_DATA_KEY = "svcaccounts.idempotent-command";

    /** The command was carried out now; its answer is stored with its events. */
    record Executed(ResponseEntity<?> answer) {
    }
}
