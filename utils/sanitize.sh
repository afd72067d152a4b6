#!/usr/bin/env bash
#===- utils/sanitize.sh - build Kiln with ASan + UBSan and run the suite ---===#
#
# Part of the Kiln project.
#
# Usage: utils/sanitize.sh [LIT_ARGS...]
#
# Configures build-asan (or $KILN_ASAN_BUILD_DIR) with
# -DKILN_SANITIZE=address,undefined: every Kiln target, C and C++, compiled
# with -fsanitize=address,undefined -fno-sanitize-recover=all, including the
# runtime archives that kilnc links into executables (the model code that
# kilnc generates is not instrumented; the executables it links get the
# sanitizer runtimes through a clang-19 wrapper on PATH, see below). Builds
# everything, then runs
# `ninja check-kiln` with leak detection on and UBSan fatal. Tests that
# cannot work under ASan say `UNSUPPORTED: asan` (test/lit.cfg.py). Prints
# the build and test times. $KILN_JOBS (default 2) is ninja's -j; LIT_ARGS
# go to lit through LIT_OPTS (e.g. --filter=Runtime). docs/Reliability.md.
#
#===----------------------------------------------------------------------===#
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${KILN_ASAN_BUILD_DIR:-$ROOT/build-asan}"
JOBS="${KILN_JOBS:-2}"

if ! grep -qs '^KILN_SANITIZE:STRING=address,undefined$' "$BUILD/CMakeCache.txt"; then
  bash "$ROOT/utils/configure.sh" "$BUILD" -DKILN_SANITIZE=address,undefined
fi

start=$(date +%s)
ninja -C "$BUILD" -j"$JOBS"
built=$(date +%s)

# kilnc links executables with `clang-19` from PATH and the runtime archives,
# which are instrumented here: this clang-19 adds the sanitizer runtimes to
# every link (and compile) it runs. (lib/Target/Link.cpp could instead append
# KILN_SANITIZE_FLAGS, the compile definition of sanitized builds.)
WRAP="$BUILD/sanitize-bin"
mkdir -p "$WRAP"
cat > "$WRAP/clang-19" <<WRAPPER
#!/bin/sh
exec "$(command -v clang-19)" "\$@" -fsanitize=address,undefined
WRAPPER
chmod +x "$WRAP/clang-19"
export PATH="$WRAP:$PATH"

# detect_leaks: LeakSanitizer at every exit. The suppressions file lists the
# leaks that are not Kiln's (see its comments).
export ASAN_OPTIONS="detect_leaks=1:check_initialization_order=1:strict_init_order=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$ROOT/utils/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
if [ $# -gt 0 ]; then
  export LIT_OPTS="${LIT_OPTS:+$LIT_OPTS }$*"
fi
set +e
ninja -C "$BUILD" -j"$JOBS" check-kiln
status=$?
set -e
done_at=$(date +%s)
echo "sanitize: build $((built - start))s, check-kiln $((done_at - built))s, exit status $status"
exit "$status"
