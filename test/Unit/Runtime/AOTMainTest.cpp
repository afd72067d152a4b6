//===- AOTMainTest.cpp - Tests of the AOT executable's main() -------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Runs `kiln-aot-demo` (AOTDemoModule.c linked with kiln_runtime_main) as a
// subprocess, exactly as a user runs a kilnc-compiled program.
//
//===----------------------------------------------------------------------===//

#include "RuntimeTestUtil.h"

#include <algorithm>

#ifndef KILN_AOT_DEMO_PATH
#error "KILN_AOT_DEMO_PATH must name the kiln-aot-demo executable"
#endif

using namespace kiln_test;

namespace {

class AOTMainTest : public ::testing::Test {
protected:
  void SetUp() override {
    // x: f32 2x4 = [[0..3], [4..7]] / 4.
    kiln_tensor_t x = makeTensor(KILN_F32, {2, 4});
    for (int i = 0; i < 8; ++i)
      static_cast<float *>(x.data)[i] = static_cast<float>(i) / 4;
    write("x.npy", x);
    kiln_tensor_free(&x);
    kiln_tensor_t a = makeTensor(KILN_I64, {4}), b = makeTensor(KILN_I64, {4});
    for (int i = 0; i < 4; ++i) {
      static_cast<int64_t *>(a.data)[i] = i + 1;
      static_cast<int64_t *>(b.data)[i] = 10 * (i + 1);
    }
    write("a.npy", a);
    write("b.npy", b);
    kiln_tensor_free(&a);
    kiln_tensor_free(&b);
    kiln_tensor_t bad = makeTensor(KILN_F32, {3, 4});
    write("x34.npy", bad);
    kiln_tensor_free(&bad);
    kiln_tensor_t f64 = makeTensor(KILN_F64, {2, 4});
    write("x64.npy", f64);
    kiln_tensor_free(&f64);
    writeBytes(dir.file("garbage.npy"), "definitely not numpy");
  }

  void write(const std::string &name, const kiln_tensor_t &t) {
    char err[256];
    ASSERT_EQ(kiln_npy_write(dir.file(name).c_str(), &t, err, sizeof(err)),
              KILN_OK)
        << err;
  }

  CommandResult run(const std::string &args) {
    return runCommand(dir, std::string("'") + KILN_AOT_DEMO_PATH + "' " + args);
  }

  /// Runs with \p args and expects a clean failure whose message contains
  /// \p needle.
  void expectError(const std::string &args, const std::string &needle) {
    SCOPED_TRACE(args);
    CommandResult r = run(args);
    EXPECT_FALSE(r.signaled);
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.err.rfind("kiln-aot-demo: error: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
  }

  /// The expected forward output, computed independently.
  std::vector<float> expectedForward() {
    kiln_tensor_t w = makeTensor(KILN_F32, {4, 3});
    EXPECT_EQ(kiln_init_param(&w, KILN_INIT_UNIFORM, 7, -1, 1, 4, 3), KILN_OK);
    const float *W = static_cast<float *>(w.data);
    std::vector<float> out(6);
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 3; ++j) {
        float acc = 1.0f; // bias: init=ones
        for (int k = 0; k < 4; ++k)
          acc += (static_cast<float>(i * 4 + k) / 4) * W[k * 3 + j];
        out[i * 3 + j] = acc;
      }
    kiln_tensor_free(&w);
    return out;
  }

