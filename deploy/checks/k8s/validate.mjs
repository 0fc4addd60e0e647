// Validates Kubernetes manifests (multi-document YAML files, e.g. `kubectl kustomize` output) against their
// schemas: Kubernetes kinds with kubernetes-models, Prometheus Operator kinds with
// @kubernetes-models/prometheus-operator, Strimzi's KafkaTopic and KafkaUser with the openAPIV3Schema of Strimzi's
// CRDs (ajv),
// where a field the CRD does not declare is an error (the API server would silently prune it). Also: every
// object has a valid name, no object is there twice, every container names an image, every KafkaTopic and
// KafkaUser names its Kafka cluster. A kind with no schema here is an error.
//
// Usage: node validate.mjs --crd KAFKATOPIC_CRD.yaml [--crd KAFKAUSER_CRD.yaml ...] FILE...
// Prints one line per problem and a summary per file; exits 1 when any file has a problem.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import Ajv from "ajv";

const args = process.argv.slice(2);
const crdFiles = [];
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--crd" && i + 1 < args.length) {
    crdFiles.push(args[++i]);
  } else {
    files.push(args[i]);
  }
}
if (crdFiles.length === 0 || files.length === 0) {
  console.error("usage: node validate.mjs --crd CRD.yaml [--crd CRD.yaml ...] FILE...");
  process.exit(2);
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function readYaml(file) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  const problems = docs.flatMap((d) => d.errors.map((e) => e.message));
  return { objects: docs.map((d) => d.toJS()).filter((o) => o != null), problems };
}

// Structural schemas prune unknown fields; here they are errors, so a misspelt field is caught.
function closeObjects(schema) {
  if (Array.isArray(schema)) {
    schema.forEach(closeObjects);
  } else if (schema && typeof schema === "object") {
    if (schema.properties && schema.additionalProperties === undefined
        && !schema["x-kubernetes-preserve-unknown-fields"]) {
      schema.additionalProperties = false;
    }
    Object.values(schema).forEach(closeObjects);
  }
  return schema;
}

function crdValidators(crdFiles) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validators = new Map();
  for (const file of crdFiles) {
    const crds = readYaml(file).objects.filter((o) => o.kind === "CustomResourceDefinition");
    if (crds.length === 0) {
      throw new Error(`no CustomResourceDefinition in ${file}`);
    }
    for (const crd of crds) {
      for (const version of crd.spec.versions) {
        const key = `${crd.spec.group}/${version.name} ${crd.spec.names.kind}`;
        validators.set(key, ajv.compile(closeObjects(structuredClone(version.schema.openAPIV3Schema))));
      }
    }
  }
  return validators;
}

const customResources = crdValidators(crdFiles);

async function modelClass(apiVersion, kind) {
  const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
  const module = group === "monitoring.coreos.com"
    ? `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`
    : `kubernetes-models/${apiVersion}/${kind}`;
  try {
    return (await import(module))[kind];
  } catch {
    return undefined;
  }
}

function errorText(errors) {
  return (errors || []).map((e) => {
    const where = e.instancePath || "/";
    const extra = e.keyword === "additionalProperties" ? ` (${e.params.additionalProperty})` : "";
    return `${where} ${e.message}${extra}`;
  });
}

async function problemsOf(object) {
  const problems = [];
  const { apiVersion, kind } = object;
  const name = object.metadata?.name;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    return ["no apiVersion or kind"];
  }
  if (typeof name !== "string" || name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    problems.push(`metadata.name ${JSON.stringify(name)} is not a valid name`);
  }
  const custom = customResources.get(`${apiVersion} ${kind}`);
  if (custom) {
    if (!custom(object)) {
      problems.push(...errorText(custom.errors));
    }
  } else {
    const Model = await modelClass(apiVersion, kind);
    if (!Model) {
      return [...problems, `no schema for ${apiVersion} ${kind}`];
    }
    try {
      new Model(object).validate();
    } catch (e) {
      problems.push(...(e.errors ? errorText(e.errors) : [e.message]));
    }
  }
  const pod = object.spec?.template?.spec ?? (kind === "Pod" ? object.spec : undefined);
  for (const container of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) {
    if (!container.image) {
      problems.push(`container ${container.name} names no image`);
    }
  }
  if (kind === "KafkaTopic" && !object.metadata?.labels?.["strimzi.io/cluster"]) {
    problems.push("no strimzi.io/cluster label: no Topic Operator would manage it");
  }
  if (kind === "KafkaUser" && !object.metadata?.labels?.["strimzi.io/cluster"]) {
    problems.push("no strimzi.io/cluster label: no User Operator would manage it");
  }
  return problems;
}

let failed = false;
for (const file of files) {
  const { objects, problems: parseProblems } = readYaml(file);
  const lines = parseProblems.map((p) => `YAML: ${p}`);
  const seen = new Set();
  const kinds = new Map();
  for (const object of objects) {
    const id = `${object.kind}/${object.metadata?.namespace ?? ""}/${object.metadata?.name}`;
    const label = `${object.kind}/${object.metadata?.name}`;
    if (seen.has(id)) {
      lines.push(`${label}: defined twice`);
    }
    seen.add(id);
    kinds.set(object.kind, (kinds.get(object.kind) ?? 0) + 1);
    for (const problem of await problemsOf(object)) {
      lines.push(`${label}: ${problem}`);
    }
  }
  if (objects.length === 0) {
    lines.push("no objects");
  }
  for (const line of lines) {
    console.log(`k8s-check: ${file}: ${line}`);
  }
  if (lines.length) {
    failed = true;
    console.log(`k8s-check: ${file}: INVALID (${lines.length} problem(s))`);
  } else {
    const summary = [...kinds].map(([k, n]) => `${n} ${k}`).join(", ");
    console.log(`k8s-check: ${file}: ${objects.length} objects valid (${summary})`);
  }
}
process.exit(failed ? 1 : 0);
