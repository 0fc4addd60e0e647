package io.dtm.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Meters of the sources followed on a schedule, registered at 0 for every configured source:
 * <ul>
 * <li>{@code dtm_source_last_success_timestamp_seconds{source}}: when a fetch last ended well (imported, or nothing
 * new: 304 or the same vintage); 0 until then</li>
 * <li>{@code dtm_source_failures_total{source}}: failed fetch attempts (each retry counts)</li>
 * <li>{@code dtm_source_stale_after_seconds{source}}: how long the source may go without a good fetch
 * ({@code dtm.sources.<name>.stale-after}), the threshold of the alert {@code DtmSourceStale}</li>
 * </ul>
 */
public final class SourceMetrics {

    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();

    /** @param staleAfter each configured source and how long it may go without a good fetch */
    public SourceMetrics(MeterRegistry registry, Map<String, Duration> staleAfter) {
        staleAfter.forEach((source, after) -> Gauge.builder("dtm.source.stale.after.seconds", after,
                        d -> d.toMillis() / 1000.0)
                .description("How long a source may go without a good fetch before it is stale")
                .tags("source", source).register(registry));
        for (String source : staleAfter.keySet()) {
            AtomicLong seconds = new AtomicLong();
            lastSuccess.put(source, seconds);
            Gauge.builder("dtm.source.last.success.timestamp.seconds", seconds, AtomicLong::doubleValue)
                    .description("When a fetch of the source last ended well, in seconds since the epoch")
                    .tags("source", source).register(registry);
            failures.put(source, Counter.builder("dtm.source.failures").description("Failed fetches of a source")
                    .tags("source", source).register(registry));
        }
    }

    public void succeeded(String source, Instant at) {
        lastSuccess.get(source).set(at.getEpochSecond());
    }

    public void failed(String source) {
        failures.get(source).increment();
    }
}
