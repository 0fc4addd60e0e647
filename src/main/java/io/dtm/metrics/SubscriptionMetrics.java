package io.dtm.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code dtm_subscriptions_skipped_total{reason}}: records of {@code dtm.subscriptions.v1} left out because their
 * secret cannot be decrypted, registered at 0 for every reason: {@code unknown-key} (encrypted with a key this
 * instance does not have) and {@code undecryptable} (altered, or not encrypted for its record).
 */
public final class SubscriptionMetrics {

    public static final List<String> REASONS = List.of("unknown-key", "undecryptable");

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public SubscriptionMetrics(MeterRegistry registry) {
        for (String reason : REASONS) {
            counters.put(reason, Counter.builder("dtm.subscriptions.skipped")
                    .description("Subscription records left out because their secret cannot be decrypted")
                    .tags("reason", reason).register(registry));
        }
    }

    public void skipped(String reason) {
        Counter counter = counters.get(reason);
        if (counter == null) {
            throw new IllegalArgumentException("no skipped-subscription counter for " + reason);
        }
        counter.increment();
    }
}
