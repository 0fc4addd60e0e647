#!/usr/bin/env bash
# Import benchmark (issue 15, §5). Not a test.
#
# Usage: src/bench/import.sh [-n ROWS] [--single] [--keep]
#
#   -n ROWS   rows of the generated SDMX-CSV publication (default $DTM_BENCH_ROWS or 1000000)
#   --single  run ROWS only; by default ROWS / 10 runs first, so that the importer's heap at two sizes ten times
#             apart is printed side by side (it must not grow with the file)
#   --keep    keep the working directory (files, broker data, logs) instead of deleting it
#
# For each size, on a broker and a service of its own:
#   1. generates the publication (io.dtm.bench.ImportPublication: ceil(ROWS / 504) trade series — economies ×
#      120 publisher codes — month after month from 1984-01, every row an observation of its own; the small size
#      has the same series over a tenth of the months) and the datasets file that maps it, and reads it once with
#      the service's importer for the mean size of its events (key and value);
#   2. starts the project's broker (deploy/local/kafka.sh) on free ports of 127.0.0.1 with its own DTM_KAFKA_DIR,
#      and the packaged service (target/quarkus-app/quarkus-run.jar, all roles, -Xmx512m as deployed) on a free
#      port with an API key made for the run;
#   3. POSTs the file to /api/v1/imports and, every second, reads /q/metrics (dtm_events_accepted_total, the heap
#      used and jvm_gc_live_data_size_bytes) until every row is an accepted event, that is until the last
#      observation is resolved; then the heap after a full GC (jcmd GC.run);
#   4. stops the service and sends ROWS records of the events' mean size with Kafka's own producer
#      (org.apache.kafka.tools.ProducerPerformance from the broker's jars, acks=all) to a topic of 3 partitions;
#   5. prints rows/s end to end and of the import alone, the producer's records/s, the peak heap and the load
#      average before and after.
# On exit — normal, error, Ctrl-C or SIGTERM — stops what it started and deletes the working directory unless
# --keep.
#
# Environment: DTM_BENCH_ROWS, DTM_BENCH_SERVICE_OPTS (service JVM options, default -Xmx512m), JAVA_HOME,
# KAFKA_HEAP_OPTS (broker heap, see kafka.sh), DTM_BENCH_TIMEOUT (seconds to wait for one size, default 7200).
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd -- "$SCRIPT_DIR/../.." && pwd -P)"
KAFKA_SH="$REPO_ROOT/deploy/local/kafka.sh"
APP_JAR="$REPO_ROOT/target/quarkus-app/quarkus-run.jar"

ROWS="${DTM_BENCH_ROWS:-1000000}"
SINGLE=0
KEEP=0
TIMEOUT="${DTM_BENCH_TIMEOUT:-7200}"
SERVICE_OPTS="${DTM_BENCH_SERVICE_OPTS:--Xmx512m}"

# shellcheck source=src/bench/lib.sh
source "$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)/lib.sh"

while [[ $# -gt 0 ]]; do
  case "$1" in
    -n | --rows)
      [[ $# -ge 2 ]] || usage
      ROWS="$2"
      shift 2
      ;;
    --single)
      SINGLE=1
      shift
      ;;
    --keep)
      KEEP=1
      shift
      ;;
    -h | --help) usage ;;
    *) usage ;;
  esac
done
ROWS="${ROWS//_/}"
[[ "$ROWS" =~ ^[0-9]+$ ]] && ((ROWS >= 10)) || die "the number of rows must be an integer >= 10 (got '$ROWS')"

command -v curl >/dev/null 2>&1 || die "curl is needed"



# --- cleanup: runs on every exit ----------------------------------------------------------------------

WORK_DIR=""
RUN_DIR=""
APP_PID=""
BROKER_DIR=""

stop_service() {
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    kill -TERM "$APP_PID" 2>/dev/null || true
    for _ in $(seq 1 300); do
      kill -0 "$APP_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
  fi
  APP_PID=""
}

