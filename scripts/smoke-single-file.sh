#!/usr/bin/env bash
# Smoke run of the single file (dist/conduitctl.mjs) copied alone into an empty folder, under the
# Node binary given as $1, against the sandbox: `status` and `scale --dry-run`. Fails on a non-zero
# exit and on any warning Node or a library prints to stderr. Usage: smoke-single-file.sh NODE
set -euo pipefail
cd "$(dirname "$0")/.."
node_bin=${1:?usage: smoke-single-file.sh NODE}
work=$(mktemp -d)
state="$work/sandbox"
alone="$work/alone"
mkdir -p "$alone"
cp dist/conduitctl.mjs "$alone/"
cleanup() {
  node bin/conduitctl sandbox down --state-dir "$state" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

node bin/conduitctl sandbox up --state-dir "$state" --pod-cidr 127.46.200.0/24 --service-cidr 127.46.201.0/24 >/dev/null
kubeconfig="$state/kubeconfig"
[ -f "$kubeconfig" ] || { echo "smoke: no kubeconfig at $kubeconfig" >&2; exit 1; }

check() {
  local name=$1; shift
  local out="$work/$name.out" err="$work/$name.err"
  (cd "$alone" && "$node_bin" conduitctl.mjs "$@" >"$out" 2>"$err") || { echo "smoke: $name exited $?" >&2; cat "$err" >&2; exit 1; }
  if grep -Eq '\(node:[0-9]+\)|Warning:|DEP0[0-9]{3}' "$err"; then
    echo "smoke: $name printed a warning on stderr:" >&2; cat "$err" >&2; exit 1
  fi
  node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$out" || { echo "smoke: $name did not print JSON" >&2; exit 1; }
  echo "smoke: $name ok on node $("$node_bin" --version) ($(wc -c <"$alone/conduitctl.mjs") bytes, alone in $alone)"
}
check status status sts/conduit --kubeconfig "$kubeconfig" -o json
check scale-dry-run scale sts/conduit --replicas 2 --dry-run --kubeconfig "$kubeconfig" -o json
