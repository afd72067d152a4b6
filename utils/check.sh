#!/usr/bin/env bash
#===- utils/check.sh - build and run the whole test suite -----------------===#
#
# Part of the Kiln project.
#
# Builds Kiln (configuring it if needed) and runs `check-kiln`: every lit test
# and every GoogleTest binary. Prints a closing `N passed, M failed` line and
# exits non-zero when any test fails.
#
#===----------------------------------------------------------------------===#
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${KILN_BUILD_DIR:-$ROOT/build}"

bash "$ROOT/utils/setup.sh" --build || exit 1

LOG="$BUILD/check-kiln.log"
ninja -C "$BUILD" check-kiln 2>&1 | tee "$LOG"
status=${PIPESTATUS[0]}

count() { grep -E "^\s*$1: +[0-9]+" "$LOG" | awk '{s += $2} END {print s + 0}'; }
passed=$(( $(count Passed) + $(count "Expectedly Failed") ))
failed=$(( $(count Failed) + $(count "Unexpectedly Passed") + $(count Unresolved) + $(count "Timed Out") ))
skipped=$(( $(count Unsupported) + $(count Skipped) ))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the build or lit itself failed
fi
echo "check-kiln: $passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
