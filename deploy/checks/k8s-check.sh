#!/usr/bin/env bash
# Checks the Kubernetes manifests of k8s/ and every YAML file of the repository with real tools:
#   kubectl kustomize        renders k8s/base, k8s/overlays/dev and k8s/overlays/prod
#   schemas                  every rendered object against its schema (deploy/checks/k8s/validate.mjs):
#                            Kubernetes kinds (npm kubernetes-models), ServiceMonitor and PrometheusRule
#                            (npm @kubernetes-models/prometheus-operator), KafkaTopic and KafkaUser (the
#                            openAPIV3Schema of Strimzi's CRDs, generated from Strimzi's io.strimzi:api model with
#                            its CRD generator)
#   PrometheusRule in sync   k8s/base/prometheusrule.yaml carries the groups of deploy/prometheus/rules/*.rules.yml
#   yamllint -c .yamllint    every YAML file of the repository
# Runs every check, prints each result, exits 1 if any failed (2 if a tool is missing).
# Tools: kubectl (Debian: apt-get install kubernetes-client; any kubectl with `kustomize` does), yamllint
# (apt-get install yamllint), Node.js with npm (the npm project deploy/checks/k8s, installed with `npm ci`
# when its node_modules is missing), Java 17 and the Maven wrapper (Strimzi's jars, once). Missing Debian
# packages are installed when run as root.
#
# Usage: deploy/checks/k8s-check.sh              the checks above
#        deploy/checks/k8s-check.sh --self-test  also proves they catch breakage: the broken manifests of
#                                                deploy/checks/testdata/k8s-broken fail with each problem of
#                                                its expected-problems.txt, and a PrometheusRule that lost a
#                                                group is reported out of date
set -uo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd -- "$ROOT" || exit 2
NPM_DIR=deploy/checks/k8s
WORK="$NPM_DIR/target"
SELF_TEST=false
case "${1:-}" in
  "") ;;
  --self-test) SELF_TEST=true ;;
  *) echo "usage: deploy/checks/k8s-check.sh [--self-test]" >&2; exit 2 ;;
esac

apt_install() { # apt_install COMMAND PACKAGE: installs the Debian package when COMMAND is missing and we are root
  command -v "$1" >/dev/null 2>&1 && return 0
  if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "k8s-check: installing $2 (Debian package)"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends "$2"; } >/dev/null
  fi
  command -v "$1" >/dev/null 2>&1 || { echo "k8s-check: $1 not found (apt-get install $2)" >&2; exit 2; }
}
apt_install kubectl kubernetes-client
apt_install yamllint yamllint
for tool in node npm java; do
  command -v "$tool" >/dev/null 2>&1 || { echo "k8s-check: $tool not found" >&2; exit 2; }
done
echo "k8s-check: kubectl $(kubectl version --client 2>/dev/null | grep -o 'v[0-9][0-9.]*' | head -n 1), $(yamllint --version), node $(node --version)"

mkdir -p "$WORK/rendered"
if [[ ! -d "$NPM_DIR/node_modules" || "$NPM_DIR/package-lock.json" -nt "$NPM_DIR/node_modules/.package-lock.json" ]]; then
  echo "k8s-check: npm ci in $NPM_DIR"
  (cd "$NPM_DIR" && npm ci --no-audit --no-fund --loglevel=error) || { echo "k8s-check: npm ci failed" >&2; exit 2; }
fi

# Strimzi's KafkaTopic and KafkaUser CRDs, generated once per Strimzi version from its model classes (the api jar
# ships no CRD).
STRIMZI_POM="$NPM_DIR/strimzi/pom.xml"
STRIMZI_VERSION=$(sed -n 's:.*<strimzi.version>\(.*\)</strimzi.version>.*:\1:p' "$STRIMZI_POM")
CRD="$WORK/kafkatopic-crd-$STRIMZI_VERSION.yaml"
USER_CRD="$WORK/kafkauser-crd-$STRIMZI_VERSION.yaml"
if [[ ! -s "$CRD" || ! -s "$USER_CRD" ]]; then
  echo "k8s-check: generating the KafkaTopic and KafkaUser CRDs of Strimzi $STRIMZI_VERSION"
  ./mvnw -q -B -f "$STRIMZI_POM" dependency:build-classpath -Dmdep.outputFile="$ROOT/$WORK/strimzi.classpath" \
    && java -cp "$(cat "$WORK/strimzi.classpath")" io.strimzi.crdgenerator.CrdGenerator \
         --crd-api-version v1 --api-versions v1beta2 --storage-version v1beta2 --target-kube 1.16+ \
         --yaml "io.strimzi.api.kafka.model.topic.KafkaTopic=$CRD.tmp" \
         "io.strimzi.api.kafka.model.user.KafkaUser=$USER_CRD.tmp" 2> >(grep -v '^SLF4J' >&2) \
    && mv "$CRD.tmp" "$CRD" && mv "$USER_CRD.tmp" "$USER_CRD" \
    || { echo "k8s-check: cannot generate the Strimzi CRDs" >&2; exit 2; }
