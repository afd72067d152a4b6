//===- RuntimeTestUtil.h - Helpers for Kiln runtime unit tests --*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TEST_UNIT_RUNTIME_RUNTIMETESTUTIL_H
#define KILN_TEST_UNIT_RUNTIME_RUNTIMETESTUTIL_H

#include "kiln/Runtime/Runtime.h"

#include "gtest/gtest.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace kiln_test {

/// A fresh temporary directory, removed (with its contents) on destruction.
class TempDir {
public:
  TempDir() {
    char tmpl[] = "/tmp/kiln-runtime-test-XXXXXX";
    const char *d = mkdtemp(tmpl);
    if (d)
      path = d;
  }
  ~TempDir() {
    if (!path.empty())
      (void)!system(("rm -rf '" + path + "'").c_str());
  }
  std::string file(const std::string &name) const { return path + "/" + name; }
  std::string path;
};

inline void writeBytes(const std::string &path, const std::string &bytes) {
  FILE *f = fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr) << path;
  ASSERT_EQ(fwrite(bytes.data(), 1, bytes.size(), f), bytes.size());
  fclose(f);
}

inline std::string readBytes(const std::string &path) {
  std::string out;
  FILE *f = fopen(path.c_str(), "rb");
  if (!f)
    return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
    out.append(buf, n);
  fclose(f);
  return out;
}

/// Builds a .npy image of version \p major.0 from a header dict text and raw
/// data bytes; unless \p pad is false, the header is padded with spaces and a
/// newline to a 64-byte boundary like numpy does.
inline std::string npyImage(const std::string &dict, const std::string &data,
                            int major = 1, bool pad = true) {
  std::string hdr = dict;
  size_t pre = major == 1 ? 10 : 12;
  if (pad) {
    while ((pre + hdr.size() + 1) % 64)
      hdr += ' ';
    hdr += '\n';
  }
  std::string out("\x93NUMPY", 6);
  out += static_cast<char>(major);
  out += '\0';
  uint32_t len = static_cast<uint32_t>(hdr.size());
  out += static_cast<char>(len & 0xff);
  out += static_cast<char>((len >> 8) & 0xff);
  if (major != 1) {
    out += static_cast<char>((len >> 16) & 0xff);
    out += static_cast<char>((len >> 24) & 0xff);
  }
  return out + hdr + data;
}

/// Result of running a shell command.
struct CommandResult {
  int exitCode = -1;
  bool signaled = false;
  std::string out, err;
};

/// Runs \p cmd through /bin/sh with stdout and stderr captured into files
/// of \p dir.
inline CommandResult runCommand(const TempDir &dir, const std::string &cmd) {
  CommandResult r;
  std::string outFile = dir.file(".stdout"), errFile = dir.file(".stderr");
  std::string full =
      "cd '" + dir.path + "' && " + cmd + " >" + outFile + " 2>" + errFile;
  int status = system(full.c_str());
  if (status != -1 && WIFEXITED(status))
    r.exitCode = WEXITSTATUS(status);
  else
    r.signaled = true;
  r.out = readBytes(outFile);
  r.err = readBytes(errFile);
  return r;
}

/// Allocates a tensor, failing the test on error.
inline kiln_tensor_t makeTensor(kiln_dtype_t dtype,
                                std::vector<int64_t> shape) {
  kiln_tensor_t t;
  char err[256];
  kiln_status_t st =
      kiln_tensor_alloc(&t, dtype, static_cast<int32_t>(shape.size()),
                        shape.data(), err, sizeof(err));
  EXPECT_EQ(st, KILN_OK) << err;
  return t;
}

} // namespace kiln_test

#endif // KILN_TEST_UNIT_RUNTIME_RUNTIMETESTUTIL_H
