#!/usr/bin/env bash
# The Debian 13 stage of the README's test command (root): a fresh trixie root (scripts/trixie_root.sh),
# this checkout read-only at /src inside it, installed with scripts/setup.sh integration, copied to
# /root/mailpath_exporter and built there into /build, then, there, the unit tests and every integration
# test that starts Postfix or Dovecot, against trixie's own Postfix 3.10 and Dovecot 2.4, and the TLS
# endpoint tests (OpenSSL 3.5, civetweb 1.16). The root is removed afterwards unless
# MAILPATH_KEEP_TRIXIE_ROOT=1. An argument replaces the test selection (a ctest -R regex).
set -euo pipefail
cd "$(dirname "$0")/.."
# Unit tests (gtest names start with a capital), the integration tests that start Postfix or Dovecot, and
# the web endpoint's TLS (civetweb 1.16 with OpenSSL 3.5 through the shim).
select=${1:-'^([A-Z][A-Za-z0-9_]*\.|integration\.test_(postfix_logs|postfix_families|dovecot_logs|showq|journal_source|dashboards|package|demo|web_config)$)'}
root=$(mktemp -d "${TMPDIR:-/var/tmp}/mailpath-trixie.XXXXXX")
rmdir "$root"
cleanup() {
  if [ "${MAILPATH_KEEP_TRIXIE_ROOT:-0}" = 1 ]; then
    echo "debian13: root kept in $root (scripts/trixie_root.sh remove $root)"
  else
    scripts/trixie_root.sh remove "$root"
  fi
}
trap cleanup EXIT
t0=$SECONDS
scripts/trixie_root.sh create "$root" integration
t1=$SECONDS
scripts/trixie_root.sh run "$root" /usr/bin/env bash -euo pipefail -c '
  . /etc/os-release
  echo "debian13: inside $PRETTY_NAME: $(postconf -d mail_version 2>/dev/null), dovecot $(dovecot --version), $(openssl version)"
  # A copy to build and test from: some tests write into the source tree (test_dashboards regenerates
  # the JSON to compare), and /src is the host checkout, read-only.
  mkdir -p /root/mailpath_exporter
  tar -C /src --exclude=./build --exclude="./build-*" -cf - . | tar -C /root/mailpath_exporter -xf -
  cmake -S /root/mailpath_exporter -B /build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMAILPATH_BUILD_TESTS=ON >/dev/null
  cmake --build /build -j"$(nproc)" >/dev/null
'
t2=$SECONDS
status=0
scripts/trixie_root.sh run "$root" ctest --test-dir /build --output-on-failure --no-tests=error --timeout 900 -j2 -R "$select" ||
  status=$?
t3=$SECONDS
echo "debian13: root + packages $((t1 - t0)) s, build $((t2 - t1)) s, tests $((t3 - t2)) s"
exit $status
