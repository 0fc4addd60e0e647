package io.dtm.bench;

import io.dtm.indicators.Catalogue;
import io.dtm.indicators.IndicatorsTopology;
import io.dtm.ingest.IngestTopology;
import io.dtm.metrics.DtmMetrics;
import io.dtm.metrics.IndicatorGauges;
import io.dtm.streams.KafkaConnection;
import io.dtm.streams.Topic;
import io.dtm.streams.Topics;
import io.dtm.streams.TopologyProducer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Handler;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.jboss.logmanager.Level;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;
import org.slf4j.LoggerFactory;

/**
 * Throughput of the ingest → observations → indicators pipeline against the floor Kafka Streams sets, on the same
 * records in one run (issue 3, item 6). Not a test: run it with {@code src/bench/run.sh}, which starts a broker of
 * its own.
 * <ol>
 * <li>Creates the service's topics (3 partitions, observations and indicators compacted) and a pass-through output
 * topic, then publishes N synthetic trade events ({@link SyntheticTrade}) to {@code dtm.trade.v1} with an
 * idempotent producer: {@code acks=all}, {@code linger.ms=10}, {@code batch.size=65536},
 * {@code compression.type=lz4}.</li>
 * <li>(a) A plain {@code KafkaConsumer<byte[], byte[]>} (default settings, no group) reads the N records from the
 * beginning.</li>
 * <li>(b) A pass-through topology on {@code byte[]} ({@code dtm.trade.v1} → {@code dtm.bench.passthrough.v1}).</li>
 * <li>(c) The real pipeline: {@link IngestTopology#build} + {@link IndicatorsTopology#build}, wired as the service
 * wires them when both roles run in one application (the winning observations handed over in process), with the
 * default catalogue (and the broker to read the history of new entries from, as in the service), persistent stores
 * and the meters on a {@link SimpleMeterRegistry}.</li>
 * <li>(d) The contract's records without the work: per event one write to a logged persistent store and one record
 * to each of two compacted topics, on {@code byte[]} (what (c) writes at the least: the vintage cell, the
 * observation, an indicator value), so that (d)/(b) bounds what (c)/(b) could be.</li>
 * <li>(e) The ingest part of (c) alone, as an application with only the ingest role (decoding, validation,
 * vintages, observations out): what the work before the indicators costs.</li>
 * <li>(f) The ingest part, then one record per winning observation to a compacted topic, with nothing computed:
 * what (c) would cost if its indicators cost one output record each and nothing more.</li>
 * </ol>
 * (b) to (f) run as one {@link KafkaStreams} each, with the service's settings: {@code exactly_once_v2},
 * {@code ensure.explicit.internal.resource.naming=true}, {@code commit.interval.ms=100} and one stream thread
 * (unless asked otherwise), lz4, {@code auto.offset.reset=earliest}; their own {@code application.id} and state
 * directory.
 * <p>
 * <b>End condition.</b> Each is timed from {@code KafkaStreams.start()} until (1) every record has been processed
 * by the topology's last processor and (2) a transaction commit of the stream threads has completed after that,
 * so that every output of every record is committed. (1) is, for (b), a counter of the records the topology passed
 * on reaching N; for (c), the number of indicator inputs computed ({@code dtm.event.to.indicator} is recorded once
 * per input by {@code indicators-compute}) reaching the number the catalogue places for the events that win their
 * (series, period), known exactly once every revision has been resolved ({@code dtm.events.received},
 * {@code accepted} = N, {@code revised + stale} = the revisions; see {@link SyntheticTrade}); for (d), its counter;
 * for (e), every event having met the vintage store. (2) is each stream thread's {@code commit-total} metric
 * increasing after (1) was seen, the end being the last such commit; a thread with nothing left to commit does not
 * commit again (with one thread: the final commit fell within the 5 ms between two samples, and the end is the
 * sample that saw (1)). After each phase, outside
 * the timing, read_committed consumers check the outputs (N records passed through; N − stale observations on
 * {@code dtm.observations.v1}, one key per (series, period); nothing on the dead-letter topic).
 * <p>
 * <b>Output</b> (stdout; progress and logs go to stderr): events, seconds and events/s of the publication and of
 * (a), (b), (c); the ratios (c)/(b) and (c)/(a); the JVM's max heap and the peak heap used during (c); then details:
 * CPU of this JVM and of the broker per phase, the CPU per event of (b) and (c) (the ratio they would have if both
 * were bound by CPU, much less sensitive to a busy machine than the rates), the rates from the RUNNING state on,
 * where (c)'s CPU went (stream thread, other client threads, RocksDB, GC, JIT), the records (c) writes per event by
 * topic, and the load average of the machine before and after each phase.
 */
public final class ThroughputBenchmark {

    static final String PASS_THROUGH_TOPIC = "dtm.bench.passthrough.v1";
    static final String WARMUP_TOPIC = "dtm.bench.warmup.v1";
    static final String FLOOR_OBSERVATIONS_TOPIC = "dtm.bench.floor.observations.v1";
    static final String FLOOR_INDICATORS_TOPIC = "dtm.bench.floor.indicators.v1";
    private static final String FLOOR_STORE = "bench-floor-store";
    private static final int PARTITIONS = 3;
    private static final long POLL_MS = 5;
    private static final Duration FINAL_COMMIT_GRACE = Duration.ofSeconds(5);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(15);
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private final String bootstrap;
    private final int events;
    /** Events keyed by their series (read on their series' partition) rather than by their id. */
    private final boolean keyBySeries;
    /** Events each of (b) and (c) first processes in a warm-up run of its own (JIT), outside the figures. */
    private final int warmup;
    private final int commitIntervalMs;
    private final int threads;
    private final long seed;
    private final Path stateDir;
    private final Duration timeout;
    private final ProcessCpu brokerCpu;
    private final long ticksPerSecond;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> details = new ArrayList<>();

