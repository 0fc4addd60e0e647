#!/usr/bin/env bash
# The local stack: a real single-node Kafka broker (no Docker), the service with all roles, and the bundled
# demo data set. Prints the URLs; Ctrl-C (or SIGTERM) stops everything it started.
#
# Usage: deploy/local/run.sh [--no-demo]
#
# Environment:
#   DTM_HTTP_PORT            the service's HTTP port on 127.0.0.1 (default 8080)
#   DTM_KAFKA_PORT           the local broker's port (default 9092); see deploy/local/kafka.sh
#   KAFKA_BOOTSTRAP_SERVERS  use this existing Kafka instead of starting a local broker
#   DTM_READY_TIMEOUT        seconds to wait for the service to be ready (default 180)
#   DTM_STATE_DIR            Kafka Streams state directory (default target/kafka-streams-state)
#   DTM_API_KEY              the API key of the local stack (every role); without it one is generated at the first
#                            start and kept in target/local-api-key
#   DTM_ALERTS_SECRET_KEYS   keys that encrypt subscription secrets (default: one generated once into
#                            target/dtm-alerts-secret-keys and kept there)
# Broker data and stream state live under target/, so a fresh clone starts empty.
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
ROOT="$(cd -- "$SCRIPT_DIR/../.." && pwd -P)"
HTTP_PORT="${DTM_HTTP_PORT:-8080}"
READY_TIMEOUT="${DTM_READY_TIMEOUT:-180}"
DEMO=true
case "${1:-}" in
  "") ;;
  --no-demo) DEMO=false ;;
  -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
  *) echo "usage: deploy/local/run.sh [--no-demo]" >&2; exit 2 ;;
esac

say() { echo "dtm: $*" >&2; }
APP_JAR="$ROOT/target/quarkus-app/quarkus-run.jar"
APP_LOG="$ROOT/target/dtm.log"
APP_PID=""
STARTED_KAFKA=false