stop_broker() {
  if [[ -n "$BROKER_DIR" ]]; then
    DTM_KAFKA_DIR="$BROKER_DIR" "$KAFKA_SH" stop >&2 || true
  fi
  BROKER_DIR=""
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_service
  stop_broker
  finish_work_dir "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- build ----------------------------------------------------------------------------------------------

cd -- "$REPO_ROOT"
if [[ ! -f "$APP_JAR" ]] || [[ -n "$(find src/main pom.xml -newer "$APP_JAR" -print -quit)" ]]; then
  info "building the service (./mvnw package -DskipTests)"
  ./mvnw -q -B package -DskipTests >&2 || die "the build failed"
fi
info "compiling the benchmark classes (./mvnw -Pbench test-compile)"
./mvnw -q -B -Pbench test-compile >&2 || die "the build failed"
CP="$REPO_ROOT/target/test-classes:$REPO_ROOT/target/classes:$(cat "$REPO_ROOT/target/bench-classpath.txt")"

mkdir -p -- "$REPO_ROOT/target"
WORK_DIR="$(mktemp -d "$REPO_ROOT/target/bench-import-XXXX")"

# --- metrics --------------------------------------------------------------------------------------------

# Sum of the samples of a metric whose line starts with $1 (name and, optionally, the start of its labels).
metric_sum() {
  awk -v prefix="$1" 'index($0, prefix) == 1 { s += $NF } END { printf "%.0f\n", s + 0 }' "$2"
}

json_field() { grep -o "\"$1\":[^,}]*" | head -n 1 | sed -e "s/\"$1\"://" -e 's/"//g'; }

# --- one size -------------------------------------------------------------------------------------------

# Runs the benchmark for $1 rows; sets R_* with the figures.
run_size() {
  local rows="$1" label="$2"
  RUN_DIR="$WORK_DIR/$label"
  mkdir -p "$RUN_DIR/spool" "$RUN_DIR/state"

  info "[$label] generating $rows rows"
  local facts
  facts="$("$JAVA" -cp "$CP" io.dtm.bench.ImportPublication --rows "$rows" --series "$SERIES" \
    --file "$RUN_DIR/publication.csv" \
    --datasets "$RUN_DIR/datasets.yaml")" || die "generating the publication failed"
  local event_bytes file_bytes dataset vintage
  event_bytes="$(sed -n 's/^event-bytes=//p' <<<"$facts")"
  file_bytes="$(sed -n 's/^file-bytes=//p' <<<"$facts")"
  dataset="$(sed -n 's/^dataset=//p' <<<"$facts")"
  vintage="$(sed -n 's/^vintage=//p' <<<"$facts")"

  BROKER_DIR="$RUN_DIR/kafka"
  local kafka_port controller_port http_port
  kafka_port="$(free_port)"
  controller_port="$(free_port "$kafka_port")"
  http_port="$(free_port "$kafka_port" "$controller_port")"
  info "[$label] starting the broker on 127.0.0.1:$kafka_port"
  DTM_KAFKA_DIR="$BROKER_DIR" DTM_KAFKA_PORT="$kafka_port" DTM_KAFKA_CONTROLLER_PORT="$controller_port" \
    "$KAFKA_SH" start >&2

  local key salt hash
  key="dtm_$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  salt="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  hash="sha256:$salt:$(printf '%s:%s' "$salt" "$key" | sha256sum | cut -d' ' -f1)"
  info "[$label] starting the service on 127.0.0.1:$http_port (log: ${RUN_DIR#"$REPO_ROOT"/}/service.log)"
  # shellcheck disable=SC2086 # DTM_BENCH_SERVICE_OPTS is a list of JVM options
  KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$kafka_port" DTM_HTTP_PORT="$http_port" DTM_SESSION_TIMEOUT_MS=10000 \
    DTM_STATE_DIR="$RUN_DIR/state" \
    DTM_SECURITY_API_KEYS_BENCH_HASH="$hash" DTM_SECURITY_API_KEYS_BENCH_ROLES="publisher,reader" \
    DTM_ALERTS_SECRET_KEYS="bench:$(head -c 32 /dev/urandom | base64)" \
    "$JAVA" $SERVICE_OPTS -Ddtm.imports.datasets="$RUN_DIR/datasets.yaml" \
    -Ddtm.imports.spool-dir="$RUN_DIR/spool" -Ddtm.imports.max-file-bytes=$((file_bytes + 1048576)) \
    -jar "$APP_JAR" >"$RUN_DIR/service.log" 2>&1 &
  APP_PID=$!
  local base="http://127.0.0.1:$http_port" deadline=$((SECONDS + 180))
  until curl -fsS "$base/q/health/ready" >/dev/null 2>&1 \
    && curl -fsS -H "Authorization: Bearer $key" "$base/api/v1/indicators" >/dev/null 2>&1; do
    kill -0 "$APP_PID" 2>/dev/null || { tail -n 30 "$RUN_DIR/service.log" >&2; die "the service exited"; }
    ((SECONDS < deadline)) || { tail -n 30 "$RUN_DIR/service.log" >&2; die "the service is not ready after 180 s"; }
    sleep 1
  done

  local load_before
  load_before="$(load_average)"
  info "[$label] importing $rows rows ($file_bytes bytes; load average $load_before)"
  local t0 location
  t0="$(date +%s.%N)"
  location="$(curl -fsS -o /dev/null -D - -H "Authorization: Bearer $key" -H 'content-type: text/csv' \
    --data-binary "@$RUN_DIR/publication.csv" "$base/api/v1/imports?dataset=$dataset&vintage=$vintage" \
    | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')"
  [[ -n "$location" ]] || die "the import was not accepted"
  location="${location#"$base"}"

  local scrape="$RUN_DIR/metrics.txt" accepted=0 heap peak_heap=0 live peak_live=0 state="running" t_import=""
  local last_report=$SECONDS deadline=$((SECONDS + TIMEOUT))
  while :; do
    if curl -fsS "$base/q/metrics" -o "$scrape" 2>/dev/null; then
      accepted="$(metric_sum 'dtm_events_accepted_total{' "$scrape")"
      heap="$(metric_sum 'jvm_memory_used_bytes{area="heap"' "$scrape")"
      live="$(metric_sum 'jvm_gc_live_data_size_bytes' "$scrape")"
      ((heap > peak_heap)) && peak_heap=$heap
      ((live > peak_live)) && peak_live=$live
    fi
    if [[ -z "$t_import" ]]; then
      local status
      status="$(curl -fsS -H "Authorization: Bearer $key" "$base$location" 2>/dev/null || true)"
      state="$(json_field state <<<"$status")"
      [[ "$state" == failed ]] && die "the import failed: $(json_field error <<<"$status")"
      [[ "$state" == done ]] && t_import="$(date +%s.%N)"
    fi
    ((accepted >= rows)) && [[ -n "$t_import" ]] && break
    kill -0 "$APP_PID" 2>/dev/null || { tail -n 30 "$RUN_DIR/service.log" >&2; die "the service exited"; }
    ((SECONDS < deadline)) || die "not resolved after $TIMEOUT s: $accepted of $rows accepted"
    if ((SECONDS - last_report >= 30)); then
      info "[$label] $accepted of $rows accepted (import $state), heap $((heap >> 20)) MiB, load $(load_average)"
      last_report=$SECONDS
    fi
    sleep 1
  done
  local t1
  t1="$(date +%s.%N)"
  local load_after
  load_after="$(load_average)"
  "$JCMD" "$APP_PID" GC.run >/dev/null 2>&1 || true
  sleep 1
  curl -fsS "$base/q/metrics" -o "$scrape"
  local after_gc
  after_gc="$(metric_sum 'jvm_memory_used_bytes{area="heap"' "$scrape")"
  stop_service

  info "[$label] Kafka's producer: $rows records of $event_bytes bytes (load average $(load_average))"
  "$JAVA" -cp "$BROKER_DIR/libs/*" org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$kafka_port" \
    --create --topic dtm.bench.producer.v1 --partitions 3 --replication-factor 1 >/dev/null
  local perf
  perf="$("$JAVA" -Xmx512m -cp "$BROKER_DIR/libs/*" org.apache.kafka.tools.ProducerPerformance \
    --topic dtm.bench.producer.v1 --num-records "$rows" --record-size "$event_bytes" --throughput -1 \
    --producer-props "bootstrap.servers=127.0.0.1:$kafka_port" acks=all 2>>"$RUN_DIR/producer.log" | tail -n 1)"
  stop_broker

  R_ROWS=$rows
  R_SECONDS="$(echo "$t1 - $t0" | bc -l)"
  R_RATE="$(echo "$rows / $R_SECONDS" | bc -l)"
  R_IMPORT_RATE="$(echo "$rows / ($t_import - $t0)" | bc -l)"
  R_PRODUCER="$(sed -n 's/.* records sent, \([0-9.]*\) records\/sec.*/\1/p' <<<"$perf")"
  R_EVENT_BYTES=$event_bytes
  R_PEAK_HEAP=$peak_heap
  R_PEAK_LIVE=$peak_live
  R_AFTER_GC=$after_gc
  R_LOAD="$load_before -> $load_after"
}

mib() { echo "scale=1; $1 / 1048576" | bc -l; }

report() {
  printf '%-10s %10d rows  %7.1f s  end to end %8.0f rows/s  import alone %8.0f rows/s  producer %8.0f records/s (%s B)  ratio %.3f\n' \
    "$1" "$R_ROWS" "$R_SECONDS" "$R_RATE" "$R_IMPORT_RATE" "${R_PRODUCER:-0}" "$R_EVENT_BYTES" \
    "$(echo "$R_RATE / ${R_PRODUCER:-1}" | bc -l)"
  printf '%-10s heap used peak %s MiB, live after GC peak %s MiB, after a full GC at the end %s MiB; load average %s\n' \
    "" "$(mib "$R_PEAK_HEAP")" "$(mib "$R_PEAK_LIVE")" "$(mib "$R_AFTER_GC")" "$R_LOAD"
}

command -v bc >/dev/null 2>&1 || die "bc is needed"
SERIES=$(((ROWS + 503) / 504))
OUT=()
if ((!SINGLE)); then
  run_size $((ROWS / 10)) small
  OUT+=("$(report small)")
  SMALL_LIVE=$R_PEAK_LIVE
  SMALL_AFTER_GC=$R_AFTER_GC
fi
run_size "$ROWS" large
OUT+=("$(report large)")

echo
echo "Import benchmark: generated SDMX-CSV through POST /api/v1/imports until every row is a resolved observation"
printf '%s\n' "${OUT[@]}"
if ((!SINGLE)) && ((SMALL_LIVE > 0)); then
  printf 'heap large / small: after a full GC at the end %.2f, live after GC at its peak %.2f (a file ten times larger must need no more)\n' \
    "$(echo "$R_AFTER_GC / $SMALL_AFTER_GC" | bc -l)" "$(echo "$R_PEAK_LIVE / $SMALL_LIVE" | bc -l)"
fi
