#!/usr/bin/env bash
#===- utils/fuzz.sh - run one of Kiln's libFuzzer harnesses ----------------===#
#
# Part of the Kiln project.
#
# Usage: utils/fuzz.sh HARNESS SECONDS [LIBFUZZER_ARGS...]
#   HARNESS: idx, csv, npy, checkpoint, compile or onnx (tools/kiln-fuzz/;
#   onnx needs the ONNX importer, i.e. libonnx-dev).
#
# Configures and builds the fuzz build (build-fuzz, or $KILN_FUZZ_BUILD_DIR;
# -DKILN_BUILD_FUZZERS=ON: everything under ASan + UBSan + libFuzzer
# coverage) if needed, then runs fuzz-HARNESS for SECONDS on a scratch copy
# of tools/kiln-fuzz/corpus/HARNESS (the seeds in the tree stay untouched),
# with -rss_limit_mb=2048 -timeout=10 -max_len=65536 (onnx: 262144) and
# the dictionary tools/kiln-fuzz/HARNESS.dict if there is one (compile,
# onnx). Prints the executions per second, the total executions and the
# crash/leak/timeout/OOM files found; exits 1 if there are any.
# $KILN_FUZZ_JOBS (default 2) is ninja's -j; KILN_FUZZ_NO_BUILD=1 skips
# configuring and building.
# The scratch directory (corpus, log, findings) is kept and printed.
# docs/Reliability.md explains the harnesses and what to do with a crash.
#
#===----------------------------------------------------------------------===#
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${KILN_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"

usage() {
  echo "usage: utils/fuzz.sh idx|csv|npy|checkpoint|compile|onnx SECONDS [LIBFUZZER_ARGS...]" >&2
  exit 2
}
[ $# -ge 2 ] || usage
HARNESS="$1"
DURATION="$2"
shift 2
case "$HARNESS" in
  idx|csv|npy|checkpoint|compile|onnx) ;;
  *) usage ;;
esac
[[ "$DURATION" =~ ^[0-9]+$ ]] || usage

if [ -n "${KILN_FUZZ_NO_BUILD:-}" ]; then
  : # Use the fuzz-HARNESS already built.
elif ! grep -qs '^KILN_BUILD_FUZZERS:BOOL=ON' "$BUILD/CMakeCache.txt"; then
  bash "$ROOT/utils/configure.sh" "$BUILD" -DKILN_BUILD_FUZZERS=ON
fi
if [ -z "${KILN_FUZZ_NO_BUILD:-}" ]; then
  ninja -C "$BUILD" -j"${KILN_FUZZ_JOBS:-2}" "fuzz-$HARNESS"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/kiln-fuzz-$HARNESS.XXXXXX")"
mkdir -p "$WORK/corpus" "$WORK/findings"
cp "$ROOT/tools/kiln-fuzz/corpus/$HARNESS/"* "$WORK/corpus/"
EXTRA=()
if [ -f "$ROOT/tools/kiln-fuzz/$HARNESS.dict" ]; then
  EXTRA+=("-dict=$ROOT/tools/kiln-fuzz/$HARNESS.dict")
fi

# The harnesses' own input caps: 256 KiB for onnx, 64 KiB for the others.
MAX_LEN=65536
if [ "$HARNESS" = onnx ]; then
  MAX_LEN=262144
fi

echo "fuzz: running fuzz-$HARNESS for ${DURATION}s in $WORK"
set +e
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}" \
UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
  "$BUILD/bin/fuzz-$HARNESS" \
  -max_total_time="$DURATION" -rss_limit_mb=2048 -timeout=10 \
  -max_len="$MAX_LEN" -print_final_stats=1 \
  -artifact_prefix="$WORK/findings/" ${EXTRA[@]+"${EXTRA[@]}"} "$@" \
  "$WORK/corpus" > "$WORK/fuzz.log" 2>&1
STATUS=$?
set -e

RUNS="$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/fuzz.log" | tail -1)"
RATE="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$WORK/fuzz.log" | tail -1)"
if [ -z "$RUNS" ]; then
  # -fork mode prints no final stats: use the last status line, "#N: ...".
  LAST="$(grep -E '^#[0-9]+:' "$WORK/fuzz.log" | tail -1 || true)"
  RUNS="$(printf '%s' "$LAST" | sed -n 's/^#\([0-9]*\):.*/\1/p')"
  TIME="$(printf '%s' "$LAST" | sed -n 's/.* time: \([0-9]*\)s.*/\1/p')"
  if [ -n "$RUNS" ] && [ -n "$TIME" ] && [ "$TIME" -gt 0 ]; then
    RATE=$((RUNS / TIME))
  fi
fi
echo "fuzz: fuzz-$HARNESS: ${RUNS:-?} executions, ${RATE:-?} exec/s, exit status $STATUS"
echo "fuzz: corpus grew to $(ls "$WORK/corpus" | wc -l) inputs; log: $WORK/fuzz.log"
FOUND="$(ls "$WORK/findings")"
if [ -n "$FOUND" ]; then
  echo "fuzz: findings:"
  for f in $FOUND; do echo "  $WORK/findings/$f"; done
  grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|KILN_FUZZ_CHECK' \
    "$WORK/fuzz.log" || true
  exit 1
fi
if [ "$STATUS" -ne 0 ]; then
  echo "fuzz: fuzz-$HARNESS exited with status $STATUS; see $WORK/fuzz.log"
  exit 1
fi
echo "fuzz: no findings"
