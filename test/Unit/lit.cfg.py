# -*- Python -*-
# Runs every GoogleTest binary (named *Tests) under test/Unit as lit tests, so
# that `check-kiln` runs them together with the FileCheck suite.

import os

import lit.formats

config.name = "KILN-Unit"
config.suffixes = []
config.test_exec_root = os.path.join(config.kiln_obj_root, "test", "Unit")
config.test_source_root = config.test_exec_root
config.test_format = lit.formats.GoogleTest(".", "Tests")

# The MNIST digits that utils/setup.sh fetches, for the loader test that
# reads the real files (it is skipped when they are absent).
mnist = os.path.join(config.kiln_src_root, "data", "mnist")
if os.path.isdir(mnist):
    config.environment["KILN_MNIST_DIR"] = mnist