    private ThroughputBenchmark(String bootstrap, int events, long seed, Path stateDir, Duration timeout,
            ProcessCpu brokerCpu, long ticksPerSecond, boolean keyBySeries, int warmup, int commitIntervalMs,
            int threads) {
        this.ticksPerSecond = ticksPerSecond;
        this.threads = threads;
        this.commitIntervalMs = commitIntervalMs;
        this.keyBySeries = keyBySeries;
        this.warmup = warmup;
        this.bootstrap = bootstrap;
        this.events = events;
        this.seed = seed;
        this.stateDir = stateDir;
        this.timeout = timeout;
        this.brokerCpu = brokerCpu;
    }

    /** Time, CPU of this JVM and of the broker over one phase. */
    record Phase(String name, long records, long nanos, long cpuNanos, long brokerCpuNanos) {

        double seconds() {
            return nanos / 1e9;
        }

        double rate() {
            return records / seconds();
        }
    }

    public static void main(String[] args) throws Exception {
        configureLogging();
        Map<String, String> opts = parse(args);
        String bootstrap = opts.get("bootstrap");
        if (bootstrap == null) {
            usage("--bootstrap is required");
        }
        String n = opts.getOrDefault("events", System.getenv().getOrDefault("DTM_BENCH_EVENTS", "100000"));
        int events = Integer.parseInt(n.replace("_", ""));
        long seed = Long.parseLong(opts.getOrDefault("seed", "42"));
        Path stateDir = Path.of(opts.getOrDefault("state-dir", "target/bench-state"));
        Duration timeout = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("timeout", "900")));
        long ticks = Long.parseLong(opts.getOrDefault("clk-tck", "100"));
        ProcessCpu broker = opts.containsKey("broker-pid") ? new ProcessCpu(Long.parseLong(opts.get("broker-pid")), ticks)
                : null;
        String key = opts.getOrDefault("key", "series");
        if (!key.equals("series") && !key.equals("event")) {
            usage("--key is series or event, was " + key);
        }
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "0").replace("_", ""));
        if (warmup < 0 || warmup > events) {
            usage("--warmup is 0 to the number of events, was " + warmup);
        }
        int commitInterval = Integer.parseInt(opts.getOrDefault("commit-interval", "100"));
        if (commitInterval < 1 || commitInterval > 60_000) {
            usage("--commit-interval is 1 to 60000 ms, was " + commitInterval);
        }
        int threads = Integer.parseInt(opts.getOrDefault("threads", "1"));
        if (threads < 1 || threads > PARTITIONS * 2) {
            usage("--threads is 1 to " + PARTITIONS * 2 + ", was " + threads);
        }
        int status = new ThroughputBenchmark(bootstrap, events, seed, stateDir, timeout, broker, ticks,
                key.equals("series"), warmup, commitInterval, threads).run();
        System.exit(status);
    }

    private int run() throws Exception {
        Catalogue catalogue = Catalogue.load("classpath:indicators.yaml");
        long g0 = System.nanoTime();
        SyntheticTrade.Data data = SyntheticTrade.generate(events, seed, catalogue, keyBySeries);
        long generated = System.nanoTime() - g0;
        long bytes = data.events().stream().mapToLong(e -> e.value().length).sum();
        details.add(String.format(Locale.ROOT, "generated          %d events (%d cells + %d revisions), %.1f MB of JSON"
                + " in %.1f s; %d indicator inputs if no event is stale", events, data.cells(), data.revisions(),
                bytes / 1e6, generated / 1e9, data.placements()));

        createTopics();
        Phase publish = publish(data);
        data = new SyntheticTrade.Data(List.of(), data.cells(), data.periods(), data.revisions(),
                data.revisedCellPlacements(), data.placements()); // the records are on the broker now
        Phase raw = rawConsumer();
        if (warmup > 0) {
            warmUp(catalogue, data);
        }
        Run passThroughRun = passThrough();
        Phase passThrough = passThroughRun.phase();
        System.gc();
        Heap heap = new Heap();
        Run pipelineRun = pipeline(catalogue, data, heap);
        Phase pipeline = pipelineRun.phase();
        Run floorRun = contractIo();
        Phase floor = floorRun.phase();
        Run ingestRun = ingestAlone(data);
        Phase ingest = ingestRun.phase();
        Run boundRun = ingestAndOutput(data);
        Phase bound = boundRun.phase();

        boolean ok = raw.records() == events && passThrough.records() == events && pipeline.records() == events
                && floor.records() == events && ingest.records() == events && bound.records() == events;
        double cb = pipeline.rate() / passThrough.rate();
        double ca = pipeline.rate() / raw.rate();
        StringBuilder out = new StringBuilder();
        out.append("dtm throughput benchmark\n");
        out.append(String.format(Locale.ROOT, "events             %d (%d series x %d periods, %d revisions), seed %d, "
                + "keyed by %s%n", events, SyntheticTrade.SERIES, data.periods(), data.revisions(), seed,
                keyBySeries ? "series" : "event id"));
        out.append(String.format(Locale.ROOT, "cpus               %d%n", Runtime.getRuntime().availableProcessors()));
        out.append(String.format(Locale.ROOT, "commit interval    %d ms%s%n", commitIntervalMs,
                commitIntervalMs == 100 ? " (the service's)" : " (the service commits every 100 ms)"));
        out.append(String.format(Locale.ROOT, "stream threads     %d%s%n", threads,
                threads == 1 ? " (the service's default)" : " (the service runs 1 unless DTM_STREAM_THREADS)"));
        out.append(String.format(Locale.ROOT, "warm-up            %s%n", warmup == 0
                ? "none (the JIT compiles during (b) and (c))"
                : warmup + " events through a pass-through and a pipeline of their own before (b) and (c)"));
        out.append(line("publish", publish));
        out.append(line("(a) raw consumer", raw));
        out.append(line("(b) pass-through", passThrough));
        out.append(line("(c) pipeline", pipeline));
        out.append(line("(d) contract i/o", floor));
        out.append(line("(e) ingest alone", ingest));
        out.append(line("(f) ingest + output", bound));
        out.append(String.format(Locale.ROOT, "ratio (c)/(b)      %.3f%n", cb));
        out.append(String.format(Locale.ROOT, "ratio (c)/(a)      %.3f%n", ca));
        out.append(String.format(Locale.ROOT, "ratio (d)/(b)      %.3f (the most (c)/(b) could be with no parsing and"
                + " no computing)%n", floor.rate() / passThrough.rate()));
        out.append(String.format(Locale.ROOT, "ratio (e)/(b)      %.3f (the ingest role alone: decoding, validation,"
                + " vintages, observations)%n", ingest.rate() / passThrough.rate()));
        out.append(String.format(Locale.ROOT, "ratio (f)/(b)      %.3f (ingest and one output record per observation,"
                + " nothing computed: above (c)/(b) when both are bound by CPU)%n", bound.rate() / passThrough.rate()));
        out.append(String.format(Locale.ROOT, "jvm max heap       %d MiB%n", Runtime.getRuntime().maxMemory() >> 20));
        out.append(String.format(Locale.ROOT, "peak heap used (c) %d MiB%n", heap.peakUsed >> 20));
        out.append(String.format(Locale.ROOT, "target (c)/(b) >= 0.25: %s%n", cb >= 0.25 ? "met" : "not met"));
        out.append("--- details\n");
        for (Phase p : List.of(publish, raw, passThrough, pipeline, floor, ingest, bound)) {
            out.append(String.format(Locale.ROOT, "cpu %-18s bench jvm %.1f s, broker %s%n", p.name(),
                    p.cpuNanos() / 1e9, p.brokerCpuNanos() < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f s",
                            p.brokerCpuNanos() / 1e9)));
        }
        out.append(String.format(Locale.ROOT, "heap (c)           peak used %d MiB (sampled every %d ms), peak after GC"
                + " %d MiB%n", heap.peakUsed >> 20, POLL_MS, heap.peakAfterGc >> 20));
        if (passThrough.brokerCpuNanos() >= 0 && pipeline.brokerCpuNanos() >= 0) {
            double cpuB = (passThrough.cpuNanos() + passThrough.brokerCpuNanos()) / 1e3 / passThrough.records();
            double cpuC = (pipeline.cpuNanos() + pipeline.brokerCpuNanos()) / 1e3 / pipeline.records();
            double cpuD = (floor.cpuNanos() + floor.brokerCpuNanos()) / 1e3 / floor.records();
            double cpuE = (ingest.cpuNanos() + ingest.brokerCpuNanos()) / 1e3 / ingest.records();
            double cpuF = (bound.cpuNanos() + bound.brokerCpuNanos()) / 1e3 / bound.records();
            out.append(String.format(Locale.ROOT, "cpu per event      (b) %.0f us, (c) %.0f us, (d) %.0f us,"
                    + " (e) %.0f us, (f) %.0f us"
                    + " (bench jvm + broker); (b)/(c) %.3f, the ratio (c)/(b) would have if both were bound by CPU;"
                    + " (b)/(d) %.3f; (b)/(e) %.3f; (b)/(f) %.3f%n", cpuB, cpuC, cpuD, cpuE, cpuF, cpuB / cpuC,
                    cpuB / cpuD, cpuB / cpuE, cpuB / cpuF));
        }
        out.append(String.format(Locale.ROOT, "ratio from RUNNING (c)/(b) %.3f, (d)/(b) %.3f, (e)/(b) %.3f,"
                + " (f)/(b) %.3f (start-up and first rebalance left out)%n",
                pipelineRun.rateWhenRunning() / passThroughRun.rateWhenRunning(),
                floorRun.rateWhenRunning() / passThroughRun.rateWhenRunning(),
                ingestRun.rateWhenRunning() / passThroughRun.rateWhenRunning(),
                boundRun.rateWhenRunning() / passThroughRun.rateWhenRunning()));
        details.forEach(d -> out.append(d).append('\n'));
        System.out.print(out);
        System.out.flush();
        return ok ? 0 : 1;
    }

    private static String line(String name, Phase p) {
        return String.format(Locale.ROOT, "%-18s %8d events %9.3f s %10.0f events/s%n", name, p.records(),
                p.seconds(), p.rate());
    }

    // --- topics and input ------------------------------------------------------------------------------------

    private static final Map<String, String> COMPACTED = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
            TopicConfig.CLEANUP_POLICY_COMPACT, TopicConfig.RETENTION_MS_CONFIG, "-1");

    /** The service's topics the pipeline reads and writes: the feeds, observations, indicators, dead letters. */
    static List<NewTopic> pipelineTopics() {
        List<NewTopic> topics = new ArrayList<>();
        for (Topic<?, ?> feed : Topics.feeds()) {
            topics.add(new NewTopic(feed.name(), PARTITIONS, (short) 1));
        }
        topics.add(new NewTopic(Topics.OBSERVATIONS.name(), PARTITIONS, (short) 1).configs(COMPACTED));
        topics.add(new NewTopic(Topics.INDICATORS.name(), PARTITIONS, (short) 1).configs(COMPACTED));
        topics.add(new NewTopic(Topics.DLQ.name(), PARTITIONS, (short) 1)
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")));
        return topics;
    }

    private void createTopics() throws InterruptedException, ExecutionException {
        Map<String, String> compacted = COMPACTED;
        List<NewTopic> topics = pipelineTopics();
        topics.add(new NewTopic(PASS_THROUGH_TOPIC, PARTITIONS, (short) 1));
        topics.add(new NewTopic(WARMUP_TOPIC, PARTITIONS, (short) 1));
        topics.add(new NewTopic(FLOOR_OBSERVATIONS_TOPIC, PARTITIONS, (short) 1).configs(compacted));
        topics.add(new NewTopic(FLOOR_INDICATORS_TOPIC, PARTITIONS, (short) 1).configs(compacted));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    /** The settings of the producer that publishes the events to the feed topics. */
    static Properties feedProducer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return props;
    }

    private Phase publish(SyntheticTrade.Data data) {
        Properties props = feedProducer(bootstrap);
        AtomicReference<Exception> failed = new AtomicReference<>();
        Meter meter = new Meter("publish");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            meter.start();
            for (SyntheticTrade.Event e : data.events()) {
                producer.send(new ProducerRecord<>(Topics.TRADE.name(), null, e.key(), e.value(),
                        SyntheticTrade.headers()), (md, ex) -> {
                            if (ex != null) {
                                failed.compareAndSet(null, ex);
                            }
                        });
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("publishing failed", failed.get());
        }
        return meter.stop(data.events().size());
    }

    // --- (a) -------------------------------------------------------------------------------------------------

    private Phase rawConsumer() {
        Meter meter = new Meter("(a) raw consumer");
        long count = 0;
        long bytes = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG, "dtm-bench-raw-" + runId), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitions(consumer, Topics.TRADE.name());
            meter.start();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (count < events) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    count++;
                    bytes += r.value().length;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("(a) read " + count + " of " + events + " records in " + timeout);
                }
            }
            Phase phase = meter.stop(count);
            details.add(String.format(Locale.ROOT, "(a) details        %d records, %.1f MB of values", count, bytes / 1e6));
            return phase;
        }
    }

    // --- (b) -------------------------------------------------------------------------------------------------

    /** The pass-through topology on {@code byte[]}, {@code dtm.trade.v1} → {@code output}, counting into {@code passed}. */
    private static Topology passThroughTopology(String appId, String output, AtomicLong passed) {
        StreamsBuilder builder = TopologyProducer.newBuilder(appId);
        builder.stream(Topics.TRADE.name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("bench-read"))
                .peek((k, v) -> passed.incrementAndGet(), Named.as("bench-count"))
                .to(output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("bench-write"));
        return builder.build();
    }

    /**
     * Runs a pass-through (to a topic of its own) and a pipeline over the first {@link #warmup} events each, as
     * applications of their own, so that the JIT has compiled their code before (b) and (c) start; the output
     * topics are then deleted and created again, so that (c) starts on empty topics as without a warm-up.
     */
    private void warmUp(Catalogue catalogue, SyntheticTrade.Data data) throws Exception {
        String appId = "dtm-bench-warm-passthrough-" + runId;
        AtomicLong passed = new AtomicLong();
        runStreams("warm-up (b)", appId, passThroughTopology(appId, WARMUP_TOPIC, passed),
                () -> passed.get() >= warmup, null, () -> "passed " + passed.get() + " of " + warmup, streams -> { });
        Pipeline warm = pipelineTopology("dtm-bench-warm-pipeline-" + runId, catalogue);
        runStreams("warm-up (c)", warm.appId(), warm.topology(), () -> warm.received().count() >= warmup, null,
                () -> String.format(Locale.ROOT, "received %.0f of %d", warm.received().count(), warmup),
                streams -> { });
        // (c) starts on empty output topics, as without a warm-up (a new entry's history is read from them)
        List<String> outputs = List.of(Topics.OBSERVATIONS.name(), Topics.INDICATORS.name(), Topics.DLQ.name(),
                WARMUP_TOPIC);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.deleteTopics(outputs).all().get();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!java.util.Collections.disjoint(admin.listTopics().names().get(), outputs)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the warm-up's output topics are not deleted");
                }
                Thread.sleep(100);
            }
        }
        createTopics();
        System.gc();
    }

    private Run passThrough() throws Exception {
        String appId = "dtm-bench-passthrough-" + runId;
        AtomicLong passed = new AtomicLong();
        Run run = runStreams("(b) pass-through", appId, passThroughTopology(appId, PASS_THROUGH_TOPIC, passed),
                () -> passed.get() >= events, null, () -> "passed " + passed.get() + " of " + events, streams -> { });
        long out = countCommitted(PASS_THROUGH_TOPIC, null);
        details.add(String.format(Locale.ROOT, "(b) details        running after %.2f s, %.0f events/s from then; %d"
                + " records passed, %d read committed from %s; %s; load average %s", run.runningAfterNanos / 1e9,
                run.rateWhenRunning(), passed.get(), out, PASS_THROUGH_TOPIC, run.threads, run.load));
        if (out != events) {
            throw new IllegalStateException("(b) wrote " + out + " records, expected " + events);
        }
        return run;
    }

    // --- (d) -------------------------------------------------------------------------------------------------

    /**
     * The records the contract asks of (c) per event at the least, on {@code byte[]} with nothing parsed or
     * computed: the event's bytes put in a logged persistent store (its vintage cell and that store's changelog),
     * then written to two compacted topics of its own (its observation, an indicator value), with the same
     * settings as (b) and (c).
     */
    private static Topology contractIoTopology(String appId, AtomicLong passed) {
        StreamsBuilder builder = TopologyProducer.newBuilder(appId);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FLOOR_STORE),
                Serdes.ByteArray(), Serdes.ByteArray()));
        KStream<byte[], byte[]> stored = builder.stream(Topics.TRADE.name(),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("bench-floor-read"))
                .process(() -> new Processor<byte[], byte[], byte[], byte[]>() {
                    private ProcessorContext<byte[], byte[]> context;
                    private KeyValueStore<byte[], byte[]> store;

                    @Override
                    public void init(ProcessorContext<byte[], byte[]> context) {
                        this.context = context;
                        this.store = context.getStateStore(FLOOR_STORE);
                    }

                    @Override
                    public void process(Record<byte[], byte[]> record) {
                        store.put(record.key(), record.value());
                        context.forward(record);
                    }
                }, Named.as("bench-floor-store-write"), FLOOR_STORE);
        stored.to(FLOOR_OBSERVATIONS_TOPIC, Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                .withName("bench-floor-write-observations"));
        stored.peek((k, v) -> passed.incrementAndGet(), Named.as("bench-floor-count"))
                .to(FLOOR_INDICATORS_TOPIC, Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("bench-floor-write-indicators"));
        return builder.build();
    }

    private Run contractIo() throws Exception {
        String appId = "dtm-bench-floor-" + runId;
        AtomicLong passed = new AtomicLong();
        AtomicReference<String> written = new AtomicReference<>();
        Run run = runStreams("(d) contract i/o", appId, contractIoTopology(appId, passed), () -> passed.get() >= events,
                null, () -> "passed " + passed.get() + " of " + events,
                streams -> written.set(written(streams, appId + "-")));
        long observations = countCommitted(FLOOR_OBSERVATIONS_TOPIC, null);
        long indicators = countCommitted(FLOOR_INDICATORS_TOPIC, null);
        details.add(String.format(Locale.ROOT, "(d) details        running after %.2f s, %.0f events/s from then; %d"
                + " records passed, %d and %d read committed from %s and %s; records written per event: %s; %s;"
                + " load average %s", run.runningAfterNanos / 1e9, run.rateWhenRunning(), passed.get(), observations,
                indicators, FLOOR_OBSERVATIONS_TOPIC, FLOOR_INDICATORS_TOPIC, written.get(), run.threads, run.load));
        if (observations != events || indicators != events) {
            throw new IllegalStateException("(d) wrote " + observations + " and " + indicators + " records, expected "
                    + events + " each");
        }
        return run;
    }

    // --- (e) and (f) -----------------------------------------------------------------------------------------

    /**
     * The value (f) writes for each observation: about the size of an indicator value, built once, so that nothing
     * is computed or serialized per record.
     */
    private static final byte[] FLOOR_VALUE = ("{\"indicator\":\"yoy_growth_pct\",\"id\":\"trade-yoy-growth\","
            + "\"reporter\":\"CHN\",\"partner\":\"WLD\",\"flow\":\"EXPORT\",\"category\":\"DDS\",\"period\":"
            + "\"2024-01\",\"value\":12.5,\"synthetic\":true,\"inputs\":[]}").getBytes(StandardCharsets.UTF_8);

    /**
     * (e): the ingest part alone, as an application running only the ingest role: decoding, validation, vintages,
     * observations out. It writes {@code dtm.observations.v1} again (after (c)'s records); ends when every event
     * has met the vintage store and a commit followed.
     */
    private Run ingestAlone(SyntheticTrade.Data data) throws Exception {
        return ingestRole("(e) ingest alone", "dtm-bench-ingest-", data, false);
    }

    /**
     * (f): the ingest role, then per winning observation one record to a compacted topic of its own, with nothing
     * computed: a pipeline whose indicators cost no more than one output record. (c) does all of this and more
     * (the indicators' computing, the group repartition and its stores, about 0.8 more records per event), so on a
     * machine bound by CPU (f)/(b) bounds (c)/(b) from above, measured rather than estimated.
     */
    private Run ingestAndOutput(SyntheticTrade.Data data) throws Exception {
        return ingestRole("(f) ingest + output", "dtm-bench-ingest-out-", data, true);
    }

    /**
     * The ingest role as an application of its own; with {@code writeOn}, each winning observation also goes on as
     * {@link #FLOOR_VALUE} to {@link #FLOOR_INDICATORS_TOPIC}. Checks that every winner reached the phase's last
     * topic: {@code dtm.observations.v1}, or that one with {@code writeOn}.
     */
    private Run ingestRole(String name, String appIdPrefix, SyntheticTrade.Data data, boolean writeOn)
            throws Exception {
        String appId = appIdPrefix + runId;
        String label = name.substring(0, 3);
        MeterRegistry registry = new SimpleMeterRegistry();
        DtmMetrics metrics = new DtmMetrics(registry);
        StreamsBuilder builder = TopologyProducer.newBuilder(appId);
        var winners = IngestTopology.build(builder, metrics, Duration.ofDays(30), Duration.ofHours(1), 64, PARTITIONS,
                Stores::persistentKeyValueStore, Clock.systemUTC());
        AtomicLong passed = new AtomicLong();
        if (writeOn) {
            winners.stream()
                    .mapValues(obs -> FLOOR_VALUE, Named.as("bench-ingest-out-value"))
                    .peek((k, v) -> passed.incrementAndGet(), Named.as("bench-ingest-out-count"))
                    .to(FLOOR_INDICATORS_TOPIC, Produced.with(Serdes.String(), Serdes.ByteArray())
                            .withName("bench-ingest-out-write"));
        }
        String output = writeOn ? FLOOR_INDICATORS_TOPIC : Topics.OBSERVATIONS.name();
        Counter received = registry.get("dtm.events.received").tag("feed", "trade").counter();
        Counter accepted = registry.get("dtm.events.accepted").tag("feed", "trade").counter();
        Counter revised = registry.get("dtm.observations.revised").tag("feed", "trade").counter();
        Counter stale = registry.get("dtm.observations.stale").tag("feed", "trade").counter();
        long before = countCommitted(output, null);
        AtomicReference<String> written = new AtomicReference<>();
        Run run = runStreams(name, appId, builder.build(),
                () -> accepted.count() >= events && revised.count() + stale.count() >= data.revisions()
                        && (!writeOn || passed.get() >= events - (long) stale.count()), null,
                () -> String.format(Locale.ROOT, "received %.0f, accepted %.0f, revised %.0f, stale %.0f%s",
                        received.count(), accepted.count(), revised.count(), stale.count(),
                        writeOn ? ", written on " + passed.get() : ""),
                streams -> written.set(written(streams, appId + "-")));
        long out = countCommitted(output, null) - before;
        details.add(String.format(Locale.ROOT, "%s details        running after %.2f s, %.0f events/s from then; %d"
                + " records written to %s; records written per event: %s; %s; load average %s", label,
                run.runningAfterNanos / 1e9, run.rateWhenRunning(), out, output, written.get(), run.threads,
                run.load));
        if (out != events - (long) stale.count()) {
            throw new IllegalStateException(label + " wrote " + out + " records to " + output + ", expected "
                    + (events - (long) stale.count()));
        }
        return run;
    }

    // --- (c) -------------------------------------------------------------------------------------------------

    /** The pipeline's topology with its meters. */
    private record Pipeline(String appId, Topology topology, MeterRegistry registry, IndicatorGauges gauges,
            Counter received) {
    }

    private Pipeline pipelineTopology(String appId, Catalogue catalogue) {
        MeterRegistry registry = new SimpleMeterRegistry();
        DtmMetrics metrics = new DtmMetrics(registry);
        IndicatorGauges gauges = new IndicatorGauges(registry, 30, 10_000);
        Catalogue.KINDS.forEach(metrics::registerIndicatorKind);
        StreamsBuilder builder = TopologyProducer.newBuilder(appId);
        var winners = IngestTopology.build(builder, metrics, Duration.ofDays(30), Duration.ofHours(1), 64, PARTITIONS,
                Stores::persistentKeyValueStore, Clock.systemUTC());
        IndicatorsTopology.build(builder, Optional.of(winners), catalogue, KafkaConnection.of(bootstrap), metrics, gauges,
                Stores::persistentKeyValueStore);
        return new Pipeline(appId, builder.build(), registry, gauges,
                registry.get("dtm.events.received").tag("feed", "trade").counter());
    }

    private Run pipeline(Catalogue catalogue, SyntheticTrade.Data data, Heap heap) throws Exception {
        Pipeline pipeline = pipelineTopology("dtm-bench-pipeline-" + runId, catalogue);
        String appId = pipeline.appId();
        MeterRegistry registry = pipeline.registry();
        IndicatorGauges gauges = pipeline.gauges();

        Counter received = pipeline.received();
        Counter accepted = registry.get("dtm.events.accepted").tag("feed", "trade").counter();
        Counter revised = registry.get("dtm.observations.revised").tag("feed", "trade").counter();
        Counter stale = registry.get("dtm.observations.stale").tag("feed", "trade").counter();
        Timer computed = registry.get("dtm.event.to.indicator").timer();
        BooleanSupplier done = () -> {
            // revised + stale = revisions: every event has met the vintage store, so stale is final
            if (received.count() < events || accepted.count() < events
                    || revised.count() + stale.count() < data.revisions()) {
                return false;
            }
            return computed.count() >= data.expectedIndicatorInputs((long) stale.count());
        };
        Supplier<String> progress = () -> String.format(Locale.ROOT, "received %.0f, accepted %.0f, revised %.0f,"
                + " stale %.0f, indicator inputs %d of %d", received.count(), accepted.count(), revised.count(),
                stale.count(), computed.count(), data.expectedIndicatorInputs((long) stale.count()));

        AtomicReference<String> atEnd = new AtomicReference<>();
        Run run = runStreams("(c) pipeline", appId, pipeline.topology(), done, heap, progress,
                streams -> atEnd.set(progress.get() + String.format(Locale.ROOT, "; indicator updates %.0f, exported"
                        + " series %d%n(c) records written  per event, by topic (%s- left out): %s", registry
                                .find("dtm.indicator.updates").counters().stream().mapToDouble(Counter::count).sum(),
                        gauges.size(), appId, written(streams, appId + "-"))));

        long staleCount = (long) stale.count();
        Set<String> keys = new HashSet<>();
        long observations = countCommitted(Topics.OBSERVATIONS.name(), keys);
        long indicators = countCommitted(Topics.INDICATORS.name(), null);
        long dlq = countCommitted(Topics.DLQ.name(), null);
        details.add(String.format(Locale.ROOT, "(c) details        running after %.2f s, %.0f events/s from then;"
                + " %s; load average %s; at the end: %s", run.runningAfterNanos / 1e9, run.rateWhenRunning(),
                run.threads, run.load, atEnd.get()));
        details.add(String.format(Locale.ROOT, "(c) outputs        %s: %d records, %d keys; %s: %d records; %s: %d"
                + " records", Topics.OBSERVATIONS.name(), observations, keys.size(), Topics.INDICATORS.name(),
                indicators, Topics.DLQ.name(), dlq));
        if (observations != events - staleCount || keys.size() != data.cells() || dlq != 0) {
            throw new IllegalStateException("(c) outputs are not as expected: " + observations + " observations (want "
                    + (events - staleCount) + "), " + keys.size() + " keys (want " + data.cells() + "), " + dlq
                    + " dead letters");
        }
        return run;
    }

    // --- Kafka Streams ---------------------------------------------------------------------------------------

    private record Run(Phase phase, long runningAfterNanos, String load, String threads) {

        /** Events per second from the RUNNING state on (the start-up, rebalance included, left out). */
        double rateWhenRunning() {
            return runningAfterNanos < 0 ? Double.NaN : phase.records() / ((phase.nanos() - runningAfterNanos) / 1e9);
        }
    }

    private Properties streamsConfig(String appId) throws IOException {
        Path dir = stateDir.resolve(appId);
        Files.createDirectories(dir);
        Properties props = streamsProperties(appId, bootstrap, dir, commitIntervalMs, threads);
        props.put(StreamsConfig.METRICS_RECORDING_LEVEL_CONFIG, "INFO");
        return props;
    }

    /** The service's Kafka Streams settings that matter to the figures: exactly-once v2, named resources, lz4. */
    static Properties streamsProperties(String appId, String bootstrap, Path dir, int commitIntervalMs, int threads) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toAbsolutePath().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        return props;
    }

    /** Starts the topology, waits for the end condition (see the class comment), closes it. */
    private Run runStreams(String name, String appId, Topology topology, BooleanSupplier processed,
            Heap heap, Supplier<String> progress,
            Consumer<KafkaStreams> atEnd) throws Exception {
        KafkaStreams streams = new KafkaStreams(topology, streamsConfig(appId));
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
        Meter meter = new Meter(name);
        String loadBefore = loadAverage();
        long[] gcBefore = gc();
        Map<String, Long> tasksBefore = taskCpuByKind();
        try {
            meter.start();
            streams.start();
            long deadline = System.nanoTime() + timeout.toNanos();
            long nextReport = System.nanoTime() + REPORT_EVERY.toNanos();
            double[] before = values(commits);
            double[] atDone;
            while (true) {
                double[] c = values(commits);
                Heap.sample(heap);
                if (processed.getAsBoolean()) {
                    atDone = c;
                    break;
                }
                before = c;
                check(name, failure, deadline, progress);
                if (System.nanoTime() > nextReport) {
                    System.err.printf(Locale.ROOT, "bench: %s after %.0f s: %s%n", name,
                            (System.nanoTime() - meter.startNanos) / 1e9, progress.get());
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
                Heap.sample(heap);
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
                check(name, failure, deadline, progress);
                Thread.sleep(POLL_MS);
            }
            Phase phase = meter.stopAt(end, events);
            atEnd.accept(streams);
            long[] gcAfter = gc();
            String threads = threadCpu(appId, phase, tasksBefore, taskCpuByKind())
                    + String.format(Locale.ROOT, "; gc %d collections, %.2f s of pauses", gcAfter[0] - gcBefore[0],
                            (gcAfter[1] - gcBefore[1]) / 1e3);
            long running = runningAt.get() == 0 ? -1 : runningAt.get() - meter.startNanos;
            return new Run(phase, running, loadBefore + " -> " + loadAverage(), threads);
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

    /** Peak heap: used (sampled) and after a collection (the live set, as the collector last saw it). */
    private static final class Heap {
        private static final List<MemoryPoolMXBean> POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null).toList();
        long peakUsed;
        long peakAfterGc;

        static void sample(Heap heap) {
            if (heap != null) {
                heap.peakUsed = Math.max(heap.peakUsed, MEMORY.getHeapMemoryUsage().getUsed());
                heap.peakAfterGc = Math.max(heap.peakAfterGc,
                        POOLS.stream().mapToLong(p -> p.getCollectionUsage().getUsed()).sum());
            }
        }
    }

    /**
     * Where the CPU of the phase went: the client's Java threads (they start with {@code KafkaStreams.start()}),
     * the stream thread (also as a share of the phase's wall-clock time) and its other threads (producer I/O, admin,
     * state updater); then, from {@code /proc/self/task} on Linux, the JVM's native threads: RocksDB's background
     * flushes and compactions, the garbage collector, the JIT compilers; and the CPU per event of this JVM and the
     * broker together, which depends much less on what else the machine runs than the rates do.
     */
    private String threadCpu(String appId, Phase phase, Map<String, Long> tasksBefore, Map<String, Long> tasksAfter) {
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
                + " time), other client threads %.1f s", stream / 1e9, 100.0 * stream / phase.nanos(), other / 1e9));
        for (String kind : List.of("rocksdb", "gc", "jit")) {
            if (tasksAfter.containsKey(kind)) {
                text.append(String.format(Locale.ROOT, ", %s %.1f s", kind,
                        (tasksAfter.get(kind) - tasksBefore.getOrDefault(kind, 0L)) / 1e9));
            }
        }
        if (phase.brokerCpuNanos() >= 0) {
            text.append(String.format(Locale.ROOT, "; per event %.0f us (bench jvm %.0f + broker %.0f)",
                    (phase.cpuNanos() + phase.brokerCpuNanos()) / 1e3 / phase.records(),
                    phase.cpuNanos() / 1e3 / phase.records(), phase.brokerCpuNanos() / 1e3 / phase.records()));
        }
        return text.toString();
    }

    /** CPU time (ns) of this JVM's native threads by kind, from {@code /proc/self/task}; empty elsewhere. */
    private Map<String, Long> taskCpuByKind() {
        Map<String, Long> byKind = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String kind = comm.startsWith("rocksdb:") ? "rocksdb"
                            : comm.startsWith("GC Thread") || comm.startsWith("G1 ") ? "gc"
                            : comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler") ? "jit" : null;
                    if (kind != null) {
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                        byKind.merge(kind, ticks * 1_000_000_000L / ticksPerSecond, Long::sum);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return byKind;
    }

    /** Collections and collection time (ms) of every collector so far. */
    private static long[] gc() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /** The 1, 5 and 15 minute load averages of the machine (other processes included), or n/a. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
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
    private String written(KafkaStreams streams, String prefix) {
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

    // --- reading outputs (not timed) -------------------------------------------------------------------------

    /** The records of a topic that are committed (read_committed, to the last stable offset); keys if asked. */
    private long countCommitted(String topic, Set<String> keys) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG, "dtm-bench-check-" + runId,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            long count = 0;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    count++;
                    if (keys != null) {
                        keys.add(new String(r.key(), StandardCharsets.UTF_8));
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot read " + topic + " to its end");
                }
            }
            return count;
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    // --- measuring -------------------------------------------------------------------------------------------

    /** Wall clock and CPU time of one phase. */
    private final class Meter {
        private final String name;
        private long startNanos;
        private long startCpu;
        private long startBroker;

        Meter(String name) {
            this.name = name;
        }

        void start() {
            startCpu = jvmCpuNanos();
            startBroker = brokerCpu == null ? -1 : brokerCpu.nanos();
            startNanos = System.nanoTime();
        }

        Phase stop(long records) {
            return stopAt(System.nanoTime(), records);
        }

        Phase stopAt(long endNanos, long records) {
            long broker = brokerCpu == null || startBroker < 0 ? -1 : brokerCpu.nanos() - startBroker;
            return new Phase(name, records, endNanos - startNanos, jvmCpuNanos() - startCpu, broker);
        }
    }

    private static long jvmCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    /** CPU time of another process (the broker) from {@code /proc/<pid>/stat}; -1 when unreadable. */
    private record ProcessCpu(long pid, long ticksPerSecond) {
        long nanos() {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
                return ticks * 1_000_000_000L / ticksPerSecond;
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
    }

    /**
     * SLF4J is bound to the JBoss Log Manager here, as in the service; on this classpath, outside Quarkus, its
     * root logger is left at ALL with a handler that buffers every record for a Quarkus start that never comes, so
     * that every {@code trace} of the Kafka clients would be formatted on the hot path. Configure it as the service
     * runs: INFO, {@code org.apache.kafka} at WARN, to stderr (stdout carries the figures).
     */
    static void configureLogging() {
        org.jboss.logmanager.Logger root = LogContext.getLogContext().getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        root.addHandler(new ConsoleHandler(ConsoleHandler.Target.SYSTEM_ERR,
                new PatternFormatter("%d{HH:mm:ss,SSS} %-5p [%c{1.}] (%t) %s%e%n")));
        root.setLevel(Level.INFO);
        LogContext.getLogContext().getLogger("org.apache.kafka")
                .setLevel(Level.WARN);
        // Kafka Streams creates its repartition topics after its consumer first asks for them: not worth a warning
        LogContext.getLogContext().getLogger("org.apache.kafka.clients.NetworkClient")
                .setLevel(Level.ERROR);
        if (LoggerFactory.getLogger("org.apache.kafka.clients.producer.KafkaProducer").isDebugEnabled()) {
            throw new IllegalStateException("logging is not configured: Kafka debug logging is on");
        }
    }

    // --- arguments -------------------------------------------------------------------------------------------

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String key = switch (a) {
                case "-n", "--events" -> "events";
                case "--bootstrap" -> "bootstrap";
                case "--seed" -> "seed";
                case "--state-dir" -> "state-dir";
                case "--timeout" -> "timeout";
                case "--broker-pid" -> "broker-pid";
                case "--clk-tck" -> "clk-tck";
                case "--key" -> "key";
                case "--warmup" -> "warmup";
                case "--commit-interval" -> "commit-interval";
                case "--threads" -> "threads";
                default -> {
                    usage("unknown argument " + a);
                    yield null;
                }
            };
            if (i + 1 >= args.length) {
                usage(a + " needs a value");
            }
            opts.put(key, args[++i]);
        }
        return opts;
    }

    private static void usage(String problem) {
        System.err.println("ThroughputBenchmark: " + problem);
        System.err.println("usage: ThroughputBenchmark --bootstrap host:port [-n events] [--seed n]"
                + " [--state-dir dir] [--timeout seconds] [--broker-pid pid [--clk-tck ticks]] [--key series|event]"
                + " [--warmup events]"
                + " [--commit-interval ms] [--threads n]");
        System.exit(2);
    }
}
