#!/usr/bin/env bash
# Imports a statistical publication (World Bank bulk CSV or API JSON, SDMX-CSV, a long CSV, the Epoch AI cluster
# list) into a running service, showing the rows, the rate and the time left as it goes, then the report.
#
# Usage: deploy/local/import.sh FILE [--dataset ID] [--vintage YYYY-MM-DD] [--dry-run]
#
#   --dataset ID   its mapping in datasets.yaml (told from the file's publisher codes when absent)
#   --vintage D    the release date, where the file carries none (it must agree with the file's where it does)
#   --dry-run      read and map the file here without publishing: every event it would send on standard output
#
# Environment: DTM_URL (default http://127.0.0.1:${DTM_HTTP_PORT:-8080}); DTM_API_KEY (a publisher's key; default
# the local stack's, target/local-api-key).
set -euo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)"
usage() { sed -n '5,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
FILE="" DATASET="" VINTAGE="" DRY=false
while (( $# )); do
  case "$1" in
    --dataset) [[ $# -ge 2 ]] || usage; DATASET="$2"; shift 2 ;;
    --vintage) [[ $# -ge 2 ]] || usage; VINTAGE="$2"; shift 2 ;;
    --dry-run) DRY=true; shift ;;
    -h|--help) usage ;;
    -*) echo "import: unknown option $1" >&2; usage ;;
    *) [[ -z "$FILE" ]] || usage; FILE="$1"; shift ;;
  esac
done
[[ -n "$FILE" ]] || usage
[[ -r "$FILE" ]] || { echo "import: cannot read $FILE" >&2; exit 2; }
if [[ -n "$VINTAGE" && ! "$VINTAGE" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]]; then
  echo "import: --vintage is a date YYYY-MM-DD (got '$VINTAGE')" >&2; exit 2
fi

if $DRY; then
  APP="$ROOT/target/quarkus-app"
  [[ -d "$APP/app" ]] || (cd "$ROOT" && ./mvnw -q -B package -DskipTests)
  exec java -cp "$APP/app/*:$APP/lib/main/*" io.dtm.imports.DryRun "$FILE" "${DATASET:--}" "${VINTAGE:--}"
fi

URL="${DTM_URL:-http://127.0.0.1:${DTM_HTTP_PORT:-8080}}"
KEY="${DTM_API_KEY:-$( [[ -s "$ROOT/target/local-api-key" ]] && tr -d '\n' <"$ROOT/target/local-api-key" )}"
[[ -n "$KEY" ]] || { echo "import: set DTM_API_KEY (a key with the publisher role)" >&2; exit 2; }
AUTH=(-H "Authorization: Bearer $KEY")

query=""
[[ -n "$DATASET" ]] && query+="&dataset=$DATASET"
[[ -n "$VINTAGE" ]] && query+="&vintage=$VINTAGE"
answer="$(curl -sS -w '\n%{http_code}' "${AUTH[@]}" -H 'Content-Type: application/octet-stream' \
  --data-binary "@$FILE" "$URL/api/v1/imports?${query#&}")"
code="${answer##*$'\n'}"; body="${answer%$'\n'*}"
if [[ "$code" != 202 ]]; then
  echo "import: refused ($code): $body" >&2; exit 1
fi
id="$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' <<<"$body")"
field() { sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p" <<<"$2" | tr -d '"' | head -n 1; }

while :; do
  status="$(curl -sS "${AUTH[@]}" "$URL/api/v1/imports/$id")"
  state="$(field state "$status")"
  read_rows="$(field read "$status")"; rate="$(field rowsPerSecond "$status")"
  percent="$(field percent "$status")"; eta="$(field eta "$status")"
  pct="${percent%%.*}"; pct="${pct:-0}"; [[ "$pct" =~ ^[0-9]+$ ]] || pct=0
  [[ "$eta" == null || -z "$eta" ]] && eta="-"; [[ "$read_rows" == null ]] && read_rows=0
  bar="$(printf '%*s' $((pct * 30 / 100)) '' | tr ' ' '#')"
  if [[ -t 2 ]]; then
    printf '\r\033[K[%-30s] %3s%%  %s rows  %s rows/s  eta %s' "$bar" "$pct" "${read_rows:-0}" \
      "$(printf '%.0f' "${rate:-0}" 2>/dev/null || echo 0)" "$eta" >&2
  fi
  [[ "$state" == running ]] || break
  sleep 0.5
done
[[ -t 2 ]] && echo >&2
echo "$status"
[[ "$state" == done ]]
