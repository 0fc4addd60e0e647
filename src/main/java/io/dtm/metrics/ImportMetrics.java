package io.dtm.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Meters of the imports of publications, registered at 0 for every dataset and outcome:
 * <ul>
 * <li>{@code dtm_import_rows_total{dataset,outcome}}: figures read, by what became of them ({@code published},
 * {@code retracted}, {@code missing}, {@code skipped}, {@code rejected}); what the stream then finds duplicate or
 * stale shows on the event counters</li>
 * <li>{@code dtm_import_duration_seconds}: how long an import ran, from its first row to its last</li>
 * </ul>
 */
public final class ImportMetrics {

    /** The outcomes of a row. */
    public static final List<String> OUTCOMES = List.of("published", "retracted", "missing", "skipped", "rejected");

    private final MeterRegistry registry;
    private final Timer duration;

    public ImportMetrics(MeterRegistry registry, Collection<String> datasets) {
        this.registry = registry;
        datasets.forEach(d -> OUTCOMES.forEach(o -> rows(d, o, 0)));
        this.duration = Timer.builder("dtm.import.duration").description("How long an import of a publication ran")
                .register(registry);
    }

    /** Counts {@code n} rows of {@code dataset} with {@code outcome}. */
    public void rows(String dataset, String outcome, long n) {
        Counter.builder("dtm.import.rows").description("Rows of imported publications, by what became of them")
                .tags("dataset", dataset, "outcome", outcome).register(registry).increment(n);
    }

    public void took(Duration d) {
        duration.record(d);
    }
}