  TempDir dir;
};

TEST_F(AOTMainTest, HelpListsFlagsAndEntries) {
  CommandResult r = run("--help");
  EXPECT_EQ(r.exitCode, 0);
  for (const char *s :
       {"USAGE: kiln-aot-demo [options] INPUT.npy...", "--entry NAME",
        "-o FILE", "--print", "--full", "--help", "forward (default)",
        "input  x: 2x4 f32", "output 0: 2x3 f32",
        "(2 params, initialized automatically)", "  stats\n", "input  a: 4 i64",
        "input  b: 4 i64", "output 1: scalar f64"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
  EXPECT_EQ(run("-h").out, r.out);
}

TEST_F(AOTMainTest, ForwardWritesOutputFile) {
  CommandResult r = run("x.npy -o y.npy");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
  kiln_tensor_t y;
  char err[256];
  ASSERT_EQ(kiln_npy_read(dir.file("y.npy").c_str(), &y, err, sizeof(err)),
            KILN_OK)
      << err;
  ASSERT_EQ(y.dtype, KILN_F32);
  ASSERT_EQ(y.rank, 2);
  EXPECT_EQ(y.shape[0], 2);
  EXPECT_EQ(y.shape[1], 3);
  std::vector<float> got(static_cast<float *>(y.data),
                         static_cast<float *>(y.data) + 6);
  EXPECT_EQ(got, expectedForward());
  kiln_tensor_free(&y);
}

TEST_F(AOTMainTest, PrintsByDefaultAndWithPrint) {
  CommandResult r = run("x.npy");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out.rfind("output 0: 2x3 f32\n[[", 0), 0u) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 3);

  CommandResult p = run("--print -o y.npy x.npy");
  ASSERT_EQ(p.exitCode, 0) << p.err;
  EXPECT_EQ(p.out, r.out);
  EXPECT_EQ(access(dir.file("y.npy").c_str(), F_OK), 0);
}

TEST_F(AOTMainTest, SecondEntryWithTwoOutputs) {
  CommandResult r = run("--entry stats a.npy b.npy -o sum.npy --output=s.npy");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  kiln_tensor_t sum, s;
  char err[256];
  ASSERT_EQ(kiln_npy_read(dir.file("sum.npy").c_str(), &sum, err, sizeof(err)),
            KILN_OK);
  ASSERT_EQ(kiln_npy_read(dir.file("s.npy").c_str(), &s, err, sizeof(err)),
            KILN_OK);
  const int64_t expect[] = {11, 22, 33, 44};
  EXPECT_EQ(sum.dtype, KILN_I64);
  EXPECT_EQ(memcmp(sum.data, expect, sizeof(expect)), 0);
  EXPECT_EQ(s.rank, 0);
  EXPECT_EQ(s.dtype, KILN_F64);
  EXPECT_EQ(*static_cast<double *>(s.data), 10.0);
  kiln_tensor_free(&sum);
  kiln_tensor_free(&s);

  // Only the first output goes to a file: nothing is printed.
  r = run("--entry=stats a.npy b.npy -o sum.npy");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out, "");
  r = run("--entry=stats a.npy b.npy");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out, "output 0: 4 i64\n[11, 22, 33, 44]\noutput 1: scalar "
                   "f64\n10.\n");
}

TEST_F(AOTMainTest, DoubleDashEndsOptions) {
  ASSERT_EQ(rename(dir.file("x.npy").c_str(), dir.file("-x.npy").c_str()), 0);
  CommandResult r = run("-o y.npy -- -x.npy");
  EXPECT_EQ(r.exitCode, 0) << r.err;
  expectError("-x.npy", "unknown option '-x.npy' (see --help)");
}

TEST_F(AOTMainTest, Errors) {
  expectError("--bogus x.npy", "unknown option '--bogus' (see --help)");
  expectError("-o", "option '-o' requires an argument");
  expectError("x.npy --entry", "option '--entry' requires an argument");
  expectError("--entry= x.npy", "option '--entry' requires a non-empty name");
  expectError("", "missing input 'x': entry 'forward' takes 1 input (x), "
                  "got 0");
  expectError("--entry stats a.npy",
              "missing input 'b': entry 'stats' takes 2 inputs (a b), got 1");
  expectError("x.npy x.npy",
              "too many inputs: entry 'forward' takes 1 input (x), got 2");
  expectError("x.npy -o 1.npy -o 2.npy",
              "too many -o options: entry 'forward' has 1 output");
  expectError("--entry nope x.npy",
              "unknown entry 'nope' (available: forward, stats)");
  expectError("missing.npy",
              "missing.npy: cannot open: No such file or directory");
  expectError("garbage.npy", "garbage.npy: not a .npy file (bad magic)");
  expectError("x34.npy",
              "x34.npy: input 'x': expected shape 2x4 f32, got 3x4 f32");
  expectError("x64.npy",
              "x64.npy: input 'x': expected shape 2x4 f32, got 2x4 f64");
  expectError("--entry stats a.npy x.npy",
              "x.npy: input 'b': expected shape 4 i64, got 2x4 f32");
  expectError("x.npy -o nodir/y.npy", "nodir/y.npy: cannot open "
                                      "'nodir/y.npy.tmp' for writing");
}

} // namespace
