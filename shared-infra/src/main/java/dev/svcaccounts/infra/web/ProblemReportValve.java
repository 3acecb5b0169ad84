package dev.svcaccounts.infra.web;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

import java.io.IOException;
import java.io.Writer;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tomcat's error report, for the errors Tomcat answers by itself before any filter or servlet runs (a request line,
 * path or header it cannot parse, an encoded '/' or '\', headers too large, an unsupported HTTP version): an RFC 9457
 * problem document instead of Tomcat's HTML page. Installed on the host by {@link ServletContainerErrors}.
 */
public class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        String requestId = (String) request.getAttribute(RequestIds.ATTRIBUTE);
        if (requestId == null) {
            requestId = UUID.randomUUID().toString();
        }
        HttpStatus known = HttpStatus.resolve(status);
        String body = "{\"type\":\"" + Problems.typeFor(status) + "\",\"title\":\""
                + json(known == null ? "Error" : known.getReasonPhrase()) + "\",\"status\":" + status
                + ",\"detail\":\"" + json(Problems.detailFor(status)) + "\",\"requestId\":\"" + json(requestId) + "\"}";
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            response.setHeader(RequestIdFilter.HEADER, requestId);
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone, or the response cannot take a body any more: nothing more to say
        }
    }

    /** Our own texts only: quotes and backslashes are all that needs escaping. */
    private static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
