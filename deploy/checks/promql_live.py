#!/usr/bin/env python3
"""Live PromQL check of dtm's Grafana boards and Prometheus rules (driven by promql-live.sh).

Sub-commands:
  wait-service  wait until the service's /q/metrics shows the demo data
  config        write a Prometheus configuration derived from deploy/prometheus/prometheus.yml
  wait-prom     wait until Prometheus scrapes the service and has evaluated its rules a few times
  check         run every expression against Prometheus, print one line each, render key panels

What is checked (each must return at least one series; an empty result or an error fails):
  - every `expr` of every target of every panel of every dashboard (panels nested in rows too),
    as an instant query and, unless the target is `"instant": true`, also as a range query over
    the last minutes; template variables take their `current` values;
  - every `query` template variable: its query must return at least one value;
  - every recording rule's `expr`;
  - every alerting rule's left-hand side (see alert_lhs); and every rule must be healthy in
    Prometheus' /api/v1/rules (loaded, evaluated, no evaluation error).

Standard library only, plus python3-yaml for the rule files and python3-matplotlib for --render-dir.
"""
import argparse
import datetime
import glob
import json
import math
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

# Grafana's built-in variables, with the values a check run uses.
BUILTINS = {
    "__interval": "1m",
    "__rate_interval": "1m",
    "__range": "1h",
    "__interval_ms": "60000",
    "__range_s": "3600",
    "__range_ms": "3600000",
    "__auto_interval": "1m",
}
# Panel types that carry no query of their own.
NO_QUERY_PANELS = {"row", "text", "news", "dashlist", "alertlist", "annolist", "welcome"}
RANGE_SECONDS = 300
RANGE_STEP = 5


def die(msg, code=2):
    print(f"promql-live: {msg}", file=sys.stderr)
    sys.exit(code)


# --- HTTP ---------------------------------------------------------------------------------------

def http_get(url, timeout=10):
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        return resp.read().decode("utf-8")


