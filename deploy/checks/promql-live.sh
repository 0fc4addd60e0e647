#!/usr/bin/env bash
# Live PromQL check: every query of every Grafana board panel (grafana/dashboards/*.json), every recording
# rule and the compared side of every alerting rule (deploy/prometheus/rules/*.rules.yml) must return data
# from a real Prometheus that loaded the rules and scraped the running service with the demo data.
#
# Usage: deploy/checks/promql-live.sh [--self-test] [--render-dir DIR] [--dashboard FILE]... [--rules FILE]...
#
#   --render-dir DIR  also draw each board's key panel from the Prometheus data into DIR/<board>.png
#   --self-test       also check the broken fixtures in deploy/checks/testdata and the fixture board, and
#                     pass only when the failures are exactly those of testdata/expected-failures.txt
#                     (so: the broken ones are caught and every real board and rule passes)
#   --dashboard FILE  an extra board to check (repeatable)
#   --rules FILE      an extra rule file for Prometheus to load and to check (repeatable)
#
# Starts the local stack (deploy/local/run.sh, on free ports, data under target/) and a Prometheus
# (`prometheus` 2.42: apt-get install prometheus) on 127.0.0.1, stops both at the end. Needs python3 with
# python3-yaml, and python3-matplotlib for --render-dir (Debian packages).
# Prints one line per expression: status (OK, EMPTY, ERROR, EXEMPT), series count, source. Exits 1 if any
# failed. Exemptions, each with its reason: deploy/checks/promql-exempt.txt. More in deploy/checks/README.md.
#
# Environment:
#   DTM_URL              check the service already running at this URL instead of starting the local stack
#   DTM_CHECK_PYTHON     the python3 to use (default: the first python3 on the PATH, or /usr/bin/python3,
#                        that has the modules needed)
#   DTM_KEEP_WORK=1      keep the work directory (config, logs) under target/
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
ROOT="$(cd -- "$SCRIPT_DIR/../.." && pwd -P)"
TESTDATA="$SCRIPT_DIR/testdata"
INTERVAL=2

