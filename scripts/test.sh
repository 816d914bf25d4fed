#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs every
# test (unit + integration) through CTest. Integration tests start real
# daemons on loopback and need root. Then the same suites under ASan+UBSan
# and TSan (scripts/sanitizers.sh), then the Debian 13 stage (scripts/debian13.sh:
# a fresh trixie root, the build and the unit and Postfix/Dovecot tests inside it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
# Formatting first: it fails in seconds (clang-format-14, .clang-format; scripts/check_format.sh --fix mends).
scripts/check_format.sh
scripts/build.sh
# Two tests at a time: most integration tests wait on daemons and timers; the few that measure time, CPU
# or memory are RUN_SERIAL (tests/CMakeLists.txt), so they run alone.
(cd build && ctest --output-on-failure --timeout 900 -j2 "$@")
# The MAILPATH_WITH_JOURNALD=OFF variant must keep compiling: the exporter binary only, -O0 (CMakePresets.json; 1m43s wall on the busy shared 2 cores).
cmake --preset nojournald >/dev/null; cmake --build --preset nojournald -j"$(nproc)"
if [ $# -eq 0 ]; then
  scripts/sanitizers.sh
  scripts/debian13.sh
else
  echo "test: sanitizer and Debian 13 stages skipped: a ctest filter was given ($*); run without arguments for the full run"
fi
