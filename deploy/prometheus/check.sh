#!/usr/bin/env bash
# Checks the Prometheus and Alertmanager configuration of dtm with the real tools:
#   promtool check config   deploy/prometheus/prometheus.yml and deploy/compose/prometheus.yml (and the rule files they load)
#   promtool check rules    deploy/prometheus/rules/*.rules.yml
#   promtool test rules     deploy/prometheus/rules/*_test.yml
#   coverage                every alerting rule has a test where it fires and one where it does not
#   amtool check-config     deploy/alertmanager/alertmanager.yml
#   amtool routes test      sample label sets reach the expected receivers
# Runs every check, prints each result, exits 1 if any failed (2 if a tool is missing).
# Tools: apt-get install prometheus prometheus-alertmanager (Prometheus 2.42, Alertmanager 0.25).
#
# Usage: deploy/prometheus/check.sh [repository root]   (default: the repository holding this script)
set -uo pipefail

ROOT="${1:-$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)}"
cd -- "$ROOT" || exit 2

PROM_CONFIG=deploy/prometheus/prometheus.yml
RULES_DIR=deploy/prometheus/rules
AM_CONFIG=deploy/alertmanager/alertmanager.yml

for tool in promtool amtool; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "check: $tool not found (apt-get install prometheus prometheus-alertmanager)" >&2
    exit 2
  fi
done
echo "check: $(promtool --version 2>&1 | head -n 1)"
echo "check: $(amtool --version 2>&1 | head -n 1)"

shopt -s nullglob
rule_files=("$RULES_DIR"/*.rules.yml)
test_files=("$RULES_DIR"/*_test.yml)
shopt -u nullglob

failed=()
step() { # step NAME COMMAND...: runs the command, shows its output, records the result
  local name="$1"; shift
  echo
  echo "=== $name"
  echo "\$ $*"
  if "$@" 2>&1; then
    echo "--- ok: $name"
  else
    echo "--- FAILED: $name"
    failed+=("$name")
  fi
}

# Every `- alert: X` of the rule files needs, in the test files, an alert_rule_test case for X with a
# non-empty exp_alerts (fires) and one with exp_alerts empty or absent (does not fire).
coverage() {
  local alerts missing=0 name
  alerts=$(sed -n 's/^[[:space:]]*-[[:space:]]*alert:[[:space:]]*\([A-Za-z0-9_:]*\).*/\1/p' "${rule_files[@]}" | sort -u)
  if [[ -z "$alerts" ]]; then
    echo "no alerting rules found"
    return 1
  fi
  local cases
  cases=$(awk '
    function flush() { if (name != "") print name, (seen ? kind : "silent"); name = ""; seen = 0 }
    /^[[:space:]]*-[[:space:]]*eval_time:/ { flush(); next }
    /^[[:space:]]*alertname:/            { name = $2; next }
    /^[[:space:]]*exp_alerts:/           { seen = 1; kind = ($0 ~ /\[[[:space:]]*\]/) ? "silent" : "fires"; next }
    /^[[:space:]]*-[[:space:]]*interval:/ || /^[[:space:]]*(input_series|promql_expr_test|alert_rule_test):/ { flush() }
    END { flush() }' "${test_files[@]}")
  while read -r name; do
    local fires silent
    fires=$(grep -c "^$name fires$" <<<"$cases")
    silent=$(grep -c "^$name silent$" <<<"$cases")
    printf '%-28s fires in %d case(s), silent in %d case(s)\n' "$name" "$fires" "$silent"
    if (( fires == 0 || silent == 0 )); then missing=1; fi
  done <<<"$alerts"
  if (( missing )); then
    echo "an alerting rule lacks a firing or a non-firing test case"
    return 1
  fi
}

# Sample alerts and the receiver each must reach.
routes() {
  local bad=0 expected labels out
  while IFS='|' read -r expected labels; do
    [[ -z "$expected" ]] && continue
    # shellcheck disable=SC2086
    out=$(amtool config routes test --config.file="$AM_CONFIG" --verify.receivers="$expected" $labels 2>&1)
    local rc=$?
    out=$(grep -v 'flag overrides the --alertmanager.url' <<<"$out")
    if (( rc == 0 )); then
      printf '%-70s -> %s\n' "$labels" "$out"
    else
      printf '%-70s -> %s   EXPECTED %s\n' "$labels" "$out" "$expected"
      bad=1
    fi
  done <<'ROUTES'
dtm-page|alertname=DtmServiceDown severity=critical job=dtm
dtm-ticket|alertname=DtmDeadLettersArriving severity=warning feed=trade
dtm-info|alertname=DtmModelUnstable severity=info model=drivers
dtm-data-quality|rule=consistency-gap severity=info scope=region
dtm-model|rule=model-unstable severity=warning
dtm-page|rule=openness-drop severity=critical scope=country reporter=VNM
dtm-monitoring|rule=china-dds-growth-low severity=warning scope=country reporter=CHN
dtm-default|alertname=Unknown
ROUTES
  return $bad
}

if (( ${#rule_files[@]} == 0 || ${#test_files[@]} == 0 )); then
  echo "check: no rule files or no test files under $RULES_DIR" >&2
  failed+=("rule and test files present")
else
  step "promtool check config" promtool check config "$PROM_CONFIG"
  step "promtool check config (Compose)" promtool check config deploy/compose/prometheus.yml
  step "promtool check rules" promtool check rules "${rule_files[@]}"
  step "promtool test rules" promtool test rules "${test_files[@]}"
  step "every alerting rule tested firing and not firing" coverage
fi
step "amtool check-config" amtool check-config "$AM_CONFIG"
step "amtool config routes test" routes

echo
if (( ${#failed[@]} )); then
  echo "check: FAILED: ${failed[*]}"
  exit 1
fi
echo "check: all passed (${#rule_files[@]} rule files, ${#test_files[@]} test files, $PROM_CONFIG, $AM_CONFIG)"
