// Checks the Grafana dashboards in ../dashboards:
//  1. JSON Schema validation with ajv, against schemas generated (ts-json-schema-generator) from the TypeScript
//     types of @grafana/schema: the dashboard model, and each panel plugin's options and custom field config
//     (closed: a property the types do not name is an error, so misspelt keys fail);
//  2. what a schema cannot say: every panel and target uses the ${datasource} variable, which exists; every
//     target has a PromQL expr that names only known variables; every variable has a current value; the boards
//     link to each other; uids and panel ids are unique.
// Usage: node check.mjs [--self-test]   (--self-test: the broken fixture in testdata/ must fail, the boards pass)
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import { createGenerator } from "ts-json-schema-generator";

const HERE = dirname(fileURLToPath(import.meta.url));
const BOARDS_DIR = join(HERE, "..", "dashboards");
const FIXTURE = join(HERE, "testdata", "broken-dashboard.json");
const DATASOURCE = { type: "prometheus", uid: "${datasource}" };
const BUILT_INS = new Set(["__rate_interval", "__interval", "__interval_ms", "__range", "__range_s", "__range_ms"]);
// The schemas allow no property the types do not name (so that a misspelt key fails), except these, which
// Grafana itself writes into dashboard JSON without a type for them.
const UNTYPED_GRAFANA_KEYS = new Set(["definition", "__inputs", "__requires", "__elements", "repeatPanelId"]);
const GENERATOR_CONFIG = {
  skipTypeCheck: true,
  additionalProperties: false,
  expose: "export",
  topRef: true,
  jsDoc: "none",
};

// Panel plugin → the names of its option and custom field-config types in schema-types.ts.
const PANEL_TYPES = {
  barchart: { options: "BarchartOptions", custom: "BarchartFieldConfig" },
  bargauge: { options: "BargaugeOptions" },
  stat: { options: "StatOptions" },
  table: { options: "TableOptions", custom: "TableFieldConfig" },
  text: { options: "TextOptions" },
  timeseries: { options: "TimeseriesOptions", custom: "TimeseriesFieldConfig" },
};

function packageVersion(name) {
  return JSON.parse(readFileSync(join(HERE, "node_modules", name, "package.json"), "utf8")).version;
}

/** The JSON Schemas, generated from @grafana/schema (cached in node_modules, keyed by the inputs). */
function schemas() {
  const typeNames = ["DashboardModel", ...new Set(Object.values(PANEL_TYPES).flatMap((t) => Object.values(t)))];
  const key = createHash("sha256")
    .update(packageVersion("@grafana/schema"))
    .update(packageVersion("ts-json-schema-generator"))
    .update(readFileSync(join(HERE, "schema-types.ts")))
    .update(typeNames.join(","))
    .update(JSON.stringify(GENERATOR_CONFIG))
    .digest("hex")
    .slice(0, 16);
  const cacheDir = join(HERE, "node_modules", ".cache", "dtm-grafana-check");
  const cache = join(cacheDir, `schemas-${key}.json`);
  if (existsSync(cache)) {
    return JSON.parse(readFileSync(cache, "utf8"));
  }
  const generator = createGenerator({
    path: join(HERE, "schema-types.ts"),
    tsconfig: join(HERE, "tsconfig.json"),
    ...GENERATOR_CONFIG,
  });
  const generated = Object.fromEntries(typeNames.map((name) => [name, generator.createSchema(name)]));
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cache, JSON.stringify(generated));
  return generated;
}

function compile(generated) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validators = Object.fromEntries(Object.entries(generated).map(([name, schema]) => [name, ajv.compile(schema)]));
  // The model lists panels as Panel | RowPanel; each panel is validated against the one it is meant to be (a row
  // or not), so that its errors are not mixed with those of the other branch.
  for (const name of ["Panel", "RowPanel"]) {
    validators[name] = ajv.compile({ ...generated.DashboardModel, $ref: `#/definitions/${name}` });
  }
  return validators;
}

function schemaErrors(validate, value, where) {
  if (validate(value)) {
    return [];
  }
  const errors = validate.errors.filter(
    (e) => e.keyword !== "additionalProperties" || !UNTYPED_GRAFANA_KEYS.has(e.params.additionalProperty),
  );
  return errors.map((e) => {
    const extra =
      e.params && e.params.allowedValues
        ? ` (${e.params.allowedValues.join(", ")})`
        : e.keyword === "additionalProperties"
          ? `: "${e.params.additionalProperty}"`
          : "";
    return `schema: ${where}${e.instancePath || ""} ${e.message}${extra}`;
  });
}

