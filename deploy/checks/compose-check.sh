#!/usr/bin/env bash
# Checks deploy/compose.yaml without a Docker engine (deploy/checks/compose-check.py says what it checks):
# images pinned, build context and Dockerfile present, bind-mounted paths present, depends_on names services,
# host ports unique, every dtm role running with its settings and a readiness healthcheck.
# Needs python3 with PyYAML (Debian: apt-get install python3-yaml; installed here when missing and root).
#
# Usage: deploy/checks/compose-check.sh              check deploy/compose.yaml
#        deploy/checks/compose-check.sh --self-test  also assert that the broken fixture in
#                                                    deploy/checks/testdata/compose-broken fails with each
#                                                    problem listed in its expected-problems.txt
set -uo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd -- "$ROOT" || exit 2
CHECK=deploy/checks/compose-check.py

python_with_yaml() {
  local candidate
  for candidate in /usr/bin/python3 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import yaml' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

PYTHON=$(python_with_yaml)
if [[ -z "$PYTHON" ]]; then
  if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "compose-check: installing python3-yaml (Debian package)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-yaml >/dev/null
  fi
  PYTHON=$(python_with_yaml) || { echo "compose-check: python3 with PyYAML not found (apt-get install python3-yaml)" >&2; exit 2; }
fi

self_test() {
  local fixture=deploy/checks/testdata/compose-broken
  local out rc missing=0 expected
  out=$("$PYTHON" "$CHECK" "$fixture/compose.yaml" 2>&1)
  rc=$?
  if (( rc == 0 )); then
    echo "compose-check: self-test FAILED: the broken fixture passed"
    return 1
  fi
  while IFS= read -r expected; do
    [[ -z "$expected" ]] && continue
    if ! grep -qF -- "$expected" <<<"$out"; then
      echo "compose-check: self-test FAILED: not reported: $expected"
      missing=1
    fi
  done <"$fixture/expected-problems.txt"
  if (( missing )); then
    echo "$out"
    return 1
  fi
  echo "compose-check: self-test ok: the broken fixture fails with all $(grep -c . "$fixture/expected-problems.txt") expected problems"
}

status=0
case "${1:-}" in
  "") ;;
  --self-test) self_test || status=1 ;;
  *) echo "usage: deploy/checks/compose-check.sh [--self-test]" >&2; exit 2 ;;
esac
"$PYTHON" "$CHECK" deploy/compose.yaml || status=1
exit $status
