package dev.svcaccounts.system.support;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Polling for the eventually consistent query side: bounded, never a blind sleep. */
public final class Eventually {

    /**
     * How long a test waits for a read model to catch up with a command that has returned. Milliseconds as a rule;
     * generous, for the suite may share two cores with other builds, and a wrong read model fails all the same.
     */
    public static final Duration READ_MODEL_LAG = Duration.ofSeconds(30);

    private Eventually() {
    }

    /**
     * Reads until the response is 200 and its JSON passes {@code assertion} (AssertJ assertions inside), and
     * returns that JSON; fails with the last assertion error after {@link #READ_MODEL_LAG}.
     */
    public static JsonNode read(Supplier<Response> request, Consumer<JsonNode> assertion) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        untilAsserted(() -> {
            Response response = request.get().expect(200);
            JsonNode json = response.json();
            assertion.accept(json);
            last.set(json);
        });
        return last.get();
    }

    public static void untilAsserted(ThrowingRunnable assertion) {
        untilAsserted(READ_MODEL_LAG, assertion);
    }

    public static void untilAsserted(Duration atMost, ThrowingRunnable assertion) {
        Awaitility.await()
                .atMost(atMost)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(assertion);
    }
}