/** Panels including those nested in collapsed rows, each with its JSON path. */
function allPanels(board) {
  const out = [];
  (board.panels || []).forEach((panel, i) => {
    out.push([panel, `/panels/${i}`]);
    (panel.panels || []).forEach((inner, j) => out.push([inner, `/panels/${i}/panels/${j}`]));
  });
  return out;
}

function sameDatasource(ref) {
  return ref && typeof ref === "object" && ref.type === DATASOURCE.type && ref.uid === DATASOURCE.uid;
}

/** Everything about one board; `others` are the other boards of the set, to which it must link. */
function checkBoard(board, validators, others) {
  if (!board || typeof board !== "object" || Array.isArray(board)) {
    return ["not a dashboard: the file holds no JSON object"];
  }
  const problems = schemaErrors(validators.DashboardModel, board, "").filter(
    (p) => !/^schema: \/panels\/\d+[ /]/.test(p),
  );
  (Array.isArray(board.panels) ? board.panels : []).forEach((panel, i) => {
    const validate = panel && panel.type === "row" ? validators.RowPanel : validators.Panel;
    problems.push(...schemaErrors(validate, panel, `/panels/${i}`));
  });
  const variables = (board.templating && board.templating.list) || [];
  const names = new Set(variables.map((v) => v.name));
  const dsVar = variables.find((v) => v.name === "datasource");
  if (!dsVar || dsVar.type !== "datasource" || dsVar.query !== "prometheus") {
    problems.push('templating: no variable "datasource" of type datasource with query prometheus');
  }
  variables.forEach((v, i) => {
    const value = v.current && v.current.value;
    if (v.type !== "datasource" && (value === undefined || value === "" || (Array.isArray(value) && !value.length))) {
      problems.push(`/templating/list/${i}: variable ${v.name} has no current value`);
    }
    if (v.type === "query" && !sameDatasource(v.datasource)) {
      problems.push(`/templating/list/${i}: variable ${v.name} does not query \${datasource}`);
    }
  });
  if (!Array.isArray(board.tags) || !board.tags.includes("dtm")) {
    problems.push('tags: missing "dtm"');
  }
  const ids = new Map();
  let queries = 0;
  for (const [panel, path] of allPanels(board)) {
    if (ids.has(panel.id)) {
      problems.push(`${path}: panel id ${panel.id} also used at ${ids.get(panel.id)}`);
    }
    ids.set(panel.id, path);
    if (panel.type === "row") {
      continue;
    }
    const kind = PANEL_TYPES[panel.type];
    if (!kind) {
      problems.push(`${path}: panel type "${panel.type}" has no schema here (use ${Object.keys(PANEL_TYPES).join(", ")})`);
    } else {
      problems.push(...schemaErrors(validators[kind.options], panel.options, `${path}/options`));
      const custom = panel.fieldConfig && panel.fieldConfig.defaults && panel.fieldConfig.defaults.custom;
      if (kind.custom && custom !== undefined) {
        problems.push(...schemaErrors(validators[kind.custom], custom, `${path}/fieldConfig/defaults/custom`));
      }
    }
    if (!sameDatasource(panel.datasource)) {
      problems.push(`${path}: hard-coded datasource ${JSON.stringify(panel.datasource)}; use ${JSON.stringify(DATASOURCE)}`);
    }
    const targets = panel.targets || [];
    if (panel.type !== "text" && !targets.length) {
      problems.push(`${path}: panel "${panel.title}" has no query`);
    }
    targets.forEach((target, t) => {
      const where = `${path}/targets/${t}`;
      queries += 1;
      if (!sameDatasource(target.datasource)) {
        problems.push(`${where}: hard-coded datasource ${JSON.stringify(target.datasource)}; use ${JSON.stringify(DATASOURCE)}`);
      }
      if (typeof target.expr !== "string" || !target.expr.trim()) {
        problems.push(`${where}: no PromQL expr`);
        return;
      }
      for (const m of target.expr.matchAll(/\$\{?(\w+)/g)) {
        if (!names.has(m[1]) && !BUILT_INS.has(m[1])) {
          problems.push(`${where}: expr uses an unknown variable $${m[1]}`);
        }
      }
    });
  }
  const links = board.links || [];
  for (const other of others) {
    const linked = links.some(
      (l) =>
        (l.type === "link" && typeof l.url === "string" && new RegExp(`/d/${other.uid}(/|\\?|$)`).test(l.url)) ||
        (l.type === "dashboards" && (l.tags || []).length > 0 && l.tags.every((tag) => (other.tags || []).includes(tag))),
    );
    if (!linked) {
      problems.push(`links: no link to the board ${other.uid} ("${other.title}")`);
    }
  }
  board.__summary = `${ids.size} panels, ${queries} queries`;
  return problems;
}

/** Checks the given files as one set; prints one line per board (and its problems); returns the failures. */
function checkSet(files, validators, { quiet = false } = {}) {
  const boards = files.map((file) => {
    try {
      return { file, board: JSON.parse(readFileSync(file, "utf8")) };
    } catch (e) {
      return { file, board: null, parseError: e.message };
    }
  });
  const uids = new Map();
  const results = [];
  for (const { file, board, parseError } of boards) {
    let problems;
    if (parseError) {
      problems = [`not JSON: ${parseError}`];
    } else {
      const others = boards.filter((b) => b.board && b.board !== board).map((b) => b.board);
      problems = checkBoard(board, validators, others);
      if (uids.has(board.uid)) {
        problems.push(`uid ${board.uid} also used by ${basename(uids.get(board.uid))}`);
      }
      uids.set(board.uid, file);
    }
    results.push({ file, board, problems });
    if (!quiet) {
      const what = board ? `${board.title} (uid ${board.uid}): ${board.__summary || ""}` : "";
      console.log(`${problems.length ? "FAIL" : "ok  "}  ${basename(file).padEnd(22)} ${what}`);
      problems.forEach((p) => console.log(`        - ${p}`));
    }
  }
  return results;
}

function boardFiles() {
  return readdirSync(BOARDS_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => join(BOARDS_DIR, f));
}

// What the broken fixture must be caught for: [description, pattern matched against its problems].
const EXPECTED_IN_FIXTURE = [
  ["wrong type: schemaVersion as a string", /^schema: \/schemaVersion must be number/],
  ["wrong type: gridPos.w as a string", /^schema: \/panels\/\d+\/gridPos\/w must be number/],
  ["invalid bar chart option", /^schema: \/panels\/\d+\/options\/orientation must be equal to one of the allowed values/],
  ["misspelt panel key", /^schema: \/panels\/\d+ must NOT have additional properties: "descripton"/],
  ["hard-coded panel datasource", /^\/panels\/\d+: hard-coded datasource/],
  ["hard-coded target datasource", /^\/panels\/\d+\/targets\/\d+: hard-coded datasource/],
  ["target without expr", /^\/panels\/\d+\/targets\/\d+: no PromQL expr/],
  ["unknown variable in an expr", /expr uses an unknown variable \$region/],
  ["no datasource variable", /^templating: no variable "datasource"/],
  ["no links to the other boards", /^links: no link to the board dtm-/],
  ["duplicate uid", /^uid dtm-overview also used by/],
];

function main() {
  const selfTest = process.argv.includes("--self-test");
  const started = Date.now();
  let validators;
  try {
    validators = compile(schemas());
  } catch (e) {
    console.error(`grafana check: cannot build the schemas from @grafana/schema: ${e.message}`);
    process.exit(2);
  }
  const files = boardFiles();
  if (!files.length) {
    console.error(`grafana check: no dashboards in ${BOARDS_DIR}`);
    process.exit(1);
  }
  const failed = checkSet(files, validators).filter((r) => r.problems.length);
  const version = packageVersion("@grafana/schema");
  if (!selfTest) {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (failed.length) {
      console.log(`grafana check: ${failed.length} of ${files.length} boards FAILED (@grafana/schema ${version})`);
      process.exit(1);
    }
    console.log(`grafana check: ${files.length} boards passed (@grafana/schema ${version}, ${seconds} s)`);
    return;
  }
  // The fixture is checked together with the real boards, so that the link and uid checks have something to
  // miss and to collide with.
  const fixture = checkSet([...files, FIXTURE], validators, { quiet: true }).find((r) => r.file === FIXTURE);
  let passed = 0;
  let failures = 0;
  const report = (ok, what) => {
    console.log(`${ok ? "ok  " : "FAIL"}  self-test: ${what}`);
    ok ? (passed += 1) : (failures += 1);
  };
  report(failed.length === 0, `the ${files.length} boards pass`);
  for (const [what, pattern] of EXPECTED_IN_FIXTURE) {
    report(fixture.problems.some((p) => pattern.test(p)), `broken fixture rejected for ${what}`);
  }
  console.log(`what the check reports for ${basename(FIXTURE)}:`);
  fixture.problems.forEach((p) => console.log(`        - ${p}`));
  console.log(`grafana check self-test: ${passed} passed, ${failures} failed`);
  process.exit(failures ? 1 : 0);
}

main();