fi

failed=()
step() { # step NAME COMMAND...: runs the command, shows its output and time, records the result
  local name="$1"; shift
  local start=$SECONDS
  echo
  echo "=== $name"
  if "$@" 2>&1; then
    echo "--- ok: $name ($((SECONDS - start)) s)"
  else
    echo "--- FAILED: $name ($((SECONDS - start)) s)"
    failed+=("$name")
  fi
}

render() { # render DIR OUT: kubectl kustomize, without the deprecation notes newer kustomize prints for the
           # v2.0.3 syntax (bases, patchesStrategicMerge) that Debian's kubectl needs
  kubectl kustomize "$1" >"$2" 2> >(grep -v "^# Warning: '\(bases\|patchesStrategicMerge\)' is deprecated" >&2)
}

render_all() {
  local target out
  for target in k8s/base k8s/overlays/dev k8s/overlays/prod; do
    out="$WORK/rendered/$(basename "$target").yaml"
    render "$target" "$out" || { echo "cannot render $target"; return 1; }
    echo "$target -> $out ($(grep -c '^kind:' "$out") objects)"
  done
}

validate_all() {
  node "$NPM_DIR/validate.mjs" --crd "$CRD" --crd "$USER_CRD" "$WORK"/rendered/{base,dev,prod}.yaml
}

self_test_manifests() {
  local fixture=deploy/checks/testdata/k8s-broken out expected missing=0
  render "$fixture" "$WORK/rendered/broken.yaml" || { echo "cannot render $fixture"; return 1; }
  if out=$(node "$NPM_DIR/validate.mjs" --crd "$CRD" --crd "$USER_CRD" "$WORK/rendered/broken.yaml"); then
    echo "the broken manifests passed validation"
    return 1
  fi
  while IFS= read -r expected; do
    [[ -z "$expected" ]] && continue
    grep -qF -- "$expected" <<<"$out" || { echo "not reported: $expected"; missing=1; }
  done <"$fixture/expected-problems.txt"
  (( missing == 0 )) || { echo "$out"; return 1; }
  echo "the broken manifests fail with all $(grep -c . "$fixture/expected-problems.txt") expected problems"
}

self_test_rule_sync() {
  local tmp rc
  tmp=$(mktemp -d)
  mkdir -p "$tmp/deploy/prometheus" "$tmp/k8s/base"
  cp -r deploy/prometheus/rules "$tmp/deploy/prometheus/"
  # drop the last group of the PrometheusRule
  awk '/^    - name: /{last=NR} {line[NR]=$0} END {for (i = 1; i < last; i++) print line[i]}' \
    k8s/base/prometheusrule.yaml >"$tmp/k8s/base/prometheusrule.yaml"
  (cd "$tmp" && node "$ROOT/$NPM_DIR/prometheus-rule.mjs" --check)
  rc=$?
  rm -rf "$tmp"
  if (( rc == 0 )); then
    echo "a PrometheusRule that lost a group was not reported"
    return 1
  fi
  echo "a PrometheusRule that lost a group is reported out of date"
}

step "kubectl kustomize (base, dev, prod)" render_all
step "schemas of the rendered objects" validate_all
step "PrometheusRule in sync with deploy/prometheus/rules" node "$NPM_DIR/prometheus-rule.mjs" --check
step "yamllint -c .yamllint (every YAML file)" yamllint -c .yamllint .
if $SELF_TEST; then
  step "self-test: broken manifests are rejected" self_test_manifests
  step "self-test: a PrometheusRule out of sync is reported" self_test_rule_sync
fi

echo
if (( ${#failed[@]} )); then
  echo "k8s-check: FAILED: ${failed[*]}"
  exit 1
fi
echo "k8s-check: all passed (k8s/base, k8s/overlays/dev, k8s/overlays/prod$($SELF_TEST && echo '; self-test'))"