def prom_api(prom, path, params=None, timeout=30):
    """Calls a Prometheus HTTP API endpoint; returns (data, error) with one of them None."""
    body = urllib.parse.urlencode(params or {}).encode() if params is not None else None
    req = urllib.request.Request(prom.rstrip("/") + path, data=body)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            doc = json.loads(resp.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        try:
            doc = json.loads(e.read().decode("utf-8"))
        except ValueError:
            return None, f"HTTP {e.code}"
    except (urllib.error.URLError, OSError) as e:
        return None, str(e)
    if doc.get("status") != "success":
        return None, f"{doc.get('errorType', 'error')}: {doc.get('error', '?')}"
    return doc.get("data"), None


def pid_alive(pid):
    if not pid:
        return True
    try:
        os.kill(int(pid), 0)
        return True
    except OSError:
        return False


# --- wait-service / wait-prom -------------------------------------------------------------------

# The demo data's world DDS export growth of 2025 (Table 1: 6.1 %), the value deploy/local/smoke.sh
# waits for: when it is there, the demo data set has been read up to its last year.
DDS_2025 = ('dtm_indicator_value{category="DDS",flow="EXPORT",id="trade-yoy-growth",'
            'indicator="yoy_growth_pct",partner="WLD",reporter="WLD",synthetic="false"}')


# Series of the model and of the service's alert rules, which follow the indicators.
FOLLOWERS = ("dtm_model_coefficient", "dtm_model_std_error", "dtm_model_stability_ratio", "dtm_alerts_firing")


def cmd_wait_service(args):
    """Waits for the demo data: DDS 2025 ≈ 6.1, the model's and the alert rules' series, and then
    until the number of dtm_ series has stayed the same for `--settle` seconds."""
    deadline = time.monotonic() + args.timeout
    value, missing, counts = None, FOLLOWERS, []
    while time.monotonic() < deadline:
        if not pid_alive(args.pid):
            die("the local stack exited before the demo data was in", 1)
        try:
            lines = [x for x in http_get(args.url.rstrip("/") + "/q/metrics").splitlines()
                     if x and not x.startswith("#")]
        except (urllib.error.URLError, OSError):
            lines = []
        for line in lines:
            if line.startswith(DDS_2025 + " "):
                value = float(line.split()[1])
        names = {re.split(r"[{ ]", x, 1)[0] for x in lines}
        missing = [n for n in FOLLOWERS if n not in names]
        if value is not None and abs(value - 6.1) < 0.05 and not missing:
            counts.append(sum(1 for x in lines if x.startswith("dtm_")))
            if len(counts) > args.settle and len(set(counts[-args.settle - 1:])) == 1:
                print(f"promql-live: demo data in (DDS 2025 growth {value}, {counts[-1]} dtm series)")
                return 0
        time.sleep(1)
    die(f"no complete demo data after {args.timeout}s (DDS 2025 growth: {value}, expected about 6.1; "
        f"missing: {', '.join(missing) or 'none'})", 1)


# the fewest samples of the Kafka client metrics the boards read (empty while one is missing)
KAFKA_LATE = ('min(count_over_time(kafka_stream_task_process_total[5m])) '
              'and on() count(kafka_consumer_fetch_manager_records_lag)')


def cmd_wait_prom(args):
    """Waits until the dtm target is up, `up` has min-samples samples and every rule group has been
    evaluated after that, so that rates over the scraped samples have values."""
    deadline = time.monotonic() + args.timeout
    stage = "Prometheus ready"
    while time.monotonic() < deadline:
        if not pid_alive(args.pid):
            die("Prometheus exited; see its log", 1)
        data, err = prom_api(args.prom, "/api/v1/query",
                             {"query": 'count_over_time(up{job="dtm"}[5m])'})
        if err is None and data["result"]:
            stage = "enough scrapes of the dtm target"
            samples = min(int(float(r["value"][1])) for r in data["result"])
            targets, _ = prom_api(args.prom, "/api/v1/targets", None)
            health = [t["health"] for t in (targets or {}).get("activeTargets", [])]
            if samples >= args.min_samples and health and all(h == "up" for h in health):
                stage = "rule evaluation"
                since = time.time() - args.interval
                rules, _ = prom_api(args.prom, "/api/v1/rules", None)
                groups = (rules or {}).get("groups", [])
                if groups and all(evaluated_after(g.get("lastEvaluation"), since) for g in groups):
                    # Micrometer's Kafka binders register the clients' metrics as they find them, on a
                    # periodic refresh: task and consumer-lag metrics can come a minute after start.
                    stage = "Kafka client metrics (task throughput, consumer lag)"
                    late, _ = prom_api(args.prom, "/api/v1/query", {"query": KAFKA_LATE})
                    if not late or not late["result"] or float(late["result"][0]["value"][1]) < args.min_samples:
                        time.sleep(1)
                        continue
                    print(f"promql-live: Prometheus has {samples} scrapes of the service and has "
                          f"evaluated {len(groups)} rule groups")
                    return 0
        time.sleep(1)
    die(f"Prometheus not ready after {args.timeout}s (waiting for: {stage})", 1)


def evaluated_after(stamp, since):
    # RFC 3339 with nanoseconds, e.g. 2026-11-28T18:40:01.123456789Z; "0001-01-01…" before the first
    if not stamp or stamp.startswith("0001"):
        return False
    m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)", stamp)
    if not m:
        return False
    frac = float(m.group(2) or 0)
    tz = "+00:00" if m.group(3) == "Z" else m.group(3)
    t = datetime.datetime.fromisoformat(m.group(1) + tz).timestamp() + frac
    return t >= since


# --- config -------------------------------------------------------------------------------------

