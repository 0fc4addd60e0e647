package io.dtm.bench;

import io.dtm.events.Feed;
import io.dtm.indicators.Catalogue;
import io.dtm.indicators.IndicatorsTopology;
import io.dtm.ingest.IngestTopology;
import io.dtm.metrics.DtmMetrics;
import io.dtm.metrics.IndicatorGauges;
import io.dtm.streams.KafkaConnection;
import io.dtm.streams.Topics;
import io.dtm.streams.TopologyProducer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.Stores;

/**
 * The soak run of the pipeline (issue 14): N observations (default 5 000 000 = 10 000 series × 500 monthly periods
 * from 1984-01, no revisions) published to {@code dtm.trade.v1} first, then loaded through the pipeline of (c)
 * (ingest and indicators in one application, the default catalogue, persistent stores, {@code exactly_once_v2},
 * one stream thread, the gauges at the service's defaults: 30 periods, 10 000 series) in a JVM of the given heap.
 * Prints, per tenth of the events, the rate and the heap after the last collection, then the rate over the first
 * half and over the last tenth and their ratio (target ≥ 0.8), the heap after a full collection once the first
 * tenth is through and at the end (target: within 20 %), the state on disk and what that makes per series and per
 * stored value, and the load average. Rates are counted from the first event received (start-up left out).
 */
final class SoakBenchmark {

    static final int SERIES = 10_000;
    private static final List<String> REPORTERS = List.of("WLD", "RCEP", "NON_RCEP", "AUS", "BRN", "KHM", "CHN",
            "IDN", "JPN", "LAO", "MYS", "MMR", "NZL", "PHL", "SGP", "KOR", "THA", "VNM", "USA", "IND");
    private static final List<String> PARTNERS = List.of("WLD", "RCEP", "NON_RCEP", "USA", "CHN", "DEU", "FRA",
            "GBR", "ITA", "ESP", "NLD", "CAN", "MEX", "BRA", "ARG", "ZAF", "EGY", "NGA", "TUR", "SAU", "ARE", "ISR",
            "CHE", "SWE", "NOR");
    private static final List<String> FLOWS = List.of("EXPORT", "IMPORT");
    private static final List<String> CATEGORIES = List.of("GOODS", "SERVICES", "DDS", "ICT", "SC", "SD", "SF", "SG",
            "SI", "SJ");
    private static final Duration DRAINED_AFTER = Duration.ofSeconds(3);

