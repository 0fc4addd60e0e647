#!/usr/bin/env bash
# Local single-node Apache Kafka broker (KRaft mode) for development, without Docker.
#
# Usage: deploy/local/kafka.sh start|stop|status
#
#   start   resolve the broker jars (once), format the storage (once), start the broker
#           in the background and wait until it accepts connections
#   stop    stop the broker (SIGTERM, SIGKILL after 30 s)
#   status  print running/stopped; exit 0 when running, 3 when stopped
#
# Environment:
#   DTM_KAFKA_PORT             broker port on 127.0.0.1 (default 9092)
#   DTM_KAFKA_CONTROLLER_PORT  KRaft controller port on 127.0.0.1 (default DTM_KAFKA_PORT+1).
#                              It is formatted into the metadata, so the port chosen at the
#                              first start is kept in $DTM_KAFKA_DIR/controller.port and
#                              reused as long as the data exists.
#   DTM_KAFKA_DIR              working directory (default <repo>/target/kafka) holding
#                              libs/, data/, logs/, server.properties, kafka.pid
#   DTM_KAFKA_SECURITY         plaintext (default): no authentication; sasl: SASL_PLAINTEXT with
#                              SCRAM-SHA-512 on the client listener and the StandardAuthorizer, with the
#                              users and ACLs of k8s/base/kafkausers.yaml and the topics of
#                              k8s/base/kafkatopics.yaml applied by the administrator after each start.
#                              Each user's client settings go to $DTM_KAFKA_DIR/credentials/<user>.env
#                              (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_SASL_JAAS_CONFIG for
#                              the service) and <user>.properties (--producer.config, --consumer.config,
#                              --command-config of the console tools); admin.properties is the super
#                              user's. Formatted into the data like the controller port: delete
#                              $DTM_KAFKA_DIR/data (broker stopped) to switch.
#   DTM_KAFKA_START_TIMEOUT    seconds to wait for the broker to become ready (default 90)
#   KAFKA_HEAP_OPTS            JVM heap options (default "-Xms256m -Xmx512m")
#   JAVA_HOME                  JDK to use (default: java on the PATH); Java 17 or newer
#
# Everything binds 127.0.0.1 only. Delete $DTM_KAFKA_DIR/data (broker stopped) to start empty.
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd -- "$SCRIPT_DIR/../.." && pwd -P)"
SUPPORT_DIR="$SCRIPT_DIR/kafka"
POM_FILE="$SUPPORT_DIR/pom.xml"
LOG4J_FILE="$SUPPORT_DIR/log4j2.properties"
TEMPLATE_FILE="$SUPPORT_DIR/server.properties.template"
SASL_TEMPLATE_FILE="$SUPPORT_DIR/sasl.properties.template"
ACCESS_TOOL="$SUPPORT_DIR/KafkaAccess.java"
KAFKA_USERS="$REPO_ROOT/k8s/base/kafkausers.yaml"
KAFKA_TOPICS="$REPO_ROOT/k8s/base/kafkatopics.yaml"

