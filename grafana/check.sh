#!/usr/bin/env bash
# Checks the Grafana dashboards in grafana/dashboards: JSON Schema validation (ajv) against schemas generated
# from the TypeScript types of @grafana/schema (the dashboard model and each panel plugin's options), plus the
# rules a schema cannot express (the ${datasource} variable everywhere, a PromQL expr in every target, links
# between the boards, unique uids). Prints one line per board; exits non-zero on any failure.
#
# Usage: grafana/check.sh [--self-test]
#   --self-test  also checks testdata/broken-dashboard.json, which must be rejected for each of its faults
# Needs Node.js 20+ and npm; installs the pinned packages (package-lock.json) into grafana/check/node_modules
# from the npm registry when they are missing or older than the lock file.
set -euo pipefail

CHECK_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/check" && pwd -P)"
case "${1:-}" in
  "" | --self-test) ;;
  -h | --help) sed -n '2,10p' "$0"; exit 0 ;;
  *) echo "usage: grafana/check.sh [--self-test]" >&2; exit 2 ;;
esac

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "grafana check: node and npm are needed (Node.js 20 or later)" >&2
  exit 2
fi
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
  echo "grafana check: Node.js 20 or later is needed, found $(node --version)" >&2
  exit 2
fi
if [[ ! -f "$CHECK_DIR/node_modules/.package-lock.json" ]] ||
   [[ "$CHECK_DIR/package-lock.json" -nt "$CHECK_DIR/node_modules/.package-lock.json" ]]; then
  echo "grafana check: installing the checker's packages (npm ci)" >&2
  (cd "$CHECK_DIR" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
exec node "$CHECK_DIR/check.mjs" "$@"