def load_yaml(path):
    try:
        import yaml
    except ImportError:
        die("python3-yaml is missing (apt-get install -y --no-install-recommends python3-yaml)")
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def cmd_config(args):
    """Same rule files and scrape job as the shipped configuration; the service's address as the
    target, short intervals, no Alertmanager."""
    import yaml
    base_dir = os.path.dirname(os.path.abspath(args.base))
    conf = load_yaml(args.base)
    conf["global"] = dict(conf.get("global") or {}, scrape_interval=args.interval,
                          evaluation_interval=args.interval)
    conf.pop("alerting", None)
    rule_files = []
    for pattern in conf.get("rule_files") or []:
        full = pattern if os.path.isabs(pattern) else os.path.join(base_dir, pattern)
        rule_files += sorted(glob.glob(full))
    rule_files += [os.path.abspath(p) for p in args.rules]
    conf["rule_files"] = rule_files
    jobs = [j for j in conf.get("scrape_configs") or [] if j.get("job_name") == "dtm"]
    if not jobs:
        die(f"{args.base} has no scrape job 'dtm'")
    job = dict(jobs[0], scrape_interval=args.interval, scrape_timeout=args.interval)
    statics = job.get("static_configs") or [{}]
    job["static_configs"] = [dict(statics[0], targets=[args.target])]
    conf["scrape_configs"] = [job]
    with open(args.out, "w", encoding="utf-8") as f:
        yaml.safe_dump(conf, f, sort_keys=False)
    for p in rule_files:
        print(f"promql-live: rule file {p}")
    return 0


# --- PromQL: alerting rules' left-hand side ------------------------------------------------------

COMPARISONS = ("==", "!=", ">=", "<=", ">", "<")


def top_level_tokens(expr):
    """Yields (position, token) for the binary set operators (and, or, unless) and comparison
    operators outside any (), {}, [] and string literal, skipping # comments."""
    depth = 0
    i, n = 0, len(expr)
    while i < n:
        c = expr[i]
        if c in "\"'`":
            j = i + 1
            while j < n and expr[j] != c:
                j += 2 if expr[j] == "\\" and c != "`" else 1
            i = j + 1
            continue
        if c == "#":
            while i < n and expr[i] != "\n":
                i += 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0:
            two = expr[i:i + 2]
            if two in COMPARISONS:
                yield i, two
                i += 2
                continue
            if c in "<>":
                yield i, c
            elif c.isalpha():
                m = re.match(r"[A-Za-z_:][A-Za-z0-9_:]*", expr[i:])
                word = m.group(0)
                prev = expr[i - 1] if i else " "
                if word in ("and", "or", "unless") and not (prev.isalnum() or prev in "_:"):
                    yield i, word
                i += len(word)
                continue
        i += 1


def first_operand(expr, ops):
    for pos, tok in top_level_tokens(expr):
        if tok in ops:
            return expr[:pos].strip()
    return expr.strip()


def is_number(s):
    try:
        float(s)
        return True
    except ValueError:
        return False


def alert_lhs(expr):
    """The expression an alerting rule compares, by PromQL precedence (or < and/unless <
    comparisons < arithmetic): the first operand of a top-level `or`, of that the first operand
    of a top-level `and`/`unless`, of that the left-hand side of the first top-level comparison
    (`a + b > bool 0` gives `a + b`; with a number on the left, `0 < x`, the right-hand side).
    Without a comparison, the whole operand."""
    e = first_operand(expr, ("or",))
    e = first_operand(e, ("and", "unless"))
    for pos, tok in top_level_tokens(e):
        if tok in COMPARISONS:
            lhs, rhs = e[:pos].strip(), e[pos + len(tok):].strip()
            if is_number(lhs):
                rhs = re.sub(r"^bool\b", "", rhs).strip()
                return first_operand(rhs, COMPARISONS)
            return lhs
    return e


# --- Grafana: template variables ----------------------------------------------------------------

def regex_escape(v):
    # Grafana's prometheusSpecialRegexEscape
    return re.sub(r"([\\^$*+?.()|{}\[\]])", r"\\\\\1", v)


