#!/usr/bin/env bash
# CTest: scan the demo export and every check fixture to SARIF and validate each against the
# SARIF 2.1.0 schema. Skips (77) when node or the test-only packages are absent.
set -euo pipefail
bin="$1"; src="$2"
command -v node >/dev/null || { echo "sarif: node absent; skipping"; exit 77; }
[ -d "$src/tests/sarif/node_modules" ] || { echo "sarif: run npm ci --prefix tests/sarif; skipping"; exit 77; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
n=0
for exp in "$src"/fixtures/demo/export "$src"/fixtures/checks/*/*/export; do
  n=$((n + 1))
  set +e
  (cd "$(dirname "$exp")" && "$bin" scan export --format sarif --output "$out/$n.sarif")
  status=$?
  set -e
  [ "$status" -le 1 ] || { echo "sarif: scan of $exp exited $status"; exit 1; }
done
node "$src/tests/sarif/validate.js" "$out"/*.sarif > "$out/log" || { cat "$out/log"; exit 1; }
echo "sarif: $n reports valid"
