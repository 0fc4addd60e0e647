package io.dtm.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The options of {@link ThroughputBenchmark}, as {@code src/bench/run.sh} passes them.
 *
 * @param bootstrap the broker
 * @param events the events to publish and process
 * @param seed the seed of {@link SyntheticTrade}
 * @param stateDir where each Kafka Streams application keeps its state, in a directory of its own
 * @param timeout the longest a phase may take
 * @param broker the broker's process, to measure its CPU; null when not given
 * @param ticksPerSecond the kernel's clock ticks per second ({@code getconf CLK_TCK}), for CPU from {@code /proc}
 * @param keyBySeries events keyed by their series (read on their series' partition) rather than by their id
 * @param warmup events the warmed-up phases first process in a warm-up of their own (JIT), outside the figures
 * @param commitIntervalMs {@code commit.interval.ms} of the Kafka Streams phases
 * @param threads {@code num.stream.threads} of the Kafka Streams phases
 */
record ThroughputOptions(String bootstrap, int events, long seed, Path stateDir, Duration timeout,
        Machine.ProcessCpu broker, long ticksPerSecond, boolean keyBySeries, int warmup, int commitIntervalMs,
        int threads) {

    /** The service's {@code commit.interval.ms}. */
    static final int SERVICE_COMMIT_INTERVAL_MS = 100;

    static ThroughputOptions parse(String[] args) {
        Map<String, String> opts = options(args);
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
        Machine.ProcessCpu broker = opts.containsKey("broker-pid")
                ? new Machine.ProcessCpu(Long.parseLong(opts.get("broker-pid")), ticks) : null;
        String key = opts.getOrDefault("key", "series");
        if (!key.equals("series") && !key.equals("event")) {
            usage("--key is series or event, was " + key);
        }
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "0").replace("_", ""));
        if (warmup < 0 || warmup > events) {
            usage("--warmup is 0 to the number of events, was " + warmup);
        }
        int commitInterval = Integer.parseInt(opts.getOrDefault("commit-interval",
                Integer.toString(SERVICE_COMMIT_INTERVAL_MS)));
        if (commitInterval < 1 || commitInterval > 60_000) {
            usage("--commit-interval is 1 to 60000 ms, was " + commitInterval);
        }
        int threads = Integer.parseInt(opts.getOrDefault("threads", "1"));
        if (threads < 1 || threads > BenchKafka.PARTITIONS * 2) {
            usage("--threads is 1 to " + BenchKafka.PARTITIONS * 2 + ", was " + threads);
        }
        return new ThroughputOptions(bootstrap, events, seed, stateDir, timeout, broker, ticks, key.equals("series"),
                warmup, commitInterval, threads);
    }

    private static Map<String, String> options(String[] args) {
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
                + " [--warmup events] [--commit-interval ms] [--threads n]");
        System.exit(2);
    }
}