class Variables:
    """The template variables of one dashboard with their `current` values."""

    def __init__(self, dash):
        self.vars = {}
        for v in (dash.get("templating") or {}).get("list") or []:
            name = v.get("name")
            if not name:
                continue
            self.vars[name] = v

    def values(self, name):
        v = self.vars[name]
        cur = v.get("current") or {}
        val = cur.get("value")
        if val is None or val == "" or val == []:
            if v.get("type") == "constant":
                val = v.get("query", "")
            else:
                opts = v.get("options") or []
                sel = [o for o in opts if o.get("selected")] or opts[:1]
                if sel:
                    val = [o.get("value") for o in sel]
                elif v.get("type") == "custom" and isinstance(v.get("query"), str):
                    val = v["query"].split(",")[0].strip()
                else:
                    val = ""
        vals = val if isinstance(val, list) else [val]
        vals = [str(x) for x in vals]
        if any(x in ("$__all", "__all") for x in vals):
            if v.get("allValue"):
                return [v["allValue"]], True
            opts = [str(o.get("value")) for o in v.get("options") or []
                    if o.get("value") not in ("$__all", None)]
            return (opts or [".*"]), not opts
        if v.get("type") == "interval":
            vals = ["1m" if x.startswith("$__auto") else x for x in vals]
        return vals, False

    def format(self, name, fmt):
        v = self.vars[name]
        vals, raw_all = self.values(name)
        if raw_all:  # allValue is used verbatim
            return vals[0]
        multi = bool(v.get("multi") or v.get("includeAll"))
        if fmt in ("raw", "csv"):
            return ",".join(vals)
        if fmt == "pipe":
            return "|".join(vals)
        if fmt == "text":
            text = (v.get("current") or {}).get("text", vals)
            return " + ".join(text) if isinstance(text, list) else str(text)
        if fmt == "singlequote":
            return ",".join("'" + x.replace("'", "\\'") + "'" for x in vals)
        if fmt == "doublequote":
            return ",".join('"' + x.replace('"', '\\"') + '"' for x in vals)
        if fmt == "regex" or multi:
            esc = [regex_escape(x) for x in vals]
            return esc[0] if len(esc) == 1 else "(" + "|".join(esc) + ")"
        return vals[0] if len(vals) == 1 else ",".join(vals)


VAR_RE = re.compile(r"\$\{(\w+)(?::([^}]*))?\}|\[\[(\w+)(?::(\w+))?\]\]|\$(\w+)")


def interpolate(text, variables, default_fmt=None):
    """Grafana's substitution of $var, ${var}, ${var:format} and [[var]]; returns (text, unknown).
    Queries use Grafana's Prometheus format by default, titles `text`."""
    unknown = []

    def sub(m):
        name = m.group(1) or m.group(3) or m.group(5)
        fmt = m.group(2) or m.group(4) or default_fmt
        if name.isdigit():  # $1 in label_replace
            return m.group(0)
        if name in variables.vars:
            return variables.format(name, fmt)
        if name in BUILTINS:
            return BUILTINS[name]
        unknown.append(name)
        return m.group(0)

    return VAR_RE.sub(sub, text), unknown


# --- collecting the checks ----------------------------------------------------------------------

class Check:
    def __init__(self, source, expr, kind="instant", error=None, graph=None, rule=None):
        self.source = source      # printed, and the key of promql-exempt.txt
        self.expr = expr
        self.rule = rule          # (rule file name, rule name) for rules
        self.kind = kind          # instant, range, labels
        self.error = error        # set when the expression could not be built
        self.graph = graph        # (dashboard, panel, target) for rendering
        self.status = None
        self.series = 0
        self.result = None
        self.note = ""


def rel(path, root):
    p = os.path.abspath(path)
    return os.path.relpath(p, root) if p.startswith(root + os.sep) else path


def flat_panels(dash):
    """All panels in board order (top to bottom, left to right), rows' nested panels included."""
    out = []

    def walk(panels):
        for p in panels or []:
            out.append(p)
            walk(p.get("panels"))

    walk(dash.get("panels"))
    for row in dash.get("rows") or []:  # the old, pre-5.0 schema
        walk(row.get("panels"))

    def pos(p):
        g = p.get("gridPos") or {}
        return (g.get("y", 0), g.get("x", 0))

    return sorted(out, key=pos)


