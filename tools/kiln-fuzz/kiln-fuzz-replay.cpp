//===- kiln-fuzz-replay.cpp - Run fuzz harnesses on files -----------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// kiln-fuzz-replay HARNESS PATH...
///
/// Feeds every file (and every file of every directory, in name order) to
/// the entry point of the harness HARNESS (idx, csv, npy, checkpoint,
/// compile, onnx), the same code the libFuzzer targets fuzz-HARNESS run,
/// but without libFuzzer or sanitizers, so the seed corpora and the
/// regression inputs are checked by the normal build
/// (test/Runtime/fuzz-corpus.test). Prints "HARNESS: N inputs" and exits 0
/// when no input crashed. In a build without the ONNX importer (no
/// libonnx-dev), `onnx` reads the files but runs nothing, and says so on
/// stderr.
///
//===----------------------------------------------------------------------===//

#define KILN_FUZZ_CXX_ONLY
#include "FuzzHarness.h"

#include <algorithm>
#include <cstring>
#include <dirent.h>
#include <string>
#include <sys/stat.h>
#include <vector>

KILN_FUZZ_EXTERN_C int kiln_fuzz_idx(const uint8_t *, size_t);
KILN_FUZZ_EXTERN_C int kiln_fuzz_csv(const uint8_t *, size_t);
KILN_FUZZ_EXTERN_C int kiln_fuzz_npy(const uint8_t *, size_t);
KILN_FUZZ_EXTERN_C int kiln_fuzz_checkpoint(const uint8_t *, size_t);
KILN_FUZZ_EXTERN_C int kiln_fuzz_compile(const uint8_t *, size_t);
#ifdef KILN_FUZZ_HAVE_ONNX
KILN_FUZZ_EXTERN_C int kiln_fuzz_onnx(const uint8_t *, size_t);
#else
static int kiln_fuzz_onnx(const uint8_t *, size_t) { return 0; }
#endif

using Harness = int (*)(const uint8_t *, size_t);

static const struct {
  const char *name;
  Harness run;
} Harnesses[] = {{"idx", kiln_fuzz_idx},
                 {"csv", kiln_fuzz_csv},
                 {"npy", kiln_fuzz_npy},
                 {"checkpoint", kiln_fuzz_checkpoint},
                 {"compile", kiln_fuzz_compile},
                 {"onnx", kiln_fuzz_onnx}};

static bool readFile(const std::string &path, std::vector<uint8_t> &out) {
  FILE *f = fopen(path.c_str(), "rb");
  if (!f)
    return false;
  out.clear();
  uint8_t chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
    out.insert(out.end(), chunk, chunk + n);
  bool ok = !ferror(f);
  fclose(f);
  return ok;
}

static bool collect(const std::string &path, std::vector<std::string> &files) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0)
    return false;
  if (!S_ISDIR(st.st_mode)) {
    files.push_back(path);
    return true;
  }
  DIR *dir = opendir(path.c_str());
  if (!dir)
    return false;
  std::vector<std::string> names;
  while (struct dirent *e = readdir(dir))
    if (e->d_name[0] != '.')
      names.push_back(e->d_name);
  closedir(dir);
  std::sort(names.begin(), names.end());
  for (const std::string &name : names)
    if (!collect(path + "/" + name, files))
      return false;
  return true;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: kiln-fuzz-replay "
                    "idx|csv|npy|checkpoint|compile|onnx PATH...\n");
    return 2;
  }
  Harness run = nullptr;
  for (const auto &h : Harnesses)
    if (std::strcmp(argv[1], h.name) == 0)
      run = h.run;
  if (!run) {
    fprintf(stderr, "kiln-fuzz-replay: unknown harness '%s'\n", argv[1]);
    return 2;
  }
#ifndef KILN_FUZZ_HAVE_ONNX
  if (std::strcmp(argv[1], "onnx") == 0)
    fprintf(stderr, "kiln-fuzz-replay: built without the ONNX importer "
                    "(libonnx-dev): the onnx inputs are not run\n");
#endif
  std::vector<std::string> files;
  for (int i = 2; i < argc; ++i)
    if (!collect(argv[i], files)) {
      fprintf(stderr, "kiln-fuzz-replay: cannot read '%s'\n", argv[i]);
      return 2;
    }
  std::vector<uint8_t> data;
  for (const std::string &file : files) {
    if (!readFile(file, data)) {
      fprintf(stderr, "kiln-fuzz-replay: cannot read '%s'\n", file.c_str());
      return 2;
    }
    if (getenv("KILN_FUZZ_REPLAY_VERBOSE"))
      fprintf(stderr, "%s\n", file.c_str());
    run(data.data(), data.size());
  }
  printf("%s: %zu inputs\n", argv[1], files.size());
  return 0;
}
