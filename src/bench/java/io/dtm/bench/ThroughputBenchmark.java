package io.dtm.bench;

import io.dtm.streams.Topics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Throughput of the ingest → observations → indicators pipeline against the floor Kafka Streams sets, on the same
 * records in one run (issue 3, item 6). Not a test: run it with {@code src/bench/run.sh}, which starts a broker of
 * its own.
 * <p>
 * It creates the service's topics (3 partitions, observations and indicators compacted) and its own, then runs the
 * {@link #PHASES} in order on the same N synthetic trade events ({@link SyntheticTrade}); each phase's class says what
 * it measures and when it is done:
 * <ol>
 * <li>{@link Publish}: the events to {@code dtm.trade.v1};</li>
 * <li>(a) {@link RawConsumer}: a plain consumer reads them;</li>
 * <li>(b) {@link PassThrough}: a pass-through topology on {@code byte[]};</li>
 * <li>(c) {@link Pipeline}: the real pipeline, ingest and indicators;</li>
 * <li>(d) {@link ContractIo}: the contract's records without the work;</li>
 * <li>(e) {@link IngestRole#ALONE}: the ingest role alone;</li>
 * <li>(f) {@link IngestRole#WITH_OUTPUT}: the ingest role and one output record per observation.</li>
 * </ol>
 * Every phase is measured by a {@link Meter} (time, CPU of this JVM and the broker, native threads, collections,
 * load average). (b) to (f) run as one {@code KafkaStreams} each, timed by {@link StreamsRun} until every record is
 * processed and committed, with the service's settings: {@code exactly_once_v2},
 * {@code ensure.explicit.internal.resource.naming=true}, {@code commit.interval.ms=100} and one stream thread (unless
 * asked otherwise), lz4, {@code auto.offset.reset=earliest}; their own {@code application.id} and state directory.
 * After each phase, outside the timing, read_committed consumers check its outputs.
 * <p>
 * <b>Warm-up.</b> With {@code --warmup W}, right before the first phase that warms up ({@link Phase.WarmedUp}: (b)
 * and (c)), each of them runs the same work over W events as an application of its own; their outputs are then
 * deleted, so that (c) starts on empty topics as without a warm-up.
 * <p>
 * <b>Output</b>: {@link ThroughputReport} on stdout; progress and logs go to stderr. The exit status is 1 when a
 * phase did not get through all N events.
 */
public final class ThroughputBenchmark {

    static final Publish PUBLISH = new Publish();
    static final RawConsumer RAW = new RawConsumer();
    static final PassThrough PASS_THROUGH = new PassThrough();
    static final Pipeline PIPELINE = new Pipeline();
    static final ContractIo CONTRACT_IO = new ContractIo();
    static final IngestRole INGEST_ALONE = IngestRole.ALONE;
    static final IngestRole INGEST_WITH_OUTPUT = IngestRole.WITH_OUTPUT;

    /** The phases, in the order they run and are reported. */
    static final List<Phase> PHASES = List.of(PUBLISH, RAW, PASS_THROUGH, PIPELINE, CONTRACT_IO, INGEST_ALONE,
            INGEST_WITH_OUTPUT);

    private ThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchKafka.configureLogging();
        System.exit(run(ThroughputOptions.parse(args)));
    }

    private static int run(ThroughputOptions options) throws Exception {
        Bench bench = Bench.generate(options);
        bench.createTopics();
        Map<Phase, Outcome> outcomes = new LinkedHashMap<>();
        boolean warm = options.warmup() == 0;
        for (Phase phase : PHASES) {
            if (!warm && phase instanceof Phase.WarmedUp) {
                warmUp(bench);
                warm = true;
            }
            outcomes.put(phase, phase.run(bench));
        }
        System.out.print(new ThroughputReport(bench, outcomes).text());
        System.out.flush();
        boolean allThrough = outcomes.values().stream()
                .allMatch(o -> o.measurement().records() == options.events());
        return allThrough ? 0 : 1;
    }

    /**
     * Runs the warm-up of every phase that has one, so that the JIT has compiled their code before they are
     * measured; then deletes and creates again the topics the warm-ups wrote to, since (c) reads a new entry's
     * history from them and must start on empty topics as without a warm-up.
     */
    private static void warmUp(Bench bench) throws Exception {
        for (Phase phase : PHASES) {
            if (phase instanceof Phase.WarmedUp warmed) {
                StreamsRun.time(bench, warmed.warmUp(bench));
            }
        }
        BenchKafka.deleteTopics(bench.options().bootstrap(), List.of(Topics.OBSERVATIONS.name(),
                Topics.INDICATORS.name(), Topics.DLQ.name(), BenchKafka.WARMUP_TOPIC), bench.options().timeout());
        bench.createTopics();
        System.gc();
    }
}
