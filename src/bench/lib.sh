# Shell helpers of the benchmark scripts (src/bench/run.sh, src/bench/import.sh), sourced by them: messages, usage
# from the script's header comment, the JDK's tools, free ports of 127.0.0.1 and the load average.

die() {
  echo "bench: error: $*" >&2
  exit 1
}
info() { echo "bench: $*" >&2; }

# Prints the calling script's header comment (from line 2 to `set -euo`) and exits 2.
usage() {
  sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
  exit 2
}

# JAVA and JCMD: from JAVA_HOME when it has them, else from the PATH.
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  JAVA="$JAVA_HOME/bin/java"
  JCMD="$JAVA_HOME/bin/jcmd"
else
  JAVA="java"
  JCMD="jcmd"
fi

# --- a free port of 127.0.0.1: nothing listens on it and it is not already chosen -----------------------

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
  if command -v ss >/dev/null 2>&1; then
    [[ -n "$(ss -Htan "sport = :$1" 2>/dev/null)" ]] && return 0
  fi
  return 1
}

# A free port, other than the ones given.
free_port() {
  local p i
  for ((i = 0; i < 200; i++)); do
    p=$((20000 + RANDOM % 30000))
    [[ " $* " == *" $p "* ]] && continue
    port_in_use "$p" || {
      echo "$p"
      return 0
    }
  done
  die "no free port found on 127.0.0.1"
}

load_average() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime | sed 's/.*load average[s]*: //'; }

# The end of a benchmark's cleanup, after its processes are stopped: removes (or, with KEEP=1, keeps) WORK_DIR,
# prints the time taken and exits with the status the script had.
finish_work_dir() {
  local rc=$1
  if [[ -n "${WORK_DIR:-}" && -d "$WORK_DIR" ]]; then
    if ((KEEP)); then
      info "kept $WORK_DIR"
    else
      rm -rf -- "$WORK_DIR"
    fi
  fi
  info "finished in $SECONDS s (exit status $rc)"
  exit "$rc"
}
