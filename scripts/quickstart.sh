#!/usr/bin/env bash
# One command from a fresh clone to a running server on port 5001: installs npm packages,
# builds the embedded FerretDB with Go, compiles, and starts with the offline AI. No .env needed.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1 || { echo "error: $1 is required ($2)" >&2; exit 1; }; }
need node "Node.js 20 or newer"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || { echo "error: Node.js >= 20.19 is required (found $(node -v))" >&2; exit 1; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

if [ -z "${MONGODB_URI:-}" ] && [ ! -x .bin/ferretdb ]; then
  if command -v go >/dev/null 2>&1; then
    SKIP_LIVEKIT=1 bash scripts/build-tools.sh
  elif ! command -v mongod >/dev/null 2>&1; then
    echo "No database available. Set MONGODB_URI, install Go (to build the embedded FerretDB)," >&2
    echo "or run: docker compose up" >&2
    exit 1
  else
    export EMBEDDED_DB=mongod
  fi
fi

npm run build
exec node dist/index.js
