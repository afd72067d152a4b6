//===- Link.cpp - Link compiled modules into executables ------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Runs the system C compiler driver to link an object file with the Kiln
// runtime archives and libm, capturing the linker's diagnostics.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/Link.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

static constexpr llvm::StringLiteral kRuntimeArchive = "libkiln_runtime.a";
static constexpr llvm::StringLiteral kRuntimeMainArchive =
    "libkiln_runtime_main.a";

llvm::Expected<std::string>
kiln::findRuntimeDir(llvm::ArrayRef<std::string> candidates) {
  for (const std::string &dir : candidates) {
    if (dir.empty())
      continue;
    llvm::SmallString<256> runtime(dir), runtimeMain(dir);
    llvm::sys::path::append(runtime, kRuntimeArchive);
    llvm::sys::path::append(runtimeMain, kRuntimeMainArchive);
    if (llvm::sys::fs::is_regular_file(runtime) &&
        llvm::sys::fs::is_regular_file(runtimeMain))
      return dir;
  }
  std::string searched;
  for (const std::string &dir : candidates)
    if (!dir.empty())
      searched += (searched.empty() ? "" : ", ") + ("'" + dir + "'");
  return llvm::createStringError(
      "cannot find the Kiln runtime (%s and %s) in %s; pass "
      "--runtime-dir=DIR",
      kRuntimeArchive.data(), kRuntimeMainArchive.data(),
      searched.empty() ? "any directory" : searched.c_str());
}

llvm::Expected<std::string> kiln::findLinkerDriver(llvm::StringRef name) {
  if (!name.empty()) {
    if (llvm::sys::path::has_parent_path(name)) {
      if (llvm::sys::fs::can_execute(name))
        return name.str();
    } else if (llvm::ErrorOr<std::string> path =
                   llvm::sys::findProgramByName(name)) {
      return *path;
    }
    return llvm::createStringError("cannot find the C compiler '%s'",
                                   name.str().c_str());
  }
  for (llvm::StringRef candidate : {"clang-19", "cc"})
    if (llvm::ErrorOr<std::string> path =
            llvm::sys::findProgramByName(candidate))
      return *path;
  return llvm::createStringError(
      "cannot find a C compiler to link with: neither 'clang-19' nor 'cc' "
      "is on PATH");
}

llvm::Error kiln::linkExecutable(llvm::StringRef objectPath,
                                 llvm::StringRef outputPath,
                                 llvm::StringRef runtimeDir,
                                 llvm::StringRef driverName) {
  llvm::Expected<std::string> driver = findLinkerDriver(driverName);
  if (!driver)
    return driver.takeError();

  llvm::SmallString<256> runtime(runtimeDir), runtimeMain(runtimeDir);
  llvm::sys::path::append(runtime, kRuntimeArchive);
  llvm::sys::path::append(runtimeMain, kRuntimeMainArchive);
  // The object defines the ABI symbols that main() (from runtime_main)
  // references; the runtime archive resolves what both need.
  llvm::SmallVector<llvm::StringRef> args = {*driver};
#ifdef KILN_SANITIZE_FLAGS
  // A sanitized build's runtime archives need the sanitizer runtimes
  // (docs/Reliability.md).
  args.push_back(KILN_SANITIZE_FLAGS);
#endif
  // A model with parallel loops calls LLVM's OpenMP runtime: linked only
  // then (--as-needed), found through the rpath outside the loader's
  // default directories.
  std::string rpath =
      ("-Wl,-rpath," + llvm::sys::path::parent_path(KILN_OPENMP_LIBRARY))
          .str();
  args.append({objectPath, runtimeMain, runtime, "-Wl,--as-needed",
               KILN_OPENMP_LIBRARY, "-Wl,--no-as-needed", rpath, "-lm", "-o",
               outputPath});

  // Capture the driver's diagnostics to repeat them in the error.
  llvm::SmallString<128> logPath;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("kilnc-link", "log", logPath))
    return llvm::createStringError(ec, "cannot create a temporary file: %s",
                                   ec.message().c_str());
  llvm::FileRemover removeLog(logPath);
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, logPath.str(),
                                                logPath.str()};
  std::string execError;
  bool executionFailed = false;
  int status = llvm::sys::ExecuteAndWait(
      *driver, args, /*Env=*/std::nullopt, redirects, /*SecondsToWait=*/0,
      /*MemoryLimit=*/0, &execError, &executionFailed);
  if (executionFailed)
    return llvm::createStringError("cannot run '%s': %s", driver->c_str(),
                                   execError.c_str());
  if (status == 0)
    return llvm::Error::success();

  std::string log;
  if (auto buffer = llvm::MemoryBuffer::getFile(logPath))
    log = (*buffer)->getBuffer().rtrim().str();
  std::string command = llvm::join(args, " ");
  std::string what =
      status < 0 ? "crashed" : "exited with status " + std::to_string(status);
  if (!execError.empty())
    what += " (" + execError + ")";
  return llvm::createStringError("linking failed: '%s' %s:\n%s",
                                 command.c_str(), what.c_str(), log.c_str());
}
