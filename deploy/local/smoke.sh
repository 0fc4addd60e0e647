#!/usr/bin/env bash
# Smoke test of the local stack: starts deploy/local/run.sh on free ports with its own data directory, waits
# until /q/metrics shows the demo data's DDS growth for 2025 (Table 1 prints 6.1), stops it with SIGTERM and
# checks that nothing it started is left running.
set -euo pipefail
SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
ROOT="$(cd -- "$SCRIPT_DIR/../.." && pwd -P)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
export DTM_HTTP_PORT="$(free_port)" DTM_KAFKA_PORT="$(free_port)"
export DTM_KAFKA_CONTROLLER_PORT="$(free_port)"
WORK="$(mktemp -d "$ROOT/target/smoke.XXXXXX")"
export DTM_KAFKA_DIR="$WORK/kafka" DTM_STATE_DIR="$WORK/state"
# reuse the broker jars resolved by an earlier run, if any
[[ -d "$ROOT/target/kafka/libs" ]] && mkdir -p "$DTM_KAFKA_DIR" && cp -r "$ROOT/target/kafka/libs" "$DTM_KAFKA_DIR/"

start=$SECONDS
"$SCRIPT_DIR/run.sh" >"$WORK/run.out" 2>&1 &
RUN_PID=$!
trap 'kill -TERM $RUN_PID 2>/dev/null || true' EXIT

query='dtm_indicator_value{category="DDS",flow="EXPORT",id="trade-yoy-growth",indicator="yoy_growth_pct",partner="WLD",reporter="WLD",synthetic="false"}'
value=""
for _ in $(seq 1 240); do
  value="$(curl -fsS "http://127.0.0.1:$DTM_HTTP_PORT/q/metrics" 2>/dev/null | grep -F "$query" | awk '{print $2}' || true)"
  [[ -n "$value" ]] && break
  kill -0 "$RUN_PID" 2>/dev/null || { cat "$WORK/run.out" >&2; echo "smoke: run.sh exited" >&2; exit 1; }
  sleep 1
done
[[ -n "$value" ]] || { cat "$WORK/run.out" >&2; tail -n 40 "$ROOT/target/dtm.log" >&2; echo "smoke: no DDS growth after 240 s" >&2; exit 1; }
echo "smoke: DDS 2025 growth $value after $((SECONDS - start)) s"
python3 -c "import sys; v=float('$value'); sys.exit(0 if abs(v-6.1) < 0.05 else 1)" \
  || { echo "smoke: expected about 6.1" >&2; exit 1; }

kill -TERM "$RUN_PID"
wait "$RUN_PID" || true
trap - EXIT
if pgrep -f "$DTM_KAFKA_DIR/server.properties" >/dev/null || curl -fsS "http://127.0.0.1:$DTM_HTTP_PORT/q/health" >/dev/null 2>&1; then
  echo "smoke: something run.sh started is still running" >&2; exit 1
fi
rm -rf "$WORK"
echo "smoke: local stack started, served the demo data and stopped cleanly"
