package io.dtm.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * One Kafka Streams application timed, the same way for every phase and warm-up: from {@code KafkaStreams.start()}
 * until (1) every record has gone through the topology's last processor ({@link StreamsApp#processed()}) and (2) a
 * transaction commit of the stream threads has completed after that, so that every output of every record is
 * committed. (2) is each stream thread's {@code commit-total} metric increasing after (1) was seen, the end being
 * the last such commit; a thread with nothing left to commit does not commit again (with one thread: the final
 * commit fell within the {@value #POLL_MS} ms between two samples, and the end is the sample that saw (1)). The heap
 * is sampled at every poll.
 *
 * @param measurement what the {@link Meter} saw
 * @param runningAfterNanos when the application first reached RUNNING, from the start; -1 if never seen
 * @param threads where the CPU went: stream threads, other client threads, native threads, per event, collections
 * @param written the records its producers sent per event, by topic (the application id left out of the names)
 * @param atEnd what the application noted at the end ({@link StreamsApp#atEnd()})
 */
record StreamsRun(Measurement measurement, long runningAfterNanos, String threads, String written, String atEnd) {

    /** How often the end condition is checked and the heap sampled. */
    static final long POLL_MS = 5;
    private static final Duration FINAL_COMMIT_GRACE = Duration.ofSeconds(5);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(15);

    /** Events per second from the RUNNING state on (the start-up, rebalance included, left out). */
    double rateWhenRunning() {
        return runningAfterNanos < 0 ? Double.NaN
                : measurement.records() / ((measurement.nanos() - runningAfterNanos) / 1e9);
    }

    /** The start of a phase's detail line: when it reached RUNNING and its rate from then. */
    String running() {
        return String.format(Locale.ROOT, "running after %.2f s, %.0f events/s from then", runningAfterNanos / 1e9,
                rateWhenRunning());
    }

    /** The phase's outcome, with its detail lines. */
    Outcome outcome(String... details) {
        return new Outcome(measurement, rateWhenRunning(), List.of(details));
    }

    /** Starts the application, waits for the end condition (see the class comment), closes it. */
    static StreamsRun time(Bench bench, StreamsApp app) throws Exception {
        String name = app.name();
        KafkaStreams streams = new KafkaStreams(app.topology(), bench.streamsConfig(app.appId()));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong runningAt = new AtomicLong();
        streams.setUncaughtExceptionHandler(e -> {
            failure.compareAndSet(null, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                runningAt.compareAndSet(0, System.nanoTime());
            }
        });
        List<Metric> commits = threadMetrics(streams, "commit-total");
        Meter meter = bench.meter(name);
        long commitIntervalMs = bench.options().commitIntervalMs();
        try {
            meter.start();
            streams.start();
            long deadline = System.nanoTime() + bench.options().timeout().toNanos();
            long nextReport = System.nanoTime() + REPORT_EVERY.toNanos();
            double[] before = values(commits);
            double[] atDone;
            while (true) {
                double[] c = values(commits);
                meter.sampleHeap();
                if (app.processed().getAsBoolean()) {
                    atDone = c;
                    break;
                }
                before = c;
                check(name, failure, deadline, app.progress());
                if (System.nanoTime() > nextReport) {
                    System.err.printf(Locale.ROOT, "bench: %s after %.0f s: %s%n", name,
                            (System.nanoTime() - meter.startNanos()) / 1e9, app.progress().get());
                    nextReport += REPORT_EVERY.toNanos();
                }
                Thread.sleep(POLL_MS);
            }
            // Every stream thread with records processed since its last commit commits within the commit interval:
            // the end is the last commit seen after (1); a thread that does not commit within the grace had none.
            long doneAt = System.nanoTime();
            long end = doneAt;
            long grace = Math.max(FINAL_COMMIT_GRACE.toNanos(), (commitIntervalMs + 1000L) * 1_000_000L);
            boolean[] committed = new boolean[commits.size()];
            while (true) {
                meter.sampleHeap();
                double[] c = values(commits);
                boolean all = true;
                for (int i = 0; i < committed.length; i++) {
                    if (!committed[i] && c[i] > atDone[i]) {
                        committed[i] = true;
                        end = System.nanoTime();
                    }
                    all &= committed[i];
                }
                if (all) {
                    break;
                }
                if (System.nanoTime() - doneAt > grace) {
                    boolean any = false;
                    for (int i = 0; i < committed.length; i++) {
                        // a commit in the sample that saw (1) completed after the last record it processed
                        any |= committed[i] || atDone[i] > before[i];
                    }
                    if (any) {
                        break;
                    }
                    throw new IllegalStateException(name + ": no commit within " + Duration.ofNanos(grace)
                            + " after the last record was processed");
                }
                check(name, failure, deadline, app.progress());
                Thread.sleep(POLL_MS);
            }
            Measurement measurement = meter.stopAt(end, bench.events());
            String atEnd = app.atEnd().get();
            String written = written(streams, app.appId() + "-", bench.events());
            long running = runningAt.get() == 0 ? -1 : runningAt.get() - meter.startNanos();
            return new StreamsRun(measurement, running, threadCpu(app.appId(), measurement), written, atEnd);
        } finally {
            streams.close(Duration.ofSeconds(60));
        }
    }

    private static void check(String name, AtomicReference<Throwable> failure, long deadline,
            Supplier<String> progress) {
        if (failure.get() != null) {
            throw new IllegalStateException(name + " failed: " + progress.get(), failure.get());
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(name + " did not finish in time: " + progress.get());
        }
    }

    /**
     * Where the CPU of the phase went: the client's Java threads (they start with {@code KafkaStreams.start()}),
     * the stream thread (also as a share of the phase's wall-clock time) and its other threads (producer I/O, admin,
     * state updater); the JVM's native threads (RocksDB, GC, JIT); the CPU per event of this JVM and the broker
     * together, which depends much less on what else the machine runs than the rates do; the collections.
     */
    private static String threadCpu(String appId, Measurement m) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long stream = 0;
        long other = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().contains(appId)) {
                long cpu = Math.max(0, mx.getThreadCpuTime(t.getId()));
                if (t.getName().matches(".*-StreamThread-\\d+$")) {
                    stream += cpu;
                } else {
                    other += cpu;
                }
            }
        }
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "cpu: stream thread %.1f s (%.0f %% of the"
                + " time), other client threads %.1f s", stream / 1e9, 100.0 * stream / m.nanos(), other / 1e9));
        m.nativeCpuNanos().forEach((kind, nanos) -> text.append(String.format(Locale.ROOT, ", %s %.1f s", kind,
                nanos / 1e9)));
        if (m.hasBrokerCpu()) {
            text.append(String.format(Locale.ROOT, "; per event %.0f us (bench jvm %.0f + broker %.0f)",
                    m.cpuPerEventMicros(), m.cpuNanos() / 1e3 / m.records(), m.brokerCpuNanos() / 1e3 / m.records()));
        }
        return text.append(String.format(Locale.ROOT, "; gc %d collections, %.2f s of pauses", m.gcCollections(),
                m.gcPauseMillis() / 1e3)).toString();
    }

    /** The metric of each stream thread, by thread. */
    private static List<Metric> threadMetrics(KafkaStreams streams, String name) {
        List<Metric> found = new ArrayList<>();
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            if (e.getKey().name().equals(name) && e.getKey().group().equals("stream-thread-metrics")) {
                found.add(e.getValue());
            }
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("no stream-thread metric " + name);
        }
        return found;
    }

    private static double[] values(List<Metric> metrics) {
        double[] values = new double[metrics.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = value(metrics.get(i));
        }
        return values;
    }

    /** Records the client's producer sent, per event, by topic (from its {@code producer-topic-metrics}). */
    private static String written(KafkaStreams streams, String prefix, long events) {
        Map<String, Double> byTopic = new TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            MetricName m = e.getKey();
            if (m.group().equals("producer-topic-metrics") && m.name().equals("record-send-total")) {
                byTopic.merge(m.tags().get("topic").replace(prefix, ""), value(e.getValue()), Double::sum);
            }
        }
        StringBuilder text = new StringBuilder();
        byTopic.forEach((topic, n) -> text.append(String.format(Locale.ROOT, "%s %.2f, ", topic, n / events)));
        return text.append(String.format(Locale.ROOT, "in all %.2f",
                byTopic.values().stream().mapToDouble(Double::doubleValue).sum() / events)).toString();
    }

    private static double value(Metric metric) {
        return ((Number) metric.metricValue()).doubleValue();
    }
}
