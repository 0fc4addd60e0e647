#!/usr/bin/env bash
# Throughput benchmark of the ingest → observations → indicators pipeline (issue 3, item 6). Not a test.
#
# Usage: src/bench/run.sh [-n EVENTS] [--soak] [--keep] [--jfr] [--] [extra JVM options]
#
#   -n EVENTS   synthetic trade events to publish and process (default $DTM_BENCH_EVENTS or 100000:
#               about 2 minutes in all on a 2-core machine, up to 3 when the machine is busy;
#               200000 takes about 2.5 minutes on a quiet machine, 4 to 5 on a busy one)
#   --keep      keep the working directory (broker data and logs, stream state) instead of deleting it
#   --key K     series (default): each event keyed by its series, as the HTTP ingest does, so read on its
#               series' partition; event: keyed by source|id, so most events take the ingest-vintage repartition
#   --warmup W  first run W events through a pass-through and a pipeline of their own (outside the figures), so
#               that the JIT has compiled their code before (b) and (c); default $DTM_BENCH_WARMUP or 0
#   --commit-interval MS
#               commit.interval.ms of (b), (c) and (d) (default 100, the service's): how much the commit
#               cadence costs; the figures of the service are those at 100
#   --threads N num.stream.threads of (b) to (f) (default 1, the service's default; DTM_STREAM_THREADS there)
#   --soak      instead of (a) to (f): load EVENTS observations (default 5000000 = 10 000 series x 500 periods)
#               into the pipeline of (c) and print the rate over the first half and the last tenth and the heap
#               after GC after the first tenth and at the end (io.dtm.bench.SoakBenchmark); with
#               DTM_BENCH_HEAP=512m, the service's heap
#   --jfr       record the benchmark JVM with Java Flight Recorder (profile settings) into
#               <work dir>/bench.jfr; implies --keep
#
# What it does:
#   1. compiles src/bench/java with the test sources (./mvnw -Pbench test-compile; the profile also writes
#      the test classpath to target/bench-classpath.txt);
#   2. starts the project's broker (deploy/local/kafka.sh start) on a free port of 127.0.0.1 with a free
#      controller port and its own DTM_KAFKA_DIR, target/bench-kafka-XXXX;
#   3. runs io.dtm.bench.ThroughputBenchmark, which publishes the events and measures, on the same records,
#      (a) a raw KafkaConsumer, (b) a pass-through exactly_once_v2 topology on byte[], (c) the real pipeline,
#      (d) the contract's records without the work, (e) the ingest part alone and (f) the ingest part with one
#      output record per observation (one class each in src/bench/java/io/dtm/bench, which says what it
#      measures; the settings in ThroughputBenchmark's comment, the end condition in StreamsRun's), and prints
#      the figures (ThroughputReport);
#   4. on exit, whatever happens (error, Ctrl-C, SIGTERM), stops the benchmark JVM and the broker, and deletes
#      the working directory unless --keep.
#
# Environment: DTM_BENCH_EVENTS (events), DTM_BENCH_KEY (series or event), DTM_BENCH_WARMUP, DTM_BENCH_HEAP (benchmark JVM heap, default 1g),
# DTM_BENCH_JAVA_OPTS (more JVM options), JAVA_HOME, KAFKA_HEAP_OPTS (broker heap, see kafka.sh).
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd -- "$SCRIPT_DIR/../.." && pwd -P)"
KAFKA_SH="$REPO_ROOT/deploy/local/kafka.sh"

EVENTS="${DTM_BENCH_EVENTS:-}"
SOAK=0
HEAP="${DTM_BENCH_HEAP:-1g}"
KEEP=0
JFR=0
KEY="${DTM_BENCH_KEY:-series}"
WARMUP="${DTM_BENCH_WARMUP:-0}"
COMMIT_INTERVAL=100
THREADS=1
JVM_EXTRA=()

# shellcheck source=src/bench/lib.sh
source "$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)/lib.sh"