    private final String bootstrap;
    private final int events;
    private final Path stateDir;
    private final Duration timeout;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);

    private SoakBenchmark(String bootstrap, int events, Path stateDir, Duration timeout) {
        this.bootstrap = bootstrap;
        this.events = events;
        this.stateDir = stateDir;
        this.timeout = timeout;
    }

    public static void main(String[] args) throws Exception {
        BenchKafka.configureLogging();
        String bootstrap = null;
        int events = 5_000_000;
        Path stateDir = Path.of("target/bench-state");
        Duration timeout = Duration.ofHours(2);
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--bootstrap" -> bootstrap = args[i + 1];
                case "-n", "--events" -> events = Integer.parseInt(args[i + 1].replace("_", ""));
                case "--state-dir" -> stateDir = Path.of(args[i + 1]);
                case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(args[i + 1]));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (bootstrap == null || events < 20) {
            System.err.println("usage: SoakBenchmark --bootstrap host:port [-n events >= 20] [--state-dir dir]"
                    + " [--timeout seconds]");
            System.exit(2);
        }
        System.exit(new SoakBenchmark(bootstrap, events, stateDir, timeout).run());
    }

    private int run() throws Exception {
        createTopics();
        long p0 = System.nanoTime();
        publish();
        double publishSeconds = (System.nanoTime() - p0) / 1e9;
        System.err.printf(Locale.ROOT, "bench: soak: %d events published in %.0f s%n", events, publishSeconds);

        MeterRegistry registry = new SimpleMeterRegistry();
        DtmMetrics metrics = new DtmMetrics(registry);
        IndicatorGauges gauges = new IndicatorGauges(registry, 30, 10_000);
        Catalogue.KINDS.forEach(metrics::registerIndicatorKind);
        String appId = "dtm-bench-soak-" + runId;
        StreamsBuilder builder = TopologyProducer.newBuilder(appId);
        var winners = IngestTopology.build(builder, metrics, Duration.ofDays(30), Duration.ofHours(1), 64,
                BenchKafka.PARTITIONS, Stores::persistentKeyValueStore, Clock.systemUTC());
        IndicatorsTopology.build(builder, Optional.of(winners), Catalogue.load("classpath:indicators.yaml"),
                KafkaConnection.of(bootstrap), metrics, gauges, Stores::persistentKeyValueStore);
        Counter received = registry.get("dtm.events.received").tag("feed", "trade").counter();
        Counter accepted = registry.get("dtm.events.accepted").tag("feed", "trade").counter();
        Timer computed = registry.get("dtm.event.to.indicator").timer();

        long emptyHeap = heapAfterFullGc();
        Path dir = stateDir.resolve(appId);
        Files.createDirectories(dir);
        String loadBefore = Machine.loadAverage();
        List<String> tenths = new ArrayList<>();
        long[] at = new long[11]; // nanoTime when tenth k of the events had been received (0: the first event)
        long heapAtTenth = -1;
        long heapAtEnd;
        int exportedSeries;
        long seriesValues;
        long groupValues;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        KafkaStreams streams = new KafkaStreams(builder.build(), streamsConfig(appId, dir));
        streams.setUncaughtExceptionHandler(e -> {
            failure.compareAndSet(null, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        try {
            streams.start();
            long deadline = System.nanoTime() + timeout.toNanos();
            int next = 0;
            long lastComputed = -1;
            long stableSince = 0;
            while (true) {
                if (failure.get() != null) {
                    throw new IllegalStateException("the pipeline failed", failure.get());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the soak did not finish in " + timeout + ": "
                            + (long) received.count() + " of " + events + " events received" + String.join("", tenths));
                }
                long count = (long) received.count();
                while (next <= 10 && count >= Math.max(1, (long) events * next / 10)) {
                    at[next] = System.nanoTime();
                    if (next > 0) {
                        double seconds = (at[next] - at[next - 1]) / 1e9;
                        String line = String.format(Locale.ROOT, "%n  tenth %2d  %8.0f events/s  heap after last GC"
                                + " %4d MiB  load %s", next, events / 10.0 / seconds, Machine.heapAfterGc() >> 20,
                                Machine.loadAverage());
                        tenths.add(line);
                        System.err.print("bench: soak:" + line.substring(1) + "\n");
                    }
                    if (next == 1) {
                        heapAtTenth = heapAfterFullGc();
                    }
                    next++;
                }
                if (next > 10 && accepted.count() >= events) {
                    long c = computed.count();
                    if (c != lastComputed) {
                        lastComputed = c;
                        stableSince = System.nanoTime();
                    } else if (System.nanoTime() - stableSince > DRAINED_AFTER.toNanos()) {
                        break; // every event in, and no indicator input left in the repartition
                    }
                }
                Thread.sleep(100);
            }
            heapAtEnd = heapAfterFullGc();
            seriesValues = entries(streams, IndicatorsTopology.SERIES_VALUE_STORE);
            groupValues = entries(streams, IndicatorsTopology.VALUE_STORE);
            exportedSeries = gauges.size();
        } finally {
            streams.close(Duration.ofSeconds(60));
        }
        long onDisk = bytesUnder(dir); // closed: the stores' memtables are written out
        Path brokerData = stateDir.toAbsolutePath().getParent().resolve("data"); // run.sh's broker, if there
        long brokerBytes = Files.isDirectory(brokerData) ? bytesUnder(brokerData) : -1;

        double half = (events / 2.0) / ((at[5] - at[0]) / 1e9);
        double last = (events / 10.0) / ((at[10] - at[9]) / 1e9);
        double heapRatio = (double) heapAtEnd / heapAtTenth;
        long values = seriesValues + groupValues;
        StringBuilder out = new StringBuilder();
        out.append("dtm soak benchmark\n");
        out.append(String.format(Locale.ROOT, "events             %d (%d series x %d periods from 1984-01, no"
                + " revisions), published in %.0f s%n", events, SERIES, (events + SERIES - 1) / SERIES,
                publishSeconds));
        out.append(String.format(Locale.ROOT, "jvm max heap       %d MiB%n", Runtime.getRuntime().maxMemory() >> 20));
        out.append(String.format(Locale.ROOT, "pipeline           %.0f s from the first event received%n",
                (at[10] - at[0]) / 1e9));
        out.append("per tenth").append(String.join("", tenths)).append('\n');
        out.append(String.format(Locale.ROOT, "rate first half    %.0f events/s%n", half));
        out.append(String.format(Locale.ROOT, "rate last tenth    %.0f events/s%n", last));
        out.append(String.format(Locale.ROOT, "ratio last/first   %.3f (target >= 0.8: %s)%n", last / half,
                last / half >= 0.8 ? "met" : "not met"));
        out.append(String.format(Locale.ROOT, "heap after GC      %.1f MiB before the pipeline, %.1f MiB after the first"
                + " tenth, %.1f MiB at the end: ratio %.3f (target within 20 %%: %s)%n", emptyHeap / 1048576.0,
                heapAtTenth / 1048576.0, heapAtEnd / 1048576.0, heapRatio,
                Math.abs(heapRatio - 1) <= 0.2 ? "met" : "not met"));
        out.append(String.format(Locale.ROOT, "stored values      %d over one series + %d over several (RocksDB"
                + " estimates); %d observations%n", seriesValues, groupValues, events));
        out.append(String.format(Locale.ROOT, "state on disk      %.1f MiB: %.0f bytes per series, %.0f per stored"
                + " value or observation%n", onDisk / 1048576.0, (double) onDisk / SERIES,
                (double) onDisk / (values + events)));
        out.append(String.format(Locale.ROOT, "heap per series    %.0f bytes (heap at the end less before the"
                + " pipeline, over %d series); per stored value %.1f bytes (end less first tenth, over the values"
                + " added since, about 9/10 of them)%n", (double) (heapAtEnd - emptyHeap) / SERIES, SERIES,
                (heapAtEnd - heapAtTenth) / (0.9 * (values + events))));
        out.append(String.format(Locale.ROOT, "broker on disk     %s (the events, observations, indicators,"
                + " changelogs and repartitions, before compaction and retention)%n", brokerBytes < 0 ? "n/a"
                        : String.format(Locale.ROOT, "%.1f MiB", brokerBytes / 1048576.0)));
        out.append(String.format(Locale.ROOT, "exported series    %d (cap 10 000)%n", exportedSeries));
        out.append(String.format(Locale.ROOT, "load average       %s before, %s at the end%n", loadBefore,
                Machine.loadAverage()));
        System.out.print(out);
        System.out.flush();
        return accepted.count() >= events ? 0 : 1;
    }

    private static long entries(KafkaStreams streams, String store) {
        return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()))
                .approximateNumEntries();
    }

    private static long bytesUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // deleted meanwhile (compaction)
                }
            }).sum();
        }
    }

    /** Heap used after a full collection (two, so that what the first finalises goes too). */
    private static long heapAfterFullGc() {
        System.gc();
        System.gc();
        return Machine.heapUsed();
    }

    private Properties streamsConfig(String appId, Path dir) {
        return BenchKafka.streamsProperties(appId, bootstrap, dir, 100, 1);
    }

    private void createTopics() throws Exception {
        List<NewTopic> topics = BenchKafka.pipelineTopics();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(topics).all().get();
        }
    }

    /** The events, generated as they are sent (none kept): period by period, every series in each. */
    private void publish() {
        Properties props = BenchKafka.feedProducer(bootstrap);
        Random random = new Random(42);
        double[] level = new double[SERIES];
        double[] trend = new double[SERIES];
        String[][] labels = new String[SERIES][];
        for (int s = 0; s < SERIES; s++) {
            level[s] = Math.exp(Math.log(10) + random.nextDouble() * (Math.log(100_000) - Math.log(10)));
            trend[s] = -0.05 + random.nextDouble() * 0.20;
            labels[s] = labels(s);
        }
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int e = 0; e < events && failed.get() == null; e++) {
                int s = e % SERIES;
                int p = e / SERIES;
                String[] l = labels[s];
                double value = level[s] * Math.pow(1 + trend[s], p / 12.0) * (1 + 0.05 * random.nextGaussian());
                value = Math.max(0.01, Math.round(value * 1000) / 1000.0);
                String period = String.format(Locale.ROOT, "%04d-%02d", 1984 + p / 12, p % 12 + 1);
                LocalDate vintage = LocalDate.of(1984 + p / 12, p % 12 + 1, 15).plusMonths(2);
                String growth = l[0].equals("WLD") && l[1].equals("WLD")
                        ? ",\"reportedGrowthPct\":" + Math.round((trend[s] * 100 + random.nextGaussian()) * 10) / 10.0
                        : "";
                String json = "{\"specversion\":\"1.0\",\"id\":\"soak-" + e + "\",\"source\":\"" + SyntheticTrade.SOURCE
                        + "\",\"type\":\"" + Feed.TRADE.eventType() + "\",\"datacontenttype\":\"application/json\","
                        + "\"data\":{\"reporter\":\"" + l[0] + "\",\"partner\":\"" + l[1] + "\",\"flow\":\"" + l[2]
                        + "\",\"category\":\"" + l[3] + "\",\"period\":\"" + period + "\",\"value\":" + value
                        + ",\"unit\":\"USD_MN\",\"vintage\":\"" + vintage + "\",\"synthetic\":true" + growth + "}}";
                byte[] key = ("trade|" + String.join("|", l)).getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(Topics.TRADE.name(), null, key,
                        json.getBytes(StandardCharsets.UTF_8), SyntheticTrade.headers()), (md, ex) -> {
                            if (ex != null) {
                                failed.compareAndSet(null, ex);
                            }
                        });
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new UncheckedIOException(new IOException("publishing failed", failed.get()));
        }
    }

    /** {@code reporter, partner, flow, category} of series {@code s}: 20 × 25 × 2 × 10. */
    private static String[] labels(int s) {
        int category = s % CATEGORIES.size();
        int flow = (s / CATEGORIES.size()) % FLOWS.size();
        int partner = (s / (CATEGORIES.size() * FLOWS.size())) % PARTNERS.size();
        int reporter = s / (CATEGORIES.size() * FLOWS.size() * PARTNERS.size());
        return new String[] {REPORTERS.get(reporter), PARTNERS.get(partner), FLOWS.get(flow),
                CATEGORIES.get(category)};
    }
}
