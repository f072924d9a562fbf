#!/usr/bin/env bash
# Builds the Go tools the project runs (FerretDB, livekit-server) into .bin/ from the pinned
# go.mod files under tools/. Safe to run again: existing binaries are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .bin
if [ ! -x .bin/ferretdb ]; then
  echo "building FerretDB (tools/ferretdb)..."
  (cd tools/ferretdb && go build -o ../../.bin/ferretdb .)
fi
if [ "${SKIP_LIVEKIT:-}" != "1" ] && [ ! -x .bin/livekit-server ]; then
  echo "building livekit-server (tools/livekit)..."
  (cd tools/livekit && go build -o ../../.bin/livekit-server github.com/livekit/livekit-server/cmd/server)
fi