# Stops what it started in order: the service first (it commits and leaves its consumer group while the broker is
# there), then the broker. Both run in sessions of their own (setsid), so that Ctrl-C or a signal to this script's
# process group reaches this script only, not the broker before the service.
cleanup() {
  trap - INT TERM EXIT
  local stop_start=$SECONDS
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    say "stopping the service (pid $APP_PID)"
    kill -TERM "$APP_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$APP_PID" 2>/dev/null || true
  fi
  if $STARTED_KAFKA; then
    "$SCRIPT_DIR/kafka.sh" stop || true
  fi
  say "stopped in $((SECONDS - stop_start)) s"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 1. Build when the application is missing or older than its sources.
if [[ ! -f "$APP_JAR" ]] || [[ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$APP_JAR" -print -quit)" ]]; then
  say "building (./mvnw package -DskipTests)"
  (cd "$ROOT" && ./mvnw -q -B package -DskipTests)
fi

# 2. Kafka: an existing one, or a local broker.
if [[ -n "${KAFKA_BOOTSTRAP_SERVERS:-}" ]]; then
  BOOTSTRAP="$KAFKA_BOOTSTRAP_SERVERS"
  say "using the Kafka at $BOOTSTRAP"
else
  if ! "$SCRIPT_DIR/kafka.sh" status >/dev/null 2>&1; then
    STARTED_KAFKA=true
  fi
  "$SCRIPT_DIR/kafka.sh" start >/dev/null
  BOOTSTRAP="127.0.0.1:${DTM_KAFKA_PORT:-9092}"
fi

# 3. Credentials: one API key with every role, given to the service as a salted hash (never in clear), and a key
#    that encrypts subscription secrets; both generated once for this clone unless given.
mkdir -p "$ROOT/target"
KEY_FILE="$ROOT/target/local-api-key"
if [[ -z "${DTM_API_KEY:-}" ]]; then
  if [[ ! -s "$KEY_FILE" ]]; then
    (umask 077; printf 'dtm_%s\n' "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$KEY_FILE")
    say "generated an API key in target/local-api-key"
  fi
  DTM_API_KEY="$(tr -d '\n' <"$KEY_FILE")"
fi
export DTM_API_KEY
SALT="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
KEY_HASH="sha256:$SALT:$(printf '%s:%s' "$SALT" "$DTM_API_KEY" | sha256sum | cut -d' ' -f1)"
if [[ -z "${DTM_ALERTS_SECRET_KEYS:-}" ]]; then
  SECRET_KEY_FILE="$ROOT/target/dtm-alerts-secret-keys"
  if [[ ! -s "$SECRET_KEY_FILE" ]]; then
    (umask 077 && echo "local:$(head -c 32 /dev/urandom | base64)" >"$SECRET_KEY_FILE")
    say "generated a key for subscription secrets into target/dtm-alerts-secret-keys"
  fi
  DTM_ALERTS_SECRET_KEYS="$(cat "$SECRET_KEY_FILE")"
  export DTM_ALERTS_SECRET_KEYS
fi

# 4. The service, all roles.
say "starting the service on 127.0.0.1:$HTTP_PORT (log: target/dtm.log)"
KAFKA_BOOTSTRAP_SERVERS="$BOOTSTRAP" DTM_HTTP_PORT="$HTTP_PORT" DTM_SESSION_TIMEOUT_MS=10000 \
  DTM_STATE_DIR="${DTM_STATE_DIR:-$ROOT/target/kafka-streams-state}" \
  DTM_SECURITY_API_KEYS_LOCAL_HASH="$KEY_HASH" DTM_SECURITY_API_KEYS_LOCAL_ROLES="publisher,operator,subscriber,reader" \
  setsid java ${DTM_JAVA_OPTS:--Xmx512m} -jar "$APP_JAR" >"$APP_LOG" 2>&1 </dev/null &
APP_PID=$!

BASE="http://127.0.0.1:$HTTP_PORT"
deadline=$((SECONDS + READY_TIMEOUT))
until curl -fsS "$BASE/q/health/ready" >/dev/null 2>&1; do
  if ! kill -0 "$APP_PID" 2>/dev/null; then
    say "the service exited; last lines of target/dtm.log:"; tail -n 40 "$APP_LOG" >&2; exit 1
  fi
  if (( SECONDS > deadline )); then
    say "not ready after ${READY_TIMEOUT}s; last lines of target/dtm.log:"; tail -n 40 "$APP_LOG" >&2; exit 1
  fi
  sleep 1
done

# 5. The demo data, with the key: the real publications of src/main/resources/demo imported through
#    POST /api/v1/imports as deploy/local/import.sh imports a file, then the other demo events (Table 1, RCEP dates,
#    aggregates, the series still synthetic) in batches to POST /api/v1/events.
if $DEMO; then
  DEMO_LOG="$ROOT/target/demo.log"
  java -cp "$ROOT/target/quarkus-app/app/*:$ROOT/target/quarkus-app/lib/main/*" io.dtm.demo.DemoPublisher "$BASE" \
    >"$DEMO_LOG" 2>&1 || { say "the demo data was not loaded; target/demo.log:"; tail -n 20 "$DEMO_LOG" >&2; exit 1; }
fi

cat <<MSG
Digital Trade Monitor is ready$($DEMO && echo ", with the demo data").
  Metrics   $BASE/q/metrics
  Health    $BASE/q/health
  OpenAPI   $BASE/q/openapi   (Swagger UI: $BASE/q/swagger-ui)
  Events    POST $BASE/api/v1/events
  Schemas   $BASE/schemas/v1/trade.json (compute, policy, macro)
  Kafka     $BOOTSTRAP
  API key   $DTM_API_KEY   (every role$([[ -s "$KEY_FILE" ]] && echo "; kept in target/local-api-key"))
            export DTM_API_KEY=$DTM_API_KEY
            curl -H "Authorization: Bearer \$DTM_API_KEY" $BASE/api/v1/indicators
Press Ctrl-C to stop.
MSG

wait "$APP_PID"