RENDER_DIR=""
SELF_TEST=false
EXTRA_DASHBOARDS=()
EXTRA_RULES=()
usage() { echo "usage: deploy/checks/promql-live.sh [--self-test] [--render-dir DIR] [--dashboard FILE]... [--rules FILE]..." >&2; exit 2; }
while (( $# )); do
  case "$1" in
    --render-dir) [[ $# -ge 2 ]] || usage; RENDER_DIR="$2"; shift 2 ;;
    --self-test) SELF_TEST=true; shift ;;
    --dashboard) [[ $# -ge 2 ]] || usage; EXTRA_DASHBOARDS+=("$(realpath "$2")"); shift 2 ;;
    --rules) [[ $# -ge 2 ]] || usage; EXTRA_RULES+=("$(realpath "$2")"); shift 2 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) usage ;;
  esac
done

start=$SECONDS
say() { echo "promql-live: [$((SECONDS - start))s] $*" >&2; }

# python3 with the modules this run needs
modules="yaml"; [[ -n "$RENDER_DIR" ]] || $SELF_TEST && modules="yaml, matplotlib"
PY=""
for candidate in ${DTM_CHECK_PYTHON:-} python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c "import $modules" 2>/dev/null; then
    PY="$candidate"; break
  fi
done
[[ -n "$PY" ]] || { say "no python3 with $modules (apt-get install -y --no-install-recommends python3-yaml python3-matplotlib)"; exit 2; }
command -v prometheus >/dev/null 2>&1 || { say "prometheus not found (apt-get install prometheus)"; exit 2; }
# in the background and waited for, so that Ctrl-C or SIGTERM stops the run at once
CHILD_PID=""
checker() {
  "$PY" "$SCRIPT_DIR/promql_live.py" "$@" &
  CHILD_PID=$!
  local rc=0
  wait "$CHILD_PID" || rc=$?
  CHILD_PID=""
  return "$rc"
}
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

shopt -s nullglob
DASHBOARDS=("$ROOT"/grafana/dashboards/*.json)
RULES=("$ROOT"/deploy/prometheus/rules/*.rules.yml)
shopt -u nullglob
BOARDS_TO_DRAW=("${DASHBOARDS[@]}" "${EXTRA_DASHBOARDS[@]}")
if $SELF_TEST; then
  EXTRA_DASHBOARDS+=("$TESTDATA/fixture-dashboard.json" "$TESTDATA/broken-dashboard.json")
  EXTRA_RULES+=("$TESTDATA/broken.rules.yml")
fi
(( ${#DASHBOARDS[@]} )) || say "no boards in grafana/dashboards yet"

mkdir -p "$ROOT/target"
WORK="$(mktemp -d "$ROOT/target/promql-live.XXXXXX")"
RUN_PID=""
PROM_PID=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n "$CHILD_PID" ]]; then kill -TERM "$CHILD_PID" 2>/dev/null || true; fi
  if [[ -n "$PROM_PID" ]] && kill -0 "$PROM_PID" 2>/dev/null; then
    kill -TERM "$PROM_PID" 2>/dev/null || true
    wait "$PROM_PID" 2>/dev/null || true
  fi
  if [[ -n "$RUN_PID" ]] && kill -0 "$RUN_PID" 2>/dev/null; then
    say "stopping the local stack"
    kill -TERM "$RUN_PID" 2>/dev/null || true
    wait "$RUN_PID" 2>/dev/null || true
  fi
  if (( rc != 0 )) && [[ -f "$WORK/prometheus.log" ]] && grep -q 'level=error' "$WORK/prometheus.log"; then
    say "errors in the Prometheus log:"; grep 'level=error' "$WORK/prometheus.log" | tail -n 10 >&2
  fi
  if [[ "${DTM_KEEP_WORK:-}" == 1 ]]; then say "kept $WORK"; else rm -rf "$WORK"; fi
  say "total time $((SECONDS - start)) s"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 1. The service with the demo data: the one at DTM_URL, or the local stack as deploy/local/smoke.sh starts it.
if [[ -n "${DTM_URL:-}" ]]; then
  URL="${DTM_URL%/}"
  say "checking the service at $URL"
else
  export DTM_HTTP_PORT="$(free_port)" DTM_KAFKA_PORT="$(free_port)" DTM_KAFKA_CONTROLLER_PORT="$(free_port)"
  export DTM_KAFKA_DIR="$WORK/kafka" DTM_STATE_DIR="$WORK/state"
  # reuse the broker jars resolved by an earlier run, if any
  [[ -d "$ROOT/target/kafka/libs" ]] && mkdir -p "$DTM_KAFKA_DIR" && cp -r "$ROOT/target/kafka/libs" "$DTM_KAFKA_DIR/"
  URL="http://127.0.0.1:$DTM_HTTP_PORT"
  say "starting the local stack on $URL (log: ${WORK#"$ROOT"/}/run.out)"
  "$ROOT/deploy/local/run.sh" >"$WORK/run.out" 2>&1 &
  RUN_PID=$!
fi

# 2. Prometheus, with the shipped rules (and the extra ones), scraping the service every 2 s from its start, so
#    that rates and latencies cover the loading of the demo data.
hostport="${URL#*://}"; hostport="${hostport%%/*}"
checker config --base "$ROOT/deploy/prometheus/prometheus.yml" --target "$hostport" --interval "${INTERVAL}s" \
  --rules "${EXTRA_RULES[@]}" --out "$WORK/prometheus.yml" >/dev/null
PROM_PORT="$(free_port)"
PROM="http://127.0.0.1:$PROM_PORT"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
  --web.listen-address="127.0.0.1:$PROM_PORT" >"$WORK/prometheus.log" 2>&1 &
PROM_PID=$!
say "Prometheus $(prometheus --version 2>&1 | sed -n '1s/.*version \([^ ]*\).*/\1/p') on $PROM"

if ! checker wait-service --url "$URL" ${RUN_PID:+--pid "$RUN_PID"} --timeout 240; then
  [[ -f "$WORK/run.out" ]] && tail -n 20 "$WORK/run.out" >&2
  exit 1
fi
if ! checker wait-prom --prom "$PROM" --pid "$PROM_PID" --interval "$INTERVAL" --timeout 180; then
  tail -n 20 "$WORK/prometheus.log" >&2
  exit 1
fi

# 3. Every expression, one line each.
args=(--prom "$PROM" --root "$ROOT" --exempt "$SCRIPT_DIR/promql-exempt.txt"
      --dashboards "${DASHBOARDS[@]}" "${EXTRA_DASHBOARDS[@]}" --rules "${RULES[@]}" "${EXTRA_RULES[@]}")
rc=0
if $SELF_TEST; then
  # the real boards go to --render-dir; the fixture board is drawn too, to a scratch directory
  checker check "${args[@]}" --expect-failures "$TESTDATA/expected-failures.txt" \
    --render-dir "$WORK/render" --render "$TESTDATA/fixture-dashboard.json" || rc=1
  if [[ ! -s "$WORK/render/fixture-dashboard.png" ]]; then
    say "self-test: the fixture board's key panel was not drawn"; rc=1
  fi
  if [[ -n "$RENDER_DIR" ]] && (( ${#BOARDS_TO_DRAW[@]} )); then
    checker check --prom "$PROM" --root "$ROOT" --exempt "$SCRIPT_DIR/promql-exempt.txt" \
      --dashboards "${BOARDS_TO_DRAW[@]}" --render-dir "$RENDER_DIR" >"$WORK/render.out" || { cat "$WORK/render.out"; rc=1; }
    grep '^render:' "$WORK/render.out" || true
  fi
else
  checker check "${args[@]}" ${RENDER_DIR:+--render-dir "$RENDER_DIR"} || rc=1
fi
exit "$rc"
