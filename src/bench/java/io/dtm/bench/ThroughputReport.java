package io.dtm.bench;

import java.util.Locale;
import java.util.Map;

/**
 * The text {@link ThroughputBenchmark} prints on stdout. First a fixed block: the settings; events, seconds and
 * events/s of every phase; the ratios (c)/(b) (the target is ≥ 0.25 on a 2-core machine), (c)/(a), (d)/(b),
 * (e)/(b) and (f)/(b); the JVM's max heap and the peak heap used during (c). Then {@code --- details}: the CPU of this
 * JVM and of the broker per phase, the peak heap of (c), the CPU per event of (b) to (f) (the ratios they would have
 * if all were bound by CPU, much less sensitive to a busy machine than the rates), the ratios of the rates from the
 * RUNNING state on, and each phase's own detail lines (where its CPU went, the records written per event by topic,
 * what its outputs held, the load average before and after).
 */
final class ThroughputReport {

    private static final double TARGET = 0.25;

    private final Bench bench;
    private final Map<Phase, Outcome> outcomes;

    /** The report of the outcomes, by phase in the order they ran. */
    ThroughputReport(Bench bench, Map<Phase, Outcome> outcomes) {
        this.bench = bench;
        this.outcomes = outcomes;
    }

    String text() {
        ThroughputOptions options = bench.options();
        SyntheticTrade.Data data = bench.data();
        Measurement raw = measured(ThroughputBenchmark.RAW);
        Measurement b = measured(ThroughputBenchmark.PASS_THROUGH);
        Measurement c = measured(ThroughputBenchmark.PIPELINE);
        Measurement d = measured(ThroughputBenchmark.CONTRACT_IO);
        Measurement e = measured(ThroughputBenchmark.INGEST_ALONE);
        Measurement f = measured(ThroughputBenchmark.INGEST_WITH_OUTPUT);
        double cb = c.rate() / b.rate();

        StringBuilder out = new StringBuilder("dtm throughput benchmark\n");
        out.append(format("events             %d (%d series x %d periods, %d revisions), seed %d, keyed by %s%n",
                options.events(), SyntheticTrade.SERIES, data.periods(), data.revisions(), options.seed(),
                options.keyBySeries() ? "series" : "event id"));
        out.append(format("cpus               %d%n", Runtime.getRuntime().availableProcessors()));
        out.append(format("commit interval    %d ms%s%n", options.commitIntervalMs(),
                options.commitIntervalMs() == ThroughputOptions.SERVICE_COMMIT_INTERVAL_MS ? " (the service's)"
                        : " (the service commits every 100 ms)"));
        out.append(format("stream threads     %d%s%n", options.threads(), options.threads() == 1
                ? " (the service's default)" : " (the service runs 1 unless DTM_STREAM_THREADS)"));
        out.append(format("warm-up            %s%n", options.warmup() == 0
                ? "none (the JIT compiles during (b) and (c))"
                : options.warmup() + " events through a pass-through and a pipeline of their own before (b) and (c)"));
        for (Outcome outcome : outcomes.values()) {
            Measurement m = outcome.measurement();
            out.append(format("%-18s %8d events %9.3f s %10.0f events/s%n", m.name(), m.records(), m.seconds(),
                    m.rate()));
        }
        out.append(format("ratio (c)/(b)      %.3f%n", cb));
        out.append(format("ratio (c)/(a)      %.3f%n", c.rate() / raw.rate()));
        out.append(format("ratio (d)/(b)      %.3f (the most (c)/(b) could be with no parsing and no computing)%n",
                d.rate() / b.rate()));
        out.append(format("ratio (e)/(b)      %.3f (the ingest role alone: decoding, validation, vintages,"
                + " observations)%n", e.rate() / b.rate()));
        out.append(format("ratio (f)/(b)      %.3f (ingest and one output record per observation, nothing computed:"
                + " above (c)/(b) when both are bound by CPU)%n", f.rate() / b.rate()));
        out.append(format("jvm max heap       %d MiB%n", Runtime.getRuntime().maxMemory() >> 20));
        out.append(format("peak heap used (c) %d MiB%n", c.peakHeapUsed() >> 20));
        out.append(format("target (c)/(b) >= %s: %s%n", TARGET, cb >= TARGET ? "met" : "not met"));

        out.append("--- details\n");
        for (Outcome outcome : outcomes.values()) {
            Measurement m = outcome.measurement();
            out.append(format("cpu %-18s bench jvm %.1f s, broker %s%n", m.name(), m.cpuNanos() / 1e9,
                    m.hasBrokerCpu() ? format("%.1f s", m.brokerCpuNanos() / 1e9) : "n/a"));
        }
        out.append(format("heap (c)           peak used %d MiB (sampled every %d ms), peak after GC %d MiB%n",
                c.peakHeapUsed() >> 20, StreamsRun.POLL_MS, c.peakHeapAfterGc() >> 20));
        if (b.hasBrokerCpu() && c.hasBrokerCpu()) {
            double cpuB = b.cpuPerEventMicros();
            out.append(format("cpu per event      (b) %.0f us, (c) %.0f us, (d) %.0f us, (e) %.0f us, (f) %.0f us"
                    + " (bench jvm + broker); (b)/(c) %.3f, the ratio (c)/(b) would have if both were bound by CPU;"
                    + " (b)/(d) %.3f; (b)/(e) %.3f; (b)/(f) %.3f%n", cpuB, c.cpuPerEventMicros(),
                    d.cpuPerEventMicros(), e.cpuPerEventMicros(), f.cpuPerEventMicros(), cpuB / c.cpuPerEventMicros(),
                    cpuB / d.cpuPerEventMicros(), cpuB / e.cpuPerEventMicros(), cpuB / f.cpuPerEventMicros()));
        }
        double running = outcomes.get(ThroughputBenchmark.PASS_THROUGH).rateWhenRunning();
        out.append(format("ratio from RUNNING (c)/(b) %.3f, (d)/(b) %.3f, (e)/(b) %.3f, (f)/(b) %.3f (start-up and"
                + " first rebalance left out)%n",
                outcomes.get(ThroughputBenchmark.PIPELINE).rateWhenRunning() / running,
                outcomes.get(ThroughputBenchmark.CONTRACT_IO).rateWhenRunning() / running,
                outcomes.get(ThroughputBenchmark.INGEST_ALONE).rateWhenRunning() / running,
                outcomes.get(ThroughputBenchmark.INGEST_WITH_OUTPUT).rateWhenRunning() / running));
        for (Outcome outcome : outcomes.values()) {
            outcome.details().forEach(line -> out.append(line).append('\n'));
        }
        return out.toString();
    }

    private Measurement measured(Phase phase) {
        return outcomes.get(phase).measurement();
    }

    private static String format(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
