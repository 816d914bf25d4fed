#!/usr/bin/env bash
# The sanitizer stage of the README's test command: every unit and integration
# test again against an ASan+UBSan build, and the unit tests plus the HTTP and
# collector concurrency tests against a ThreadSanitizer build. Any report
# fails the run (the integration harness also fails on a report printed at the
# exporter's exit).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
jobs=$(nproc)
export MAILPATH_TIMEOUT_SCALE=3  # waits for events, not assertions on speed
export MAILPATH_WRK_SECONDS=2
export MAILPATH_MEMORY_SCALE=3   # shadow memory and redzones: bounds on RSS, not on growth

# ASan keeps up to 256 MB of freed memory in quarantine by default, so the RSS of a process under load
# keeps climbing until that fills; 16 MB lets the "RSS stays flat under wrk" test see the exporter's own
# allocations while still catching a use after free of recently freed memory.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=1:quarantine_size_mb=16"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
cmake --preset asan >/dev/null
cmake --build --preset asan -j"$jobs" >/dev/null
# Left out here: tests of deployment artifacts and of Prometheus-side files (the package, the unit, the
# deploy/ configs, the demo, alert rules, dashboards, docs) and the benchmark smoke run; they exercise
# no exporter code that the tests kept here do not, and the release-build run covers them.
skip='^(fuzz\.|integration\.test_(package|systemd_unit|deploy_configs|demo|alert_rules|dashboards|docs_match_code|bench_smoke|blackhole_alert)$)'
echo "sanitizers: ASan+UBSan: unit and integration tests (exporter-side)"
ctest --test-dir build-asan --output-on-failure --timeout 900 -j2 -E "$skip"

export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$root/tests/sanitizers/tsan.supp"
cmake --preset tsan >/dev/null
cmake --build --preset tsan -j"$jobs" >/dev/null
# HTTP starvation and scrape deadlines are here for the worker accounting, the one-bcrypt-at-a-time lock,
# the shutdown flag read by scrapes in flight and the drain before civetweb stops (issue 17); the cert
# probe for its own thread beside Collect (issue 20).
echo "sanitizers: TSan: unit tests and the concurrency-heavy integration tests"
ctest --test-dir build-tsan --output-on-failure --timeout 900 -j2 \
  -R '^(integration\.test_(http_endpoint|http_starvation|scrape_deadline|log_pipeline|showq|tcp_collector|journal_source|cardinality|cert_probe)|[A-Z].*)$'
