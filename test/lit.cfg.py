# -*- Python -*-
# Lit configuration of Kiln's regression tests (FileCheck, -verify-diagnostics
# and end-to-end runs). GoogleTest binaries run from test/Unit.

import os

import lit.formats
from lit.llvm import llvm_config

config.name = "KILN"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py",
                   "Unit"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.kiln_obj_root, "test")

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tools = ["kiln-opt", "kilnc", "kiln-interp", "kiln-npy", "kiln-gradcheck",
         "kiln-bench", "kiln-import-onnx", "kiln-onnx-conformance",
         "mlir-translate", "llc"]
llvm_config.add_tool_substitutions(
    tools, [config.kiln_tools_dir, config.llvm_tools_dir])

config.substitutions.append(("%kiln_src", config.kiln_src_root))
config.substitutions.append(("%kiln_bin", config.kiln_tools_dir))
config.substitutions.append(("%cc", config.host_cc))
# Debian's python3 (with NumPy), not the interpreter running lit.
config.substitutions.insert(0, ("%python", "/usr/bin/python3"))

# The MNIST digits (utils/fetch_mnist.py, run by utils/setup.sh). Tests that
# train on them say `REQUIRES: mnist` and read them from %mnist.
mnist_dir = os.path.join(config.kiln_src_root, "data", "mnist")
if os.path.exists(os.path.join(mnist_dir, "train-images-idx3-ubyte")):
    config.available_features.add("mnist")
config.substitutions.append(("%mnist", mnist_dir))

# Sanitizer builds (-DKILN_SANITIZE=address,undefined, utils/sanitize.sh, or
# -DKILN_BUILD_FUZZERS=ON): features `asan` and `ubsan`. Tests that cannot
# work under ASan say `UNSUPPORTED: asan` (docs/Reliability.md lists them).
def _kiln_sanitizers():
    try:
        with open(os.path.join(config.kiln_obj_root, "CMakeCache.txt")) as f:
            cache = f.read().splitlines()
    except OSError:
        return ""
    for line in cache:
        if line.startswith("KILN_BUILD_FUZZERS:") and line.endswith("=ON"):
            return "address,undefined"
    for line in cache:
        if line.startswith("KILN_SANITIZE:"):
            return line.split("=", 1)[1]
    return ""


for _sanitizer, _feature in (("address", "asan"), ("undefined", "ubsan")):
    if _sanitizer in _kiln_sanitizers().split(","):
        config.available_features.add(_feature)
# Instrumented code runs several times slower: scripts that bound a command's
# time to catch hangs (utils/kiln-diff-test.py) allow 10 times as long.
if "asan" in config.available_features:
    llvm_config.with_environment("KILN_TEST_TIMEOUT_SCALE", "10")
# utils/sanitize.sh's clang-19 wrapper, which adds the sanitizer runtimes to
# the executables kilnc links, goes before LLVM's clang-19 on PATH.
_wrapper_dir = os.path.join(config.kiln_obj_root, "sanitize-bin")
if "asan" in config.available_features and os.path.isdir(_wrapper_dir):
    llvm_config.with_environment("PATH", _wrapper_dir, append_path=True)
