#!/usr/bin/env bash
# Prints what a running service estimates for each drivers model, as a Markdown block: per model the members in the
# estimate, and per term the coefficient and clustered p-value (t on G − 1) of `all`, of the earliest and of the
# latest rolling window (by window end year, from GET /api/v1/models/{model}/windows; where the service does not
# serve it, the latest window is the snapshot's `rolling` estimate and the earliest is marked as not available).
#
# Usage: deploy/local/model-summary.sh [MODEL]...   (default: every model the service lists)
#
# Environment: DTM_URL (default http://127.0.0.1:${DTM_HTTP_PORT:-8080}); DTM_API_KEY (a reader's key; default the
# local stack's, target/local-api-key). Needs curl and python3.
set -euo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)"
URL="${DTM_URL:-http://127.0.0.1:${DTM_HTTP_PORT:-8080}}"
KEY="${DTM_API_KEY:-$( [[ -s "$ROOT/target/local-api-key" ]] && tr -d '\n' <"$ROOT/target/local-api-key" )}"
[[ -n "$KEY" ]] || { echo "model-summary: set DTM_API_KEY (a key with the reader role)" >&2; exit 2; }
case "${1:-}" in -h|--help) sed -n '2,10p' "$0"; exit 0 ;; esac

exec python3 - "$URL" "$KEY" "$@" <<'PY'
import json, sys, urllib.error, urllib.request

url, key, wanted = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3:]

def get(path):
    req = urllib.request.Request(url + path, headers={"Authorization": "Bearer " + key})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return None
        sys.exit(f"model-summary: GET {path} answered {e.code}: {e.read().decode()[:300]}")
    except urllib.error.URLError as e:
        sys.exit(f"model-summary: no service at {url}: {e.reason}")

def estimates_of(windows):
    """The window estimates of a /windows answer, whatever list holds them."""
    items = windows if isinstance(windows, list) else next(
        (v for v in windows.values() if isinstance(v, list)), [])
    out = []
    for w in items:
        e = w.get("estimate") if isinstance(w.get("estimate"), dict) else w
        end = w.get("windowEnd", e.get("lastYear"))
        if e.get("status", "OK") == "OK" and end is not None:
            out.append((int(end), e))
    return sorted(out, key=lambda x: x[0])

def cell(e, term):
    if e is None:
        return "n/a"
    for t in e.get("terms", []):
        if t["term"] == term:
            p = (t.get("clustered") or {}).get("p")
            return f"{t['coefficient']:.3f} (p {p:.3f})" if p is not None else f"{t['coefficient']:.3f}"
    return "dropped"

def span(e):
    if e is None:
        return "n/a"
    last = e.get("lastYear", e.get("windowEnd"))
    years = f"{e['firstYear']}–{last}" if e.get("firstYear") is not None else "every year"
    return f"{years}, N = {e.get('observations')}, G = {e.get('entities')}"

models = wanted or [m["model"] for m in (get("/api/v1/models") or [])]
print("```text")
for name in models:
    snap = get(f"/api/v1/models/{name}")
    if snap is None:
        print(f"{name}: no estimate yet\n")
        continue
    by = {e["estimate"]: e for e in snap["estimates"]}
    all_ = by.get("all") if by.get("all", {}).get("status") == "OK" else None
    windows = get(f"/api/v1/models/{name}/windows")
    found = estimates_of(windows) if windows is not None else []
    if found:
        earliest, latest = found[0][1], found[-1][1]
    else:
        earliest, latest = None, by.get("rolling") if by.get("rolling", {}).get("status") == "OK" else None
    print(f"{name}  (snapshot {snap['seq']}; all: {span(all_)}; earliest window: {span(earliest)}; "
          f"latest window: {span(latest)})")
    terms = [t["term"] for t in (all_ or latest or {}).get("terms", [])]
    rows = [("term", "all", "earliest window", "latest window")]
    rows += [(t, cell(all_, t), cell(earliest, t), cell(latest, t)) for t in terms]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        print("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    if all_ is not None and all_.get("rSquared") is not None:
        print(f"  within R² (all) {all_['rSquared']:.3f}; β (clustered p, t on G − 1)")
    print()
print("```")
PY