def load_dashboard(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    return doc.get("dashboard", doc) if isinstance(doc.get("dashboard"), dict) else doc


def variable_query_check(src, v, variables):
    q = v.get("query")
    if isinstance(q, dict):
        q = q.get("query", "")
    q = (q or "").strip()
    if not q:
        return None
    q, unknown = interpolate(q, variables)
    if unknown:
        return Check(src, q, error="unknown variable(s): " + ", ".join("$" + u for u in unknown))
    m = re.fullmatch(r"label_values\((.*),\s*(\w+)\s*\)", q, re.S)
    if m:
        return Check(src, f"count by ({m.group(2)}) ({m.group(1)})")
    m = re.fullmatch(r"label_values\(\s*(\w+)\s*\)", q)
    if m:
        return Check(src, m.group(1), kind="labels")
    m = re.fullmatch(r"query_result\((.*)\)", q, re.S)
    if m:
        return Check(src, m.group(1))
    m = re.fullmatch(r"metrics\((.*)\)", q, re.S)
    if m:
        return Check(src, f'count by (__name__) ({{__name__=~"{m.group(1).strip()}"}})')
    return Check(src, q)  # a plain PromQL query as the variable query


def dashboard_checks(path, dash, root):
    name = rel(path, root)
    variables = Variables(dash)
    checks = []
    for vname, v in variables.vars.items():
        if v.get("type") == "query":
            c = variable_query_check(f"{name}: variable ${vname}", v, variables)
            if c:
                checks.append(c)
    for panel in flat_panels(dash):
        ptype = panel.get("type", "")
        if ptype in NO_QUERY_PANELS or panel.get("libraryPanel"):
            continue
        title = panel.get("title") or f"panel {panel.get('id', '?')}"
        title, _ = interpolate(title, variables, "text")
        targets = [t for t in panel.get("targets") or [] if "expr" in t]
        if any("panelId" in t for t in panel.get("targets") or []):
            continue  # the "-- Dashboard --" source shows another panel's data, checked there
        if not targets:
            checks.append(Check(f'{name}: panel "{title}"', "", error="the panel has no PromQL query"))
            continue
        for t in targets:
            ref = t.get("refId", "?")
            src = f'{name}: panel "{title}" {ref}'
            expr, unknown = interpolate(t.get("expr") or "", variables)
            graph = (dash, panel, t, variables)
            if not expr.strip():
                checks.append(Check(src, expr, error="empty expr", graph=graph))
                continue
            if unknown:
                checks.append(Check(src, expr, error="unknown variable(s): "
                                    + ", ".join("$" + u for u in unknown), graph=graph))
                continue
            checks.append(Check(src, expr, graph=graph))
            if not t.get("instant") or t.get("range"):
                checks.append(Check(src + " [range]", expr, kind="range", graph=graph))
    if not any(c.graph for c in checks):
        checks.append(Check(f"{name}: board", "", error="no panel with a PromQL query"))
    return checks


def rule_checks(path, root):
    name = rel(path, root)
    doc = load_yaml(path) or {}
    checks = []
    for group in doc.get("groups") or []:
        for rule in group.get("rules") or []:
            expr = str(rule.get("expr", ""))
            if "record" in rule:
                checks.append(Check(f"{name}: record {rule['record']}", expr,
                                    rule=(os.path.basename(path), rule["record"])))
            elif "alert" in rule:
                checks.append(Check(f"{name}: alert {rule['alert']} (lhs)", alert_lhs(expr),
                                    rule=(os.path.basename(path), rule["alert"])))
    return checks


def rule_health(prom):
    """(rule name, file) → (health, lastError) from /api/v1/rules."""
    data, err = prom_api(prom, "/api/v1/rules", None)
    if err:
        die(f"cannot read the rules from Prometheus: {err}", 1)
    out = {}
    for g in data.get("groups", []):
        for r in g.get("rules", []):
            out[(os.path.basename(g.get("file", "")), r.get("name"))] = (r.get("health"), r.get("lastError"))
    return out


def load_exemptions(path):
    """Lines `<source as printed> | <reason>`; # starts a comment line."""
    out = {}
    if not path or not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            src, sep, reason = line.partition(" | ")
            if not sep or not reason.strip():
                die(f"{path}:{n}: expected `<source> | <reason>`")
            out[src.strip()] = reason.strip()
    return out


# --- running the checks -------------------------------------------------------------------------

def count_result(data):
    rtype, result = data.get("resultType"), data.get("result")
    if rtype in ("scalar", "string"):
        vals = [result[1]]
        return 1, vals
    if rtype == "vector":
        return len(result), [r["value"][1] for r in result]
    if rtype == "matrix":
        return len(result), [v[1] for r in result for v in r.get("values", [])]
    return 0, []


def run_check(prom, c, now):
    if c.error:
        c.status = "ERROR"
        c.note = c.error
        return
    if c.kind == "labels":
        data, err = prom_api(prom, f"/api/v1/label/{c.expr}/values", None)
        if err:
            c.status, c.note = "ERROR", err
        else:
            c.series = len(data)
            c.status = "OK" if data else "EMPTY"
        return
    if c.kind == "range":
        data, err = prom_api(prom, "/api/v1/query_range",
                             {"query": c.expr, "start": now - RANGE_SECONDS, "end": now, "step": RANGE_STEP})
    else:
        data, err = prom_api(prom, "/api/v1/query", {"query": c.expr, "time": now})
    if err:
        c.status, c.note = "ERROR", err
        return
    c.result = data
    c.series, vals = count_result(data)
    if c.series == 0:
        c.status = "EMPTY"
        return
    c.status = "OK"
    if vals and all(v.lower() == "nan" for v in vals):
        c.note = "all values NaN"


def cmd_check(args):
    root = os.path.abspath(args.root)
    checks = []
    dashboards = {}
    for p in args.dashboards:
        try:
            dashboards[p] = load_dashboard(p)
        except (ValueError, OSError) as e:
            checks.append(Check(f"{rel(p, root)}: dashboard", "", error=f"cannot read: {e}"))
            continue
        checks += dashboard_checks(p, dashboards[p], root)
    for p in args.rules:
        checks += rule_checks(p, root)
    if not checks:
        die("nothing to check", 1)

    health = rule_health(args.prom)
    now = time.time()
    exempt = load_exemptions(args.exempt)
    used = set()
    failed = []
    for c in checks:
        run_check(args.prom, c, now)
        if c.rule and c.status != "ERROR":
            h, lerr = health.get(c.rule, ("missing", "not loaded by Prometheus"))
            if h != "ok":
                c.status, c.note = "ERROR", f"rule health {h}: {lerr or ''}".strip()
        status = c.status
        if status != "OK" and c.source in exempt:
            used.add(c.source)
            status, c.note = "EXEMPT", exempt[c.source]
        elif status != "OK":
            failed.append(c)
        series = str(c.series) if c.status in ("OK", "EMPTY") else "-"
        note = f"  ({c.note if len(c.note) <= 200 else c.note[:200] + ' …'})" if c.note else ""
        print(f"{status:<6} {series:>4}  {c.source}{note}")
        if status in ("EMPTY", "ERROR"):
            print(f"{'':13}expr: {' '.join(c.expr.split())}")
    for src in sorted(set(exempt) - used):
        print(f"note: exemption not needed, remove it from {rel(args.exempt, root)}: {src}")

    n = len(checks)
    print(f"promql-live: {n - len(failed)} of {n} expressions returned data, {len(failed)} failed")

    render_failed = False
    if args.render_dir:
        render_failed = not render_all(args, dashboards, checks, root)

    if args.expect_failures:
        return expect(args.expect_failures, failed, root)
    return 1 if failed or render_failed else 0


def expect(path, failed, root):
    """The self-test: the failing set must be exactly the `<status> <source>` lines of the file."""
    want = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                want.add(line)
    got = {f"{c.status} {c.source}" for c in failed}
    ok = want == got
    print()
    print(f"self-test: expected exactly the {len(want)} failures of the broken fixtures "
          f"({rel(path, root)}), got {len(got)}")
    for line in sorted(want & got):
        print(f"  caught      {line}")
    for line in sorted(want - got):
        print(f"  NOT CAUGHT  {line}")
    for line in sorted(got - want):
        print(f"  UNEXPECTED  {line}")
    if got - want:
        print("self-test: the unexpected failures are real boards or rules without data")
    print("self-test: " + ("passed" if ok else "FAILED"))
    return 0 if ok else 1


# --- rendering ----------------------------------------------------------------------------------

def key_panel(dash):
    """The first panel (board order) whose description contains "key panel"; without one, the
    first panel with a PromQL query (with a note)."""
    panels = [p for p in flat_panels(dash) if p.get("type") not in NO_QUERY_PANELS]
    for p in panels:
        if "key panel" in (p.get("description") or "").lower():
            return p, True
    for p in panels:
        if any("expr" in t for t in p.get("targets") or []):
            return p, False
    return None, False


def legend(fmt, metric):
    if fmt and fmt != "__auto":
        return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: metric.get(m.group(1), ""), fmt)
    labels = {k: v for k, v in metric.items() if k not in ("__name__", "job", "instance", "role")}
    if len(labels) == 1:
        return next(iter(labels.values()))
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items())) or metric.get("__name__", "value")


