#!/usr/bin/env bash
# One command for every benchmark row of docs/benchmarks.md (run as root on a Debian 12 machine):
#   sudo bench/run_all.sh
# Installs what it needs (build and test packages, the peers prometheus-postfix-exporter and mtail,
# GNU time), builds the release preset, runs the log-ingest, showq and sock_diag benchmarks and writes
# docs/benchmarks.md. Environment knobs: LOG_LINES (default 1000000), LOG_RUNS (3), LOG_FORMAT
# (rfc3339: the targets are judged on it), LOG_EXTRA_FORMATS ("rfc3164 postlog": same comparison on the
# other envelopes, not judged), SHOWQ_MESSAGES (10000), TCP_SIZES (10000,50000: 20k and 100k sockets), SKIP="showq tcp http" to leave
# benchmarks out (their sections then say so), BENCH_OUT=DIR to keep the raw outputs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if [ "$(id -u)" -ne 0 ]; then
  echo "run_all: run as root (it installs packages, starts a private Postfix and uses network namespaces)" >&2
  exit 1
fi

LOG_LINES=${LOG_LINES:-1000000}
LOG_RUNS=${LOG_RUNS:-3}
LOG_FORMAT=${LOG_FORMAT:-rfc3339}
LOG_EXTRA_FORMATS=${LOG_EXTRA_FORMATS-rfc3164 postlog}
SHOWQ_MESSAGES=${SHOWQ_MESSAGES:-10000}
TCP_SIZES=${TCP_SIZES:-10000,50000}
SKIP=${SKIP:-}

apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  for _ in 1 2 3 4 5 6; do  # the dpkg lock may be busy
    if DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; then return 0; fi
    apt-get update -q || true
    sleep 10
  done
  echo "run_all: could not install ${missing[*]}" >&2
  exit 1
}

scripts/setup.sh test
apt_install prometheus-postfix-exporter mtail time grep curl iproute2 procps
scripts/build.sh

if [ -n "${BENCH_OUT:-}" ]; then  # keep the raw outputs (JSON, tables, bench logs) there
  out=$BENCH_OUT
  mkdir -p "$out"
else
  out=$(mktemp -d /tmp/mailpath-bench-XXXXXX)
  trap 'rm -rf "$out"' EXIT
fi

echo "== log ingest ($LOG_LINES lines, $LOG_FORMAT, $LOG_RUNS runs)" >&2
# Exit 1 means our counts differed from the generator's ground truth: keep going, the doc says so.
python3 bench/logs/run_bench.py --lines "$LOG_LINES" --runs "$LOG_RUNS" --format "$LOG_FORMAT" \
  --exporter build/mailpath_exporter --json "$out/logs.json" --markdown "$out/logs.md" || true
for fmt in $LOG_EXTRA_FORMATS; do
  echo "== log ingest ($LOG_LINES lines, $fmt, $LOG_RUNS runs; tail mode only on $LOG_FORMAT)" >&2
  python3 bench/logs/run_bench.py --lines "$LOG_LINES" --runs "$LOG_RUNS" --format "$fmt" \
    --tools ours,kumina,mtail,grep --no-cardinality --exporter build/mailpath_exporter \
    --json "$out/logs-$fmt.json" --markdown "$out/logs-$fmt.md" || true
done

if [[ " $SKIP " != *" showq "* ]]; then
  echo "== showq ($SHOWQ_MESSAGES held messages)" >&2
  python3 bench/showq/run_bench.py --exporter build/mailpath_exporter --messages "$SHOWQ_MESSAGES" \
    > "$out/showq.txt" 2>&1 || echo "showq bench failed (exit $?)" >> "$out/showq.txt"
fi
if [[ " $SKIP " != *" tcp "* ]]; then
  echo "== sock_diag ($TCP_SIZES connections)" >&2
  python3 bench/tcp/run_bench.py --exporter build/mailpath_exporter --sizes "$TCP_SIZES" \
    > "$out/tcp.txt" 2>&1 || echo "tcp bench failed (exit $?)" >> "$out/tcp.txt"
fi

if [[ " $SKIP " != *" http "* ]]; then
  echo "== HTTP: idle footprint and scrape latency (ours vs prometheus-postfix-exporter)" >&2
  apt_install wrk
  python3 bench/http/run_bench.py --exporter build/mailpath_exporter > "$out/http.txt" 2>&1 ||
    echo "http bench failed (exit $?)" >> "$out/http.txt"
fi

python3 bench/write_doc.py --dir "$out" --showq-messages "$SHOWQ_MESSAGES" --output docs/benchmarks.md
echo "wrote $root/docs/benchmarks.md" >&2
