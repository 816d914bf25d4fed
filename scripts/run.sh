#!/usr/bin/env bash
# The README's run command: installs what is missing, builds, and runs the
# exporter on this host (listening on :10154 unless flags say otherwise).
# Extra arguments go to mailpath_exporter.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
scripts/build.sh >/dev/null
exec build/mailpath_exporter "$@"
