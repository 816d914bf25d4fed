#!/usr/bin/env bash
# The live demo (root, loopback only): `deploy/demo/demo.sh start` installs what is missing, builds,
# starts a sandboxed Postfix and Dovecot, the exporter, Prometheus with the shipped alert rules (their
# `for:` shortened to 20 s) and Alertmanager, drives realistic trouble, and prints what to open and which
# alerts fire. `deploy/demo/demo.sh stop` removes everything it started. Nothing outside one temp dir
# and the loopback ports 19154 (exporter), 19090 (Prometheus), 19093 (Alertmanager) is touched.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
state_link=/run/mailpath-demo
exporter=${MAILPATH_EXPORTER:-$root/build/mailpath_exporter}

query() {  # query PROMQL -> prints "labels value" lines from Prometheus' API
  curl -fsS --get "http://127.0.0.1:19090/api/v1/query" --data-urlencode "query=$1" |
    python3 -c 'import json,sys; [print(r["metric"], r["value"][1]) for r in json.load(sys.stdin)["data"]["result"]]'
}

case "${1:-}" in
  start)
    if [ -e "$state_link/pid" ] && kill -0 "$(cat "$state_link/pid")" 2>/dev/null; then
      echo "demo: already running (deploy/demo/demo.sh stop first)"; exit 1
    fi
    if [ -z "${MAILPATH_EXPORTER:-}" ]; then
      scripts/setup.sh test
      scripts/build.sh >/dev/null
    fi
    state=$(mktemp -d /tmp/mailpath-demo.XXXXXX)
    chmod 755 "$state"
    mkdir -p "$(dirname "$state_link")" && rm -rf "$state_link" && ln -s "$state" "$state_link"
    setsid python3 deploy/demo/demo.py "$exporter" "$state" "$state/ready" >"$state/demo.log" 2>&1 </dev/null &
    echo $! >"$state/pid"
    for _ in $(seq 120); do [ -e "$state/ready" ] && break; sleep 0.5; done
    [ -e "$state/ready" ] || { echo "demo: did not start; see $state/demo.log"; tail -20 "$state/demo.log"; exit 1; }
    cat <<MSG
demo: running (sandbox in $state)
  exporter      http://127.0.0.1:19154/metrics
  Prometheus    http://127.0.0.1:19090/alerts   (rules: alerts/*.yml, for: 20 s in the demo)
  Alertmanager  http://127.0.0.1:19093
  Grafana: import dashboards/*.json with a Prometheus data source at http://127.0.0.1:19090
  $(tr '\n' ' ' <"$state/ready")
demo: waiting for Prometheus to scrape every collector and for alerts to fire (up to 4 minutes) ...
MSG
    for _ in $(seq 48); do
      sleep 5
      firing=$(query 'ALERTS{alertstate="firing"}' 2>/dev/null | wc -l) || firing=0
      [ "$firing" -ge 1 ] && break
    done
    echo "collectors (mailpath_exporter_collector_success):"
    query 'mailpath_exporter_collector_success' | sed 's/^/  /'
    echo "alerts firing:"
    query 'ALERTS{alertstate="firing"}' | sed 's/^/  /'
    echo "demo: stop it with: deploy/demo/demo.sh stop"
    ;;
  stop)
    [ -e "$state_link/pid" ] || { echo "demo: not running"; exit 0; }
    state=$(readlink -f "$state_link")
    pid=$(cat "$state/pid")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
    left=$(pgrep -f "$state" || true)
    [ -z "$left" ] || { echo "demo: killing leftovers: $left"; kill -KILL $left 2>/dev/null || true; }
    rm -rf "$state" "$state_link"
    echo "demo: stopped, nothing left running"
    ;;
  *)
    echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
