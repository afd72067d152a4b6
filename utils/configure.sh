#!/usr/bin/env bash
#===- utils/configure.sh - configure a Kiln build with the standard flags -===#
#
# Part of the Kiln project.
#
# Usage: utils/configure.sh BUILD_DIR [CMAKE_ARGS...]
#
# Runs CMake for a Release build in BUILD_DIR with Debian's LLVM/MLIR 19,
# clang-19 and lld-19 (docs/GettingStarted.md), plus CMAKE_ARGS (e.g.
# -DKILN_SANITIZE=address,undefined). utils/setup.sh, utils/sanitize.sh and
# utils/fuzz.sh configure their build directories through it.
#
#===----------------------------------------------------------------------===#
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 BUILD_DIR [CMAKE_ARGS...]" >&2
  exit 2
fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$1"
shift
exec cmake -G Ninja -S "$ROOT" -B "$BUILD" \
  -DCMAKE_BUILD_TYPE=Release \
  -DMLIR_DIR=/usr/lib/llvm-19/lib/cmake/mlir \
  -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
  -DLLVM_USE_LINKER=lld-19 \
  -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-19/build/utils/lit/lit.py \
  "$@"
