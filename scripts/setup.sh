#!/usr/bin/env bash
# Installs the Debian packages a profile needs, only those missing. The same names
# on Debian 12 (bookworm) and Debian 13 (trixie).
#   scripts/setup.sh build        compiler, CMake and the libraries
#   scripts/setup.sh integration  build + what the unit and integration tests run against
#                                 (promtool, Postfix, Dovecot, systemd tools, ...)
#   scripts/setup.sh test         integration + the sanitizer, fuzz and benchmark tools
#                                 (clang, its runtime libraries, wrk)
set -euo pipefail

profile=${1:-build}
build_pkgs=(build-essential cmake pkg-config git prometheus-cpp-dev libcivetweb-dev
  nlohmann-json3-dev libutfcpp-dev libmnl-dev libsystemd-dev zlib1g-dev libgtest-dev libgmock-dev
  libbenchmark-dev libssl-dev libcrypt-dev)
test_pkgs=(python3 iproute2 nftables openssl ca-certificates python3-pytest python3-yaml logrotate systemd-journal-remote curl prometheus postfix dovecot-imapd dovecot-pop3d dovecot-lmtpd time)
# libclang-rt-dev is the runtime of the distribution's default clang (14 on Debian 12, 19 on 13).
# clang-format-14 is Debian 12's: scripts/check_format.sh pins it, because other versions format
# some constructs differently (the test profile runs on the Debian 12 host; Debian 13 has no -14).
tool_pkgs=(clang libclang-rt-dev wrk clang-format-14)

# python3 writes the man page at build time; the package test needs systemd-analyze,
# man, adduser and file (cpack's dpkg-shlibdeps step), the deploy/ config test amtool; the
# TLS tests expect curl to fail verification against a real CA store (ca-certificates).
build_pkgs+=(python3)
test_pkgs+=(systemd man-db adduser file prometheus-alertmanager)

case "$profile" in
  build) want=("${build_pkgs[@]}") ;;
  integration) want=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
  test) want=("${build_pkgs[@]}" "${test_pkgs[@]}" "${tool_pkgs[@]}") ;;
  *) echo "usage: $0 build|integration|test" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing packages: ${missing[*]}; run as root or install them" >&2
  exit 1
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Postfix from the package must not configure itself as a system mailer: the
# tests run their own private instances.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
