package dev.svcaccounts.command.federation.exchange;

import dev.svcaccounts.command.federation.jwt.ExchangeRefusal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code svcaccounts_token_exchanges_total{result, error, reason}}: {@code POST /v1/token} answers, issued or refused
 * (with the OAuth error and the refusal's reason, e.g. {@code unknown-issuer} for a JWT that no rule trusts, which is
 * recorded in no trail); and {@code svcaccounts_token_exchange_refusals_not_recorded_total}, refusals beyond the
 * trail's budget per workspace and issuer.
 */
@Component
class ExchangeMetrics {

    private static final String EXCHANGES = "svcaccounts.token.exchanges";

    private final MeterRegistry registry;
    private final Counter issued;
    private final Counter notRecorded;

    ExchangeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.issued = counter("issued", "none", "none");
        this.notRecorded = Counter.builder("svcaccounts.token.exchange.refusals.not.recorded")
                .description("Refused token exchanges not recorded in the trail (beyond its budget per workspace "
                        + "and issuer)")
                .register(registry);
    }

    void issued() {
        issued.increment();
    }

    void refused(ExchangeRefusal refusal) {
        counter("refused", refusal.error(), refusal.reason()).increment();
    }

    void notRecorded() {
        notRecorded.increment();
    }

    private Counter counter(String result, String error, String reason) {
        return Counter.builder(EXCHANGES)
                .description("POST /v1/token answers, by result, OAuth error and reason")
                .tag("result", result).tag("error", error).tag("reason", reason)
                .register(registry);
    }
}
