package dev.svcaccounts.query.audit;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes audit entries as newline-delimited JSON (the list's item shape, one per line) or as CSV (RFC 4180, one
 * row per entry, {@code details} as a JSON cell). CSV cells are opened by spreadsheet programs, so a text cell
 * starting with a formula character gets a leading apostrophe: names, reasons and user agents come from clients.
 */
abstract class AuditExportWriter {

    static final List<String> CSV_COLUMNS = List.of("position", "event_id", "occurred_at", "type", "subject_type",
            "subject_id", "account_type", "account_id", "actor_type", "actor_id", "actor_name", "token_id",
            "request_id", "correlation_id", "client_ip", "user_agent", "reason", "details");

    enum Format {
        NDJSON("application/x-ndjson", "ndjson"), CSV("text/csv", "csv");

        final String mediaType;
        final String extension;

        Format(String mediaType, String extension) {
            this.mediaType = mediaType;
            this.extension = extension;
        }

        static Format parse(String value) {
            return Arrays.stream(values()).filter(f -> f.extension.equals(value.toLowerCase(Locale.ROOT)))
                    .findFirst().orElse(null);
        }
    }

    static AuditExportWriter of(Format format, Writer out, ObjectMapper json) {
        return format == Format.CSV ? new Csv(out, json) : new Ndjson(out, json);
    }

    protected final Writer out;
    protected final ObjectMapper json;

    private AuditExportWriter(Writer out, ObjectMapper json) {
        this.out = out;
        this.json = json;
    }

    abstract void start() throws IOException;

    abstract void write(AuditEntryView entry) throws IOException;

    private static final class Ndjson extends AuditExportWriter {

        Ndjson(Writer out, ObjectMapper json) {
            super(out, json);
        }

        @Override
        void start() {
        }

        @Override
        void write(AuditEntryView entry) throws IOException {
            out.write(json.writeValueAsString(entry));
            out.write('\n');
        }
    }

    private static final class Csv extends AuditExportWriter {

        Csv(Writer out, ObjectMapper json) {
            super(out, json);
        }

        @Override
        void start() throws IOException {
            out.write(String.join(",", CSV_COLUMNS));
            out.write("\r\n");
        }

        @Override
        void write(AuditEntryView e) throws IOException {
            AuditEntryView.Actor actor = e.actor();
            AuditEntryView.Account account = e.account();
            List<String> cells = Arrays.asList(String.valueOf(e.position()), e.eventId(), e.occurredAt().toString(),
                    e.type(), e.subject().type(), e.subject().id(),
                    account == null ? null : account.type(), account == null ? null : account.id(),
                    actor == null ? null : actor.type(), actor == null ? null : actor.id(),
                    actor == null ? null : actor.name(), e.tokenId(), e.requestId(), e.correlationId(), e.clientIp(),
                    e.userAgent(),
                    e.reason(), json.writeValueAsString(e.details()));
            out.write(e.position() + "," + cells.subList(1, cells.size()).stream().map(Csv::cell)
                    .collect(Collectors.joining(",")));
            out.write("\r\n");
        }

        static String cell(String value) {
            if (value == null || value.isEmpty()) {
                return "";
            }
            String safe = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
            boolean quote = safe.indexOf(',') >= 0 || safe.indexOf('"') >= 0 || safe.indexOf('\n') >= 0
                    || safe.indexOf('\r') >= 0;
            return quote ? '"' + safe.replace("\"", "\"\"") + '"' : safe;
        }
    }
}
