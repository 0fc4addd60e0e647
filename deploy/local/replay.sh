#!/usr/bin/env bash
# Replays how the demo publications arrived, into a running stack that holds none of them yet: the other demo
# events (the RCEP dates the models need), then for each year Y from FROM to TO every publication of
# src/main/resources/demo as it stood at the end of Y (the same file without later figures, vintage the same day of
# Y + 1, imported with derivedFrom = the real release's vintage: its event ids end in /derived-from-<vintage>), then
# the real releases, then each --revision file (a real later vintage of a series) in the order given. After each
# round it prints every model's estimates and the import, series and vintage that moved them last.
#
# Usage: deploy/local/replay.sh [--from YEAR] [--to YEAR] [--pause SECONDS] [--revision FILE[,DATASET[,VINTAGE]]]...
#
#   --from, --to   the years to cut at (default 2014 to 2024; a cut whose vintage would not be before the real
#                  release's is left out)
#   --pause        seconds between rounds, so that Prometheus scrapes each (default 5)
#   --revision     a later real release imported last with deploy/local/import.sh (repeatable)
#
# Start the stack empty first, with fresh data (a stack that already holds the real releases would find every
# earlier vintage stale; the replay refuses it):
#   DTM_KAFKA_DIR=target/replay/kafka DTM_STATE_DIR=target/replay/state deploy/local/run.sh --no-demo
#
# Environment: DTM_URL (default http://127.0.0.1:${DTM_HTTP_PORT:-8080}); DTM_API_KEY (default the local stack's,
# target/local-api-key).
set -euo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)"
usage() { sed -n '9,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
FROM=2014 TO=2024 PAUSE=5 REVISIONS=()
while (( $# )); do
  case "$1" in
    --from) [[ $# -ge 2 ]] || usage; FROM="$2"; shift 2 ;;
    --to) [[ $# -ge 2 ]] || usage; TO="$2"; shift 2 ;;
    --pause) [[ $# -ge 2 ]] || usage; PAUSE="$2"; shift 2 ;;
    --revision) [[ $# -ge 2 ]] || usage; REVISIONS+=("$2"); shift 2 ;;
    -h|--help) usage ;;
    *) echo "replay: unknown argument $1" >&2; usage ;;
  esac
done
[[ "$FROM" =~ ^[0-9]{4}$ && "$TO" =~ ^[0-9]{4}$ && "$FROM" -le "$TO" ]] || { echo "replay: --from and --to are years, from ≤ to" >&2; exit 2; }
[[ "$PAUSE" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "replay: --pause is a number of seconds" >&2; exit 2; }
for r in "${REVISIONS[@]}"; do
  [[ -r "${r%%,*}" ]] || { echo "replay: cannot read the revision ${r%%,*}" >&2; exit 2; }
done

URL="${DTM_URL:-http://127.0.0.1:${DTM_HTTP_PORT:-8080}}"
DTM_API_KEY="${DTM_API_KEY:-$( [[ -s "$ROOT/target/local-api-key" ]] && tr -d '\n' <"$ROOT/target/local-api-key" )}"
[[ -n "$DTM_API_KEY" ]] || { echo "replay: set DTM_API_KEY (a key with the publisher and reader roles)" >&2; exit 2; }
export DTM_API_KEY
curl -fsS "$URL/q/health/ready" >/dev/null || { echo "replay: no service ready at $URL (deploy/local/run.sh --no-demo)" >&2; exit 1; }

APP="$ROOT/target/quarkus-app"
[[ -d "$APP/app" ]] || (cd "$ROOT" && ./mvnw -q -B package -DskipTests)
java -cp "$APP/app/*:$APP/lib/main/*" io.dtm.demo.Replay "$URL" "$FROM" "$TO" "$PAUSE"

for r in "${REVISIONS[@]}"; do
  IFS=, read -r file dataset vintage <<<"$r"
  echo "replay: the revision $file"
  DTM_URL="$URL" "$ROOT/deploy/local/import.sh" "$file" ${dataset:+--dataset "$dataset"} ${vintage:+--vintage "$vintage"}
done