while [[ $# -gt 0 ]]; do
  case "$1" in
    -n | --events)
      [[ $# -ge 2 ]] || usage
      EVENTS="$2"
      shift 2
      ;;
    --keep)
      KEEP=1
      shift
      ;;
    --key)
      [[ $# -ge 2 ]] || usage
      KEY="$2"
      shift 2
      ;;
    --warmup)
      [[ $# -ge 2 ]] || usage
      WARMUP="$2"
      shift 2
      ;;
    --commit-interval)
      [[ $# -ge 2 ]] || usage
      COMMIT_INTERVAL="$2"
      shift 2
      ;;
    --threads)
      [[ $# -ge 2 ]] || usage
      THREADS="$2"
      shift 2
      ;;
    --soak)
      SOAK=1
      shift
      ;;
    --jfr)
      JFR=1
      KEEP=1
      shift
      ;;
    -h | --help) usage ;;
    --)
      shift
      JVM_EXTRA+=("$@")
      break
      ;;
    *) usage ;;
  esac
done
if [[ -z "$EVENTS" ]]; then
  if ((SOAK)); then EVENTS=5000000; else EVENTS=100000; fi
fi
EVENTS="${EVENTS//_/}"
[[ "$EVENTS" =~ ^[0-9]+$ ]] && ((EVENTS >= 2)) || die "the number of events must be an integer >= 2 (got '$EVENTS')"
[[ "$KEY" == series || "$KEY" == event ]] || die "--key is series or event (got '$KEY')"
WARMUP="${WARMUP//_/}"
[[ "$WARMUP" =~ ^[0-9]+$ ]] && ((WARMUP <= EVENTS)) || die "--warmup is 0 to the number of events (got '$WARMUP')"
[[ "$COMMIT_INTERVAL" =~ ^[0-9]+$ ]] && ((COMMIT_INTERVAL >= 1 && COMMIT_INTERVAL <= 60000)) \
  || die "--commit-interval is 1 to 60000 ms (got '$COMMIT_INTERVAL')"
[[ "$THREADS" =~ ^[0-9]+$ ]] && ((THREADS >= 1 && THREADS <= 6)) || die "--threads is 1 to 6 (got '$THREADS')"

if [[ -x "$REPO_ROOT/mvnw" ]]; then
  MVN="$REPO_ROOT/mvnw"
else
  MVN="mvn"
fi


# --- cleanup: runs on every exit ----------------------------------------------------------------------

WORK_DIR=""
BENCH_PID=""
BROKER_STARTED=0

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n "$BENCH_PID" ]] && kill -0 "$BENCH_PID" 2>/dev/null; then
    info "stopping the benchmark JVM (pid $BENCH_PID)"
    kill -TERM "$BENCH_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$BENCH_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$BENCH_PID" 2>/dev/null || true
    wait "$BENCH_PID" 2>/dev/null || true
  fi
  if ((BROKER_STARTED)); then
    DTM_KAFKA_DIR="$WORK_DIR" "$KAFKA_SH" stop >&2 || true
  fi
  finish_work_dir "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 1. build ---------------------------------------------------------------------------------------------

cd -- "$REPO_ROOT"
info "compiling (./mvnw -Pbench test-compile)"
"$MVN" -q -B -Pbench test-compile >&2 || die "the build failed"
CLASSPATH_FILE="$REPO_ROOT/target/bench-classpath.txt"
[[ -s "$CLASSPATH_FILE" ]] || die "no $CLASSPATH_FILE after the build"
CP="$REPO_ROOT/target/test-classes:$REPO_ROOT/target/classes:$(cat "$CLASSPATH_FILE")"

# --- 2. broker ------------------------------------------------------------------------------------------

mkdir -p -- "$REPO_ROOT/target"
WORK_DIR="$(mktemp -d "$REPO_ROOT/target/bench-kafka-XXXX")"
PORT="$(free_port)"
CONTROLLER_PORT="$(free_port "$PORT")"
info "starting the broker on 127.0.0.1:$PORT (controller $CONTROLLER_PORT) in ${WORK_DIR#"$REPO_ROOT"/}"
BROKER_STARTED=1
DTM_KAFKA_DIR="$WORK_DIR" DTM_KAFKA_PORT="$PORT" DTM_KAFKA_CONTROLLER_PORT="$CONTROLLER_PORT" \
  "$KAFKA_SH" start >&2
BROKER_PID="$(tr -dc '0-9' <"$WORK_DIR/kafka.pid")"

# --- 3. benchmark -----------------------------------------------------------------------------------------

JVM_OPTS=("-Xms$HEAP" "-Xmx$HEAP" "-Djava.util.logging.manager=org.jboss.logmanager.LogManager")
if ((JFR)); then
  JVM_OPTS+=("-XX:StartFlightRecording=filename=$WORK_DIR/bench.jfr,settings=profile,dumponexit=true")
fi
if [[ -n "${DTM_BENCH_JAVA_OPTS:-}" ]]; then
  read -r -a MORE <<<"$DTM_BENCH_JAVA_OPTS"
  JVM_OPTS+=("${MORE[@]}")
fi
JVM_OPTS+=(${JVM_EXTRA[@]+"${JVM_EXTRA[@]}"})

if ((SOAK)); then
  ((EVENTS >= 20)) || die "a soak needs at least 20 events (got '$EVENTS')"
  info "running io.dtm.bench.SoakBenchmark with $EVENTS events, heap $HEAP"
  "$JAVA" "${JVM_OPTS[@]}" -cp "$CP" io.dtm.bench.SoakBenchmark \
    --bootstrap "127.0.0.1:$PORT" --events "$EVENTS" --state-dir "$WORK_DIR/streams" &
else
info "running io.dtm.bench.ThroughputBenchmark with $EVENTS events"
"$JAVA" "${JVM_OPTS[@]}" -cp "$CP" io.dtm.bench.ThroughputBenchmark \
  --bootstrap "127.0.0.1:$PORT" --events "$EVENTS" --state-dir "$WORK_DIR/streams" \
  --broker-pid "$BROKER_PID" --clk-tck "$(getconf CLK_TCK 2>/dev/null || echo 100)" --key "$KEY" --warmup "$WARMUP" --commit-interval "$COMMIT_INTERVAL" \
  --threads "$THREADS" &
fi
BENCH_PID=$!
set +e
wait "$BENCH_PID"
STATUS=$?
set -e
BENCH_PID=""
if ((JFR)); then
  info "flight recording: $WORK_DIR/bench.jfr (jfr print --events jdk.ExecutionSample ...)"
fi
exit "$STATUS"