def render_all(args, dashboards, checks, root):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt  # noqa: F401
    except ImportError:
        die("python3-matplotlib is missing (apt-get install -y --no-install-recommends python3-matplotlib)")
    os.makedirs(args.render_dir, exist_ok=True)
    render_set = set(os.path.abspath(p) for p in (args.render or args.dashboards))
    ok = True
    for path, dash in dashboards.items():
        if os.path.abspath(path) not in render_set:
            continue
        panel, marked = key_panel(dash)
        name = rel(path, root)
        if panel is None:
            print(f"render: {name}: no panel with a query, no image")
            ok = False
            continue
        mine = [c for c in checks if c.graph and c.graph[1] is panel and c.status == "OK"]
        out = os.path.join(args.render_dir, os.path.splitext(os.path.basename(path))[0] + ".png")
        if not mine:
            print(f"render: {name}: key panel \"{panel.get('title')}\" has no data, no image")
            ok = False
            continue
        ptitle, _ = interpolate(panel.get("title", ""), mine[0].graph[3], "text")
        title = f"{dash.get('title', name)} — {ptitle}"
        unit = ((panel.get("fieldConfig") or {}).get("defaults") or {}).get("unit", "")
        how = draw(mine, title, unit, out)
        print(f"render: {rel(out, root)}  ({how}; key panel {'marked' if marked else 'not marked, first panel used'})")
    return ok


