#!/usr/bin/env bash
# Builds every libFuzzer target (preset "fuzz": clang, ASan+UBSan) and runs
# each for a bounded time (default 10 s) seeded from its fixtures. A crash,
# leak or sanitizer report fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j"$(nproc)" >/dev/null
artifacts=build-fuzz/fuzz-artifacts
mkdir -p "$artifacts"
shopt -s nullglob
ran=0
for src in tests/fuzz/*_fuzz.cc; do
  name=$(basename "$src" .cc)
  corpus=$(mktemp -d)
  seed_dirs=$(awk -v t="$name" '$1 == t {$1 = ""; print}' tests/fuzz/seeds.txt)
  for seed_dir in $seed_dirs; do
    [ -d "tests/fixtures/$seed_dir" ] || { echo "fuzz: seed folder tests/fixtures/$seed_dir is missing"; exit 1; }
    find "tests/fixtures/$seed_dir" -type f ! -name README -exec cp --backup=numbered {} "$corpus"/ \;
  done
  echo "fuzz: $name for ${seconds}s (seeds:${seed_dirs:- none})"
  "build-fuzz/tests/fuzz/$name" -max_total_time="$seconds" -rss_limit_mb=1024 \
    -artifact_prefix="$artifacts/$name-" -print_final_stats=0 "$corpus" >"$artifacts/$name.log" 2>&1 || {
    echo "fuzz: $name FAILED, see $artifacts/$name.log"; tail -40 "$artifacts/$name.log"; rm -rf "$corpus"; exit 1; }
  rm -rf "$corpus"
  ran=$((ran + 1))
done
echo "fuzz: $ran targets ran without a crash"
