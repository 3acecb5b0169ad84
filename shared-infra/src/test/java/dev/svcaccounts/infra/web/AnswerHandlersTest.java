package dev.svcaccounts.infra.web;

import org.junit.jupiter.api.Test;
import org.springframework.core.MethodParameter;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.AsyncHandlerMethodReturnValueHandler;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The handler chosen for an answer is Spring MVC's, and it is chosen once per class of answer. */
class AnswerHandlersTest {

    private final List<String> handled = new ArrayList<>();

    @Test
    void theFirstHandlerSupportingTheAnswer_handlesIt_chosenOncePerClassOfAnswer() throws Exception {
        Handler strings = new Handler("strings", String.class);
        Handler entities = new Handler("entities", ResponseEntity.class);
        Handler alsoEntities = new Handler("also entities", ResponseEntity.class);
        AnswerHandlers answers = new AnswerHandlers(List.of(strings, entities, alsoEntities));

        for (int i = 0; i < 3; i++) {
            answers.handle(ResponseEntity.ok("body"), answerType(ResponseEntity.ok("body")), null, null);
            answers.handle("text", answerType("text"), null, null);
        }

        assertThat(handled).containsExactly("entities", "strings", "entities", "strings", "entities", "strings");
        assertThat(strings.asked).as("asked once per class of answer").isEqualTo(2);
        assertThat(entities.asked).isEqualTo(1);
        assertThat(alsoEntities.asked).isZero();
    }

    @Test
    void anAnswerNoHandlerSupports_isRefusedAsSpringMvcRefusesIt() {
        AnswerHandlers answers = new AnswerHandlers(List.of(new Handler("strings", String.class)));

        assertThatThrownBy(() -> answers.handle(42, answerType(42), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Unknown return value type");
    }

    @Test
    void withAnAsynchronousHandler_everyAnswerIsChosenAnew() throws Exception {
        Handler strings = new Handler("strings", String.class);
        AnswerHandlers answers = new AnswerHandlers(List.of(new Asynchronous(), strings));

        answers.handle("text", answerType("text"), null, null);
        answers.handle("text", answerType("text"), null, null);

        assertThat(handled).containsExactly("strings", "strings");
        assertThat(strings.asked).isEqualTo(2);
    }

    @Test
    void aNullAnswer_goesToTheHandlerOfTheDeclaredType() throws Exception {
        Handler strings = new Handler("strings", String.class);
        AnswerHandlers answers = new AnswerHandlers(List.of(strings));

        answers.handle(null, answerType(null), null, null);
        answers.handle(null, answerType(null), null, null);

        assertThat(handled).containsExactly("strings", "strings");
        assertThat(strings.asked).isEqualTo(2);
    }

    /** The declared type is String; Spring MVC's return type of an answer is the answer's class. */
    private static MethodParameter answerType(Object answer) throws NoSuchMethodException {
        MethodParameter declared = new MethodParameter(AnswerHandlersTest.class.getDeclaredMethod("declared"), -1);
        return answer == null ? declared : new MethodParameter(declared) {
            @Override
            public Class<?> getParameterType() {
                return answer.getClass();
            }
        };
    }

    @SuppressWarnings("unused")
    private static String declared() {
        return "";
    }

    private class Handler implements HandlerMethodReturnValueHandler {
        private final String name;
        private final Class<?> type;
        int asked;

        Handler(String name, Class<?> type) {
            this.name = name;
            this.type = type;
        }

        @Override
        public boolean supportsReturnType(MethodParameter returnType) {
            asked++;
            return type.isAssignableFrom(returnType.getParameterType());
        }

        @Override
        public void handleReturnValue(Object value, MethodParameter returnType, ModelAndViewContainer container,
                                      NativeWebRequest request) {
            handled.add(name);
        }
    }

    private static class Asynchronous implements AsyncHandlerMethodReturnValueHandler {
        @Override
        public boolean isAsyncReturnValue(Object value, MethodParameter returnType) {
            return false;
        }

        @Override
        public boolean supportsReturnType(MethodParameter returnType) {
            return false;
        }

        @Override
        public void handleReturnValue(Object value, MethodParameter returnType, ModelAndViewContainer container,
                                      NativeWebRequest request) {
            throw new AssertionError("not asynchronous");
        }
    }
}