def target_names(panel):
    """Display names of a panel's queries from its `organize` transformation (`Value #A` -> `Goods`)."""
    names = {}
    for t in panel.get("transformations") or []:
        if t.get("id") == "organize":
            for field, name in ((t.get("options") or {}).get("renameByName") or {}).items():
                m = re.fullmatch(r"Value #(\w+)", field)
                if m:
                    names[m.group(1)] = name
    return names


def series_label(c, metric, drop=()):
    """A series' legend; where several queries of the panel give the same labels, the query's name."""
    fmt = c.graph[2].get("legendFormat")
    label = legend(None if not fmt or fmt == "__auto" else fmt, {k: x for k, x in metric.items() if k not in drop})
    name = target_names(c.graph[1]).get(c.graph[2].get("refId"))
    if name and len([t for t in c.graph[1].get("targets") or [] if t.get("expr")]) > 1:
        return name if label in ("value", "") or not label else f"{name} {label}"
    return label


def draw(checks, title, unit, out):
    import matplotlib.pyplot as plt
    ranges = [c for c in checks if c.kind == "range"]
    instants = [c for c in checks if c.kind == "instant"]
    fig, ax = plt.subplots(figsize=(10, 5.2), dpi=100)
    series = []  # (label, metric, values)
    has_period = any("period" in r.get("metric", {}) for c in instants
                     for r in (c.result or {}).get("result", []) if isinstance(r, dict))
    if has_period or not ranges:
        for c in instants:
            for r in c.result.get("result", []) if c.result.get("resultType") == "vector" else []:
                if has_period:  # one bar group per series
                    label = series_label(c, r["metric"], drop=("period",))
                else:
                    label = series_label(c, r["metric"])
                series.append((label, r["metric"], float(r["value"][1]), c))
        if has_period:
            how = "bar chart by period"
            groups = {}
            for label, metric, v, _ in series:
                groups.setdefault(label, {})[metric.get("period", "")] = v
            periods = sorted({p for g in groups.values() for p in g})
            names = list(groups)[:8]
            width = 0.8 / max(len(names), 1)
            for i, gname in enumerate(names):
                xs = [j + i * width - 0.4 + width / 2 for j in range(len(periods))]
                ax.bar(xs, [groups[gname].get(p, math.nan) for p in periods], width, label=gname)
            ax.set_xticks(range(len(periods)))
            ax.set_xticklabels(periods, rotation=45 if len(periods) > 8 else 0, ha="right" if len(periods) > 8 else "center")
            ax.set_xlabel("period")
            if len(groups) > len(names):
                ax.set_title(f"(first {len(names)} of {len(groups)} series)", fontsize=8, loc="right")
        else:
            how = "bar chart"
            queries = []  # one bar per query and category, grouped by category
            for c in instants:
                if c not in queries and any(x[3] is c for x in series):
                    queries.append(c)
            if len(queries) > 1:
                names = target_names(queries[0].graph[1])
                cats = sorted({legend(None, x[1]) for x in series})[:25]
                height = 0.8 / len(queries)
                for i, c in enumerate(queries):
                    vals = {legend(None, x[1]): x[2] for x in series if x[3] is c}
                    ax.barh([j + i * height - 0.4 + height / 2 for j in range(len(cats))],
                            [vals.get(k, math.nan) for k in cats], height,
                            label=names.get(c.graph[2].get("refId"), c.graph[2].get("refId")))
                ax.set_yticks(range(len(cats)))
                ax.set_yticklabels(cats)
            else:
                series = sorted(series, key=lambda s: s[0])[:25]
                ax.barh([s[0] for s in series], [s[2] for s in series])
            ax.invert_yaxis()
    else:
        how = "line chart"
        n = 0
        for c in ranges:
            for r in c.result.get("result", []):
                if n >= 10:
                    break
                xs = [datetime.datetime.fromtimestamp(float(t)) for t, _ in r["values"]]
                ys = [float(v) for _, v in r["values"]]
                ax.plot(xs, ys, label=legend(c.graph[2].get("legendFormat"), r["metric"]))
                n += 1
        ax.set_xlabel("time")
        fig.autofmt_xdate()
    if unit and unit not in ("none", "short"):
        (ax.set_xlabel if how == "bar chart" else ax.set_ylabel)(unit)
    fig.suptitle(title)
    if len(ax.get_legend_handles_labels()[0]) > 1:
        ax.legend(fontsize=7, loc="best")
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
    return how