PORT="${DTM_KAFKA_PORT:-9092}"
KAFKA_DIR="${DTM_KAFKA_DIR:-$REPO_ROOT/target/kafka}"
[[ "$KAFKA_DIR" == /* ]] || KAFKA_DIR="$PWD/$KAFKA_DIR"
START_TIMEOUT="${DTM_KAFKA_START_TIMEOUT:-90}"
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
STOP_TIMEOUT=30
KEEP_LOGS=5

LIBS_DIR="$KAFKA_DIR/libs"
LIBS_MARKER="$LIBS_DIR/.resolved"
DATA_DIR="$KAFKA_DIR/data"
LOGS_DIR="$KAFKA_DIR/logs"
SERVER_LOG="$LOGS_DIR/server.log"
OUT_LOG="$LOGS_DIR/kafka.out"
PROPS_FILE="$KAFKA_DIR/server.properties"
PID_FILE="$KAFKA_DIR/kafka.pid"
CTRL_PORT_FILE="$KAFKA_DIR/controller.port"
SECURITY_FILE="$KAFKA_DIR/security"
CREDENTIALS_DIR="$KAFKA_DIR/credentials"
ADMIN_PASSWORD_FILE="$CREDENTIALS_DIR/admin.password"
SECURITY="${DTM_KAFKA_SECURITY:-}"

if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA="java"
fi

info() { echo "kafka: $*" >&2; }
die() {
  echo "kafka: error: $*" >&2
  exit 1
}

usage() {
  echo "usage: $(basename -- "$0") start|stop|status" >&2
  exit 2
}

# --- processes --------------------------------------------------------------

# Succeeds when the process exists and is not a zombie.
proc_alive() {
  local pid="$1" stat state
  if [[ -d /proc ]]; then
    stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || return 1
    stat="${stat##*) }"
    state="${stat%% *}"
  else
    state="$(ps -o stat= -p "$pid" 2>/dev/null | tr -d ' ')" || return 1
  fi
  [[ -n "$state" && "$state" != Z* ]]
}

proc_args() {
  local pid="$1"
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null
  else
    ps -o args= -p "$pid" 2>/dev/null
  fi
}

# Prints the pid of the broker recorded in the pid file if it is alive.
running_pid() {
  local pid args
  [[ -f "$PID_FILE" ]] || return 1
  pid="$(tr -dc '0-9' <"$PID_FILE")"
  [[ -n "$pid" ]] || return 1
  proc_alive "$pid" || return 1
  args="$(proc_args "$pid")" || return 1
  # Guard against pid reuse: it must be a broker started with this directory's config.
  [[ "$args" == *kafka.Kafka* && "$args" == *"$PROPS_FILE"* ]] || return 1
  echo "$pid"
}

# Sends SIGTERM, waits up to $2 seconds, then SIGKILL. Prints "term" or "kill".
terminate() {
  local pid="$1" timeout="$2" waited=0
  kill -TERM "$pid" 2>/dev/null || true
  while proc_alive "$pid"; do
    if ((waited >= timeout * 5)); then
      kill -KILL "$pid" 2>/dev/null || true
      while proc_alive "$pid"; do sleep 0.1; done
      echo "kill"
      return 0
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  echo "term"
}

# --- helpers ----------------------------------------------------------------

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

port_owner() {
  if command -v ss >/dev/null 2>&1; then
    ss -Hltnp "sport = :$1" 2>/dev/null | head -n 3 || true
  fi
}

check_port_number() {
  local name="$1" value="$2"
  [[ "$value" =~ ^[0-9]+$ ]] && ((value >= 1 && value <= 65535)) ||
    die "$name must be a port number between 1 and 65535 (got '$value')"
}

configured_port() {
  local p=""
  if [[ -f "$PROPS_FILE" ]]; then
    p="$(sed -n 's#^advertised\.listeners=[A-Z_]*://127\.0\.0\.1:\([0-9][0-9]*\).*#\1#p' "$PROPS_FILE" | head -n 1)"
  fi
  echo "${p:-$PORT}"
}

check_java() {
  local version major
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found (set JAVA_HOME or put java 17+ on the PATH)"
  version="$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)"
  major="${version%%.*}"
  [[ "$major" == 1 ]] && major="$(echo "$version" | cut -d. -f2)"
  [[ "$major" =~ ^[0-9]+$ ]] || die "cannot tell the version of $JAVA"
  ((major >= 17)) || die "the Kafka 4 broker needs Java 17 or newer ($JAVA is $version)"
}

maven_cmd() {
  if [[ -x "$REPO_ROOT/mvnw" ]]; then
    echo "$REPO_ROOT/mvnw"
  elif command -v mvn >/dev/null 2>&1; then
    echo "mvn"
  else
    die "neither ./mvnw nor mvn found: Maven is needed once to download the broker jars"
  fi
}

# Copies the broker jars into $LIBS_DIR unless a marker of a previous successful
# copy (holding a checksum of the pom) is there.
resolve_libs() {
  local want mvn start count
  want="$(cksum <"$POM_FILE" | cut -d' ' -f1,2)"
  if [[ -f "$LIBS_MARKER" && "$(cat "$LIBS_MARKER")" == "$want" ]]; then
    return 0
  fi
  mvn="$(maven_cmd)"
  info "resolving the broker jars into $LIBS_DIR (first start only)"
  rm -rf -- "$LIBS_DIR"
  mkdir -p -- "$LIBS_DIR"
  start=$SECONDS
  if ! (cd -- "$REPO_ROOT" && "$mvn" -q -B -f "$POM_FILE" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$LIBS_DIR" >&2); then
    die "resolving the broker jars with Maven failed (see above)"
  fi
  count="$(find "$LIBS_DIR" -maxdepth 1 -name '*.jar' | wc -l | tr -d ' ')"
  compgen -G "$LIBS_DIR/kafka_2.13-*.jar" >/dev/null || die "no kafka_2.13 jar in $LIBS_DIR after resolution"
  echo "$want" >"$LIBS_MARKER"
  info "resolved $count jars in $((SECONDS - start)) s"
}

# Sets CTRL_PORT: the port stored beside formatted data wins; a conflicting
# explicit DTM_KAFKA_CONTROLLER_PORT is an error.
choose_controller_port() {
  local stored=""
  if [[ -f "$DATA_DIR/meta.properties" ]]; then
    if [[ -f "$CTRL_PORT_FILE" ]]; then
      stored="$(tr -dc '0-9' <"$CTRL_PORT_FILE")"
    elif [[ -f "$PROPS_FILE" ]]; then
      stored="$(sed -n 's#^controller\.quorum\.bootstrap\.servers=127\.0\.0\.1:\([0-9][0-9]*\).*#\1#p' "$PROPS_FILE" | head -n 1)"
    fi
  fi
  if [[ -n "$stored" ]]; then
    if [[ -n "${DTM_KAFKA_CONTROLLER_PORT:-}" && "$DTM_KAFKA_CONTROLLER_PORT" != "$stored" ]]; then
      die "the data in $DATA_DIR was formatted with controller port $stored;" \
        "unset DTM_KAFKA_CONTROLLER_PORT (or set it to $stored), or delete that directory to start empty"
    fi
    CTRL_PORT="$stored"
  else
    CTRL_PORT="${DTM_KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
  fi
  check_port_number DTM_KAFKA_CONTROLLER_PORT "$CTRL_PORT"
  [[ "$CTRL_PORT" != "$PORT" ]] || die "the broker and controller ports must differ (both $PORT)"
}

# Sets SECURITY (plaintext or sasl): the mode stored beside formatted data wins; a conflicting explicit
# DTM_KAFKA_SECURITY is an error (the administrator's SCRAM credentials are formatted into the data).
choose_security() {
  local stored=""
  if [[ -f "$DATA_DIR/meta.properties" ]]; then
    stored="$(cat "$SECURITY_FILE" 2>/dev/null || echo plaintext)"
  fi
  if [[ -n "$stored" ]]; then
    if [[ -n "$SECURITY" && "$SECURITY" != "$stored" ]]; then
      die "the data in $DATA_DIR was formatted with DTM_KAFKA_SECURITY=$stored;" \
        "unset DTM_KAFKA_SECURITY (or set it to $stored), or delete that directory to start empty"
    fi
    SECURITY="$stored"
  fi
  SECURITY="${SECURITY:-plaintext}"
  case "$SECURITY" in
    plaintext | sasl) ;;
    *) die "DTM_KAFKA_SECURITY must be plaintext or sasl (got '$SECURITY')" ;;
  esac
}

# Random URL-safe secret.
secret() {
  head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'
}

# The administrator's password (made once, kept beside the data) and its client settings.
admin_credentials() {
  mkdir -p -- "$CREDENTIALS_DIR"
  chmod 700 "$CREDENTIALS_DIR"
  if [[ ! -s "$ADMIN_PASSWORD_FILE" ]]; then
    (umask 077 && secret >"$ADMIN_PASSWORD_FILE")
  fi
  ADMIN_PASSWORD="$(tr -d '\n' <"$ADMIN_PASSWORD_FILE")"
  (
    umask 077
    printf 'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\n' >"$CREDENTIALS_DIR/admin.properties"
    printf 'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="%s";\n' \
      "$ADMIN_PASSWORD" >>"$CREDENTIALS_DIR/admin.properties"
  )
}

write_properties() {
  local data_dir="${DATA_DIR//\\/\\\\}" listener=PLAINTEXT
  [[ "$SECURITY" == sasl ]] && listener=SASL_PLAINTEXT
  (umask 077 && : >"$PROPS_FILE.tmp")
  {
    cat "$TEMPLATE_FILE"
    if [[ "$SECURITY" == sasl ]]; then
      cat "$SASL_TEMPLATE_FILE"
    fi
  } | PORT="$PORT" CTRL_PORT="$CTRL_PORT" DATA_DIR_VALUE="$data_dir" LISTENER="$listener" \
    ADMIN_PASSWORD="${ADMIN_PASSWORD:-}" awk '
    function replace(line, key, value,   i) {
      while ((i = index(line, key)) > 0) {
        line = substr(line, 1, i - 1) value substr(line, i + length(key))
      }
      return line
    }
    {
      line = $0
      line = replace(line, "@PORT@", ENVIRON["PORT"])
      line = replace(line, "@CONTROLLER_PORT@", ENVIRON["CTRL_PORT"])
      line = replace(line, "@DATA_DIR@", ENVIRON["DATA_DIR_VALUE"])
      line = replace(line, "@LISTENER@", ENVIRON["LISTENER"])
      line = replace(line, "@ADMIN_PASSWORD@", ENVIRON["ADMIN_PASSWORD"])
      print line
    }' >>"$PROPS_FILE.tmp"
  mv -f -- "$PROPS_FILE.tmp" "$PROPS_FILE"
}

# 22-character base64url id (16 random bytes), not starting with '-'.
cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-22)"
    [[ "$id" == -* ]] || break
  done
  echo "$id"
}

format_storage() {
  local id scram=()
  [[ -f "$DATA_DIR/meta.properties" ]] && return 0
  id="$(cluster_id)"
  info "formatting $DATA_DIR (cluster id $id, controller port $CTRL_PORT, security $SECURITY)"
  mkdir -p -- "$DATA_DIR"
  if [[ "$SECURITY" == sasl ]]; then
    scram=(--add-scram "SCRAM-SHA-512=[name=admin,password=$ADMIN_PASSWORD]")
  fi
  if ! "$JAVA" -cp "$LIBS_DIR/*" kafka.tools.StorageTool format --standalone \
    -t "$id" -c "$PROPS_FILE" "${scram[@]}" >"$LOGS_DIR/format.log" 2>&1; then
    tail -n 40 "$LOGS_DIR/format.log" >&2 || true
    die "formatting the storage failed"
  fi
  echo "$CTRL_PORT" >"$CTRL_PORT_FILE"
  echo "$SECURITY" >"$SECURITY_FILE"
}

# DTM_KAFKA_SECURITY=sasl: the topics, SCRAM users and ACLs of the Strimzi manifests, applied as the administrator.
apply_access() {
  if ! "$JAVA" -cp "$LIBS_DIR/*" "$ACCESS_TOOL" --bootstrap "127.0.0.1:$PORT" \
    --admin-config "$CREDENTIALS_DIR/admin.properties" --credentials "$CREDENTIALS_DIR" \
    --topics "$KAFKA_TOPICS" --users "$KAFKA_USERS" >"$LOGS_DIR/access.log" 2>&1; then
    cat "$LOGS_DIR/access.log" >&2 || true
    return 1
  fi
  cat "$LOGS_DIR/access.log" >&2
}

rotate() {
  local file="$1" i
  [[ -e "$file" ]] || return 0
  rm -f -- "$file.$KEEP_LOGS"
  for ((i = KEEP_LOGS - 1; i >= 1; i--)); do
    if [[ -e "$file.$i" ]]; then
      mv -f -- "$file.$i" "$file.$((i + 1))"
    fi
  done
  mv -f -- "$file" "$file.1"
}

# --- commands ---------------------------------------------------------------

STARTING_PID=""

fail_start() {
  trap - INT TERM
  echo "kafka: error: $*" >&2
  if [[ -n "$STARTING_PID" ]] && proc_alive "$STARTING_PID"; then
    terminate "$STARTING_PID" 5 >/dev/null
  fi
  if [[ -n "$STARTING_PID" ]]; then
    wait "$STARTING_PID" 2>/dev/null || true
  fi
  rm -f -- "$PID_FILE"
  if [[ -s "$SERVER_LOG" ]]; then
    echo "--- last 40 lines of $SERVER_LOG" >&2
    tail -n 40 "$SERVER_LOG" >&2 || true
  fi
  if [[ -s "$OUT_LOG" ]]; then
    echo "--- last 40 lines of $OUT_LOG" >&2
    tail -n 40 "$OUT_LOG" >&2 || true
  fi
  exit 1
}

cmd_start() {
  local pid heap=() deadline port_now
  check_port_number DTM_KAFKA_PORT "$PORT"
  [[ "$START_TIMEOUT" =~ ^[0-9]+$ ]] || die "DTM_KAFKA_START_TIMEOUT must be a number of seconds (got '$START_TIMEOUT')"

  if pid="$(running_pid)"; then
    port_now="$(configured_port)"
    echo "kafka: already running at 127.0.0.1:$port_now (pid $pid)"
    if [[ "$port_now" != "$PORT" ]]; then
      info "warning: the running broker uses port $port_now, not DTM_KAFKA_PORT=$PORT"
    fi
    return 0
  fi
  rm -f -- "$PID_FILE"

  check_java
  choose_controller_port
  choose_security
  local p
  for p in "$PORT" "$CTRL_PORT"; do
    if port_open "$p"; then
      info "127.0.0.1:$p is already in use by another process:"
      port_owner "$p" >&2
      die "cannot start the broker on 127.0.0.1:$PORT (controller 127.0.0.1:$CTRL_PORT);" \
        "stop that process or choose other ports with DTM_KAFKA_PORT / DTM_KAFKA_CONTROLLER_PORT"
    fi
  done

  mkdir -p -- "$KAFKA_DIR" "$LOGS_DIR"
  resolve_libs
  if [[ "$SECURITY" == sasl ]]; then
    admin_credentials
  fi
  write_properties
  format_storage
  rotate "$SERVER_LOG"
  rotate "$OUT_LOG"

  read -r -a heap <<<"$HEAP_OPTS"
  trap 'fail_start "interrupted while starting"' INT TERM
  # In a session of its own (setsid): a signal to the caller's process group (Ctrl-C on run.sh) does not reach the
  # broker, which the caller stops last, after the clients that need it.
  (
    cd -- "$KAFKA_DIR"
    exec setsid nohup "$JAVA" "${heap[@]}" \
      -Dkafka.logs.dir="$LOGS_DIR" \
      -Dlog4j2.configurationFile="$LOG4J_FILE" \
      -cp "$LIBS_DIR/*" kafka.Kafka "$PROPS_FILE" >"$OUT_LOG" 2>&1 </dev/null
  ) &
  STARTING_PID=$!
  echo "$STARTING_PID" >"$PID_FILE"

  deadline=$((SECONDS + START_TIMEOUT))
  while :; do
    if ! proc_alive "$STARTING_PID"; then
      fail_start "the broker exited during startup"
    fi
    if port_open "$PORT" && grep -q "Kafka Server started" "$SERVER_LOG" 2>/dev/null; then
      break
    fi
    if ((SECONDS >= deadline)); then
      fail_start "the broker was not ready within ${START_TIMEOUT} s"
    fi
    sleep 0.2
  done
  if [[ "$SECURITY" == sasl ]] && ! apply_access; then
    fail_start "applying the users and ACLs of $KAFKA_USERS failed"
  fi
  trap - INT TERM
  if [[ "$SECURITY" == sasl ]]; then
    echo "kafka: ready at 127.0.0.1:$PORT (pid $STARTING_PID), SASL_PLAINTEXT/SCRAM-SHA-512 with ACLs;" \
      "client settings in $CREDENTIALS_DIR"
  else
    echo "kafka: ready at 127.0.0.1:$PORT (pid $STARTING_PID)"
  fi
}

cmd_stop() {
  local pid how
  if ! pid="$(running_pid)"; then
    rm -f -- "$PID_FILE"
    echo "kafka: not running"
    return 0
  fi
  how="$(terminate "$pid" "$STOP_TIMEOUT")"
  rm -f -- "$PID_FILE"
  if [[ "$how" == kill ]]; then
    echo "kafka: stopped (pid $pid; killed after ${STOP_TIMEOUT} s)"
  else
    echo "kafka: stopped (pid $pid)"
  fi
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    echo "kafka: running at 127.0.0.1:$(configured_port) (pid $pid)"
    return 0
  fi
  echo "kafka: stopped (port $(configured_port), dir $KAFKA_DIR)"
  return 3
}

[[ $# -eq 1 ]] || usage
case "$1" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status)
    if cmd_status; then exit 0; else exit 3; fi
    ;;
  *) usage ;;
esac
