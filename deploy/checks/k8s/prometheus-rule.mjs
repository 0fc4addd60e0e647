// Keeps k8s/base/prometheusrule.yaml (a Prometheus Operator PrometheusRule) carrying exactly the rule groups of
// deploy/prometheus/rules/*.rules.yml, the rules that promtool tests.
//
// Usage (from the repository root): node deploy/checks/k8s/prometheus-rule.mjs --check   fails when they differ
//                                   node deploy/checks/k8s/prometheus-rule.mjs --write   regenerates the file
import { readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { parse, parseAllDocuments, stringify } from "yaml";

const RULES_DIR = "deploy/prometheus/rules";
const TARGET = "k8s/base/prometheusrule.yaml";

const ruleFiles = readdirSync(RULES_DIR).filter((f) => f.endsWith(".rules.yml")).sort();
const groups = ruleFiles.flatMap((f) => parse(readFileSync(`${RULES_DIR}/${f}`, "utf8")).groups ?? []);

const resource = {
  apiVersion: "monitoring.coreos.com/v1",
  kind: "PrometheusRule",
  metadata: {
    name: "dtm",
    labels: { "app.kubernetes.io/name": "dtm", "app.kubernetes.io/part-of": "dtm" },
  },
  spec: { groups },
};

const header = [
  "# GENERATED from deploy/prometheus/rules/*.rules.yml by deploy/checks/k8s/prometheus-rule.mjs --write:",
  "# do not edit here. deploy/checks/k8s-check.sh fails when the two differ.",
  `# Sources: ${ruleFiles.join(", ")}`,
  "",
].join("\n");

const mode = process.argv[2];
if (mode === "--write") {
  writeFileSync(TARGET, header + stringify(resource, { lineWidth: 0 }));
  console.log(`prometheus-rule: wrote ${TARGET} (${groups.length} groups from ${ruleFiles.length} files)`);
} else if (mode === "--check") {
  const current = existsSync(TARGET)
    ? parseAllDocuments(readFileSync(TARGET, "utf8")).map((d) => d.toJS()).find((o) => o?.kind === "PrometheusRule")
    : undefined;
  const names = (gs) => (gs ?? []).map((g) => g.name).join(", ");
  if (!current || !isDeepStrictEqual(current.spec?.groups, groups)) {
    console.log(`prometheus-rule: ${TARGET} is out of date with ${RULES_DIR}/*.rules.yml `
      + `(it has groups [${names(current?.spec?.groups)}], the rule files [${names(groups)}]): `
      + "run node deploy/checks/k8s/prometheus-rule.mjs --write");
    process.exit(1);
  }
  console.log(`prometheus-rule: ${TARGET} carries the ${groups.length} groups of ${ruleFiles.join(", ")}`);
} else {
  console.error("usage: node deploy/checks/k8s/prometheus-rule.mjs --check|--write");
  process.exit(2);
}