# --- main ---------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)

    w = sub.add_parser("wait-service")
    w.add_argument("--url", required=True)
    w.add_argument("--pid", help="fail early when this process (the local stack) exits")
    w.add_argument("--timeout", type=int, default=240)
    w.add_argument("--settle", type=int, default=3, help="seconds without new series")

    c = sub.add_parser("config")
    c.add_argument("--base", required=True, help="deploy/prometheus/prometheus.yml")
    c.add_argument("--target", required=True, help="host:port of the service")
    c.add_argument("--interval", default="2s")
    c.add_argument("--rules", nargs="*", default=[], help="extra rule files")
    c.add_argument("--out", required=True)

    p = sub.add_parser("wait-prom")
    p.add_argument("--prom", required=True)
    p.add_argument("--pid")
    p.add_argument("--interval", type=float, default=2.0, help="evaluation interval in seconds")
    p.add_argument("--min-samples", type=int, default=6)
    p.add_argument("--timeout", type=int, default=180)

    k = sub.add_parser("check")
    k.add_argument("--prom", required=True)
    k.add_argument("--root", required=True, help="repository root (sources are printed relative to it)")
    k.add_argument("--dashboards", nargs="*", default=[])
    k.add_argument("--rules", nargs="*", default=[])
    k.add_argument("--exempt")
    k.add_argument("--render-dir")
    k.add_argument("--render", nargs="*", help="dashboards to render (default: all)")
    k.add_argument("--expect-failures", help="self-test: the exact set of failures expected")

    args = ap.parse_args()
    return {"wait-service": cmd_wait_service, "config": cmd_config, "wait-prom": cmd_wait_prom,
            "check": cmd_check}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
