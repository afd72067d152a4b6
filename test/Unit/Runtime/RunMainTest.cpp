//===- RunMainTest.cpp - Tests of kiln_run_main() -------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Calls kiln_run_main() in-process, as `kilnc --run` does, with modules
// written here: the program and usage names it is given, and the errors that
// only a malformed module can produce (AOTMainTest covers the options
// through a real executable).
//
//===----------------------------------------------------------------------===//

#include "RuntimeTestUtil.h"

using namespace kiln_test;

namespace {

/// A rank-1 memref descriptor.
struct Desc1 {
  void *allocated, *aligned;
  int64_t offset, sizes[1], strides[1];
};

/// `double`: output 0 = 2 * x, for x f32 3.
void doubleEntry(void **args) {
  auto *x = static_cast<Desc1 *>(args[0]), *y = static_cast<Desc1 *>(args[1]);
  for (int64_t i = 0; i < x->sizes[0]; ++i)
    static_cast<float *>(y->aligned)[i] =
        2 * static_cast<float *>(x->aligned)[i];
}

const char kSignature[] = "kiln-abi 1\n"
                          "entry double\n"
                          "input x f32 3\n"
                          "output 0 f32 3\n";
const kiln_entry_t kTable[] = {{"double", doubleEntry}, {nullptr, nullptr}};

/// What one kiln_run_main() call returned and printed.
struct RunResult {
  int rc;
  std::string out, err;
};

class RunMainTest : public ::testing::Test {
protected:
  /// Calls kiln_run_main() with \p args after argv[0] = \p argv0.
  RunResult run(std::vector<std::string> args, const char *progName = "kilnc",
                const char *usage = nullptr, const char *signature = kSignature,
                const kiln_entry_t *table = kTable,
                const char *argv0 = "/some/dir/model-prog") {
    std::vector<char *> argv = {const_cast<char *>(argv0)};
    for (std::string &a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    testing::internal::CaptureStdout();
    testing::internal::CaptureStderr();
    RunResult r;
    r.rc = kiln_run_main(static_cast<int>(argv.size() - 1), argv.data(),
                         progName, usage, signature, table);
    r.err = testing::internal::GetCapturedStderr();
    r.out = testing::internal::GetCapturedStdout();
    return r;
  }

  /// Expects \p r to be exactly one error line "\p prog: error: \p message".
  static void expectError(const RunResult &r, const std::string &prog,
                          const std::string &message) {
    EXPECT_EQ(r.rc, 1);
    EXPECT_EQ(r.err, prog + ": error: " + message + "\n");
  }

  TempDir dir;
};

TEST_F(RunMainTest, RunsAnEntryInProcess) {
  kiln_tensor_t x = makeTensor(KILN_F32, {3});
  for (int i = 0; i < 3; ++i)
    static_cast<float *>(x.data)[i] = static_cast<float>(i + 1);
  char err[256];
  ASSERT_EQ(kiln_npy_write(dir.file("x.npy").c_str(), &x, err, sizeof(err)),
            KILN_OK)
      << err;
  kiln_tensor_free(&x);

  RunResult r = run({dir.file("x.npy")});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, "output 0: 3 f32\n[2., 4., 6.]\n");

  r = run({"--entry=double", "-o", dir.file("y.npy"), dir.file("x.npy")});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "");
  kiln_tensor_t y;
  ASSERT_EQ(kiln_npy_read(dir.file("y.npy").c_str(), &y, err, sizeof(err)),
            KILN_OK)
      << err;
  ASSERT_EQ(y.rank, 1);
  ASSERT_EQ(y.shape[0], 3);
  EXPECT_EQ(static_cast<float *>(y.data)[2], 6.0f);
  kiln_tensor_free(&y);
}

TEST_F(RunMainTest, ProgNamePrefixesErrors) {
  expectError(run({"--bogus"}, "kilnc"), "kilnc",
              "unknown option '--bogus' (see --help)");
  // NULL: the basename of argv[0], as in an executable's main().
  expectError(run({"--bogus"}, nullptr), "model-prog",
              "unknown option '--bogus' (see --help)");
  expectError(run({"--bogus"}, nullptr, nullptr, kSignature, kTable, "prog2"),
              "prog2", "unknown option '--bogus' (see --help)");
  expectError(run({"--bogus"}, nullptr, nullptr, kSignature, kTable, ""),
              "prog", "unknown option '--bogus' (see --help)");
}

TEST_F(RunMainTest, HelpShowsUsageAndEntries) {
  RunResult r = run({"--help"}, "kilnc", "kilnc model.mlir --run");
  EXPECT_EQ(r.rc, 0);
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(
      r.out.rfind("USAGE: kilnc model.mlir --run [options] INPUT.npy...\n", 0),
      0u)
      << r.out;
  EXPECT_NE(r.out.find("  double (default)\n    input  x: 3 f32\n"
                       "    output 0: 3 f32\n"),
            std::string::npos)
      << r.out;
  // Without a usage, the program name.
  r = run({"-h"}, nullptr);
  EXPECT_EQ(r.rc, 0);
  EXPECT_EQ(r.out.rfind("USAGE: model-prog [options] INPUT.npy...\n", 0), 0u)
      << r.out;
}

TEST_F(RunMainTest, MalformedModules) {
  expectError(run({}, "kilnc", nullptr, "kiln-abi 2\n"), "kilnc",
              "corrupt module signature: signature line 1: unsupported ABI "
              "version 2 (this runtime supports 1)");
  expectError(run({"x.npy"}, "kilnc", nullptr, "kiln-abi 1\n"), "kilnc",
              "module has no entry points");
  const kiln_entry_t empty[] = {{nullptr, nullptr}};
  expectError(run({"x.npy"}, "kilnc", nullptr, kSignature, empty), "kilnc",
              "entry 'double' is missing from the module's entry table");
  expectError(run({}, "kilnc", nullptr, nullptr), "kilnc",
              "corrupt module: no signature");
  expectError(run({}, "kilnc", nullptr, kSignature, nullptr), "kilnc",
              "corrupt module: no entry table");
}

} // namespace
