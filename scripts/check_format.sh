#!/usr/bin/env bash
# Checks that the C++ sources (src include tests bench) are formatted as .clang-format says, with
# Debian 12's clang-format 14 (package clang-format-14, in `scripts/setup.sh test`): another version
# formats some constructs differently, so the check pins the one CI runs on.
#   scripts/check_format.sh         list every file that differs and fail (exit 1)
#   scripts/check_format.sh --fix   rewrite those files in place
set -euo pipefail
cd "$(dirname "$0")/.."

CLANG_FORMAT=${CLANG_FORMAT:-clang-format-14}
if ! command -v "$CLANG_FORMAT" >/dev/null; then
  echo "check_format: $CLANG_FORMAT not found; install it with scripts/setup.sh test (Debian 12's clang-format-14)" >&2
  exit 2
fi
case "${1:-}" in
  "") mode=(--dry-run -Werror) ;;
  --fix) mode=(-i) ;;
  *) echo "usage: $0 [--fix]" >&2; exit 2 ;;
esac

# Tracked and new (not ignored) files only: nothing from build trees.
mapfile -d '' files < <(git ls-files -z --cached --others --exclude-standard -- \
  'src/*.cc' 'src/*.h' 'include/*.h' 'tests/*.cc' 'tests/*.h' 'bench/*.cc' 'bench/*.h')
if [ ${#files[@]} -eq 0 ]; then
  echo "check_format: no C++ files found" >&2
  exit 2
fi
if [ "${mode[0]}" = -i ]; then
  "$CLANG_FORMAT" --style=file -i "${files[@]}"
  echo "check_format: ${#files[@]} files formatted"
  exit 0
fi
report=$(mktemp)
trap 'rm -f "$report"' EXIT
if "$CLANG_FORMAT" --style=file "${mode[@]}" "${files[@]}" 2>"$report"; then
  echo "check_format: ${#files[@]} files checked, all formatted as .clang-format says"
  exit 0
fi
# The first places in full, then how many per file.
head -n 30 "$report" >&2
grep -o '^[^:]*:[0-9]*:[0-9]*: error' "$report" | cut -d: -f1 | uniq -c | sort -rn >&2
echo "check_format: the files above differ from .clang-format ($CLANG_FORMAT); run scripts/check_format.sh --fix" >&2
exit 1
