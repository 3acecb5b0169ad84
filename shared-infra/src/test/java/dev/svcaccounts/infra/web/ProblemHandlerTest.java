package dev.svcaccounts.infra.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemHandlerTest {

    private final ProblemHandler handler = new ProblemHandler(null);
    private final ObjectMapper json = Jackson2ObjectMapperBuilder.json().build();

    @Test
    void theSameBadBodyGetsTheSameAnswer_whateverOrderTheValidatorListsItsViolationsIn() throws Exception {
        List<FieldError> violations = List.of(
                new FieldError("body", "name", "must match [a-z]+"),
                new FieldError("body", "name", "size must be between 1 and 64"),
                new FieldError("body", "description", "size must be between 0 and 1024"),
                new FieldError("body", "expiresAt", "must be in the future"));
        Set<String> answers = new TreeSet<>();
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            List<FieldError> shuffled = new ArrayList<>(violations);
            Collections.shuffle(shuffled, random);
            answers.add(json.writeValueAsString(answer(shuffled)));
        }

        assertThat(answers).hasSize(1);
        JsonNode answer = json.readTree(answers.iterator().next());
        assertThat(answer.path("detail").asText()).isEqualTo("'description' size must be between 0 and 1024; "
                + "'expiresAt' must be in the future; 'name' must match [a-z]+; 'name' size must be between 1 and 64");
        assertThat(answer.path("errors").toString()).isEqualTo(("[{'field':'description','message':'size must be "
                + "between 0 and 1024'},{'field':'expiresAt','message':'must be in the future'},{'field':'name',"
                + "'message':'must match [a-z]+'},{'field':'name','message':'size must be between 1 and 64'}]")
                .replace('\'', '"'));
    }

    private ProblemDetail answer(List<FieldError> violations) throws NoSuchMethodException {
        BeanPropertyBindingResult result = new BeanPropertyBindingResult(new Object(), "body");
        violations.forEach(result::addError);
        MethodParameter parameter = new MethodParameter(getClass().getDeclaredMethod("answer", List.class), 0);
        var entity = handler.handleMethodArgumentNotValid(new MethodArgumentNotValidException(parameter, result),
                new HttpHeaders(), HttpStatus.BAD_REQUEST, null);
        assertThat(entity.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        return (ProblemDetail) entity.getBody();
    }
}
