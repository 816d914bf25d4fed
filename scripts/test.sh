#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs every
# test (unit + integration) through CTest. Integration tests start real
# daemons on loopback and need root.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
scripts/build.sh
cd build
ctest --output-on-failure --timeout 900 "$@"
