package dev.svcaccounts.infra.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error page the servlet container forwards to ({@code /error}) when a request ended with an error status and
 * no body (a filter threw, a servlet called {@code sendError}): a problem document like every other error, instead
 * of Spring Boot's {@code {"status": 999}}. Asked for directly, {@code /error} is a path like any unknown one: 404.
 */
@Hidden // not an operation of the API
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping(path = "${server.error.path:/error}", produces = MediaType.ALL_VALUE)
    ResponseEntity<ProblemDetail> error(HttpServletRequest request, HttpServletResponse response) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer given && given >= 400 && given <= 599 ? given : 404;
        HttpStatus known = HttpStatus.resolve(status);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status),
                Problems.detailFor(status));
        problem.setType(Problems.typeFor(status));
        problem.setTitle(known == null ? "Error" : known.getReasonPhrase());
        // an error page is rendered after the filters: the ids are taken from the request, not the logging context
        RequestIds.of(request).ifPresent(id -> {
            problem.setProperty("requestId", id);
            response.setHeader(RequestIdFilter.HEADER, id);
        });
        RequestIds.correlationOf(request).ifPresent(id -> problem.setProperty("correlationId", id));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
