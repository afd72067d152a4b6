//===- kiln-opt.cpp - Kiln's optimizer driver -----------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// MlirOptMain with Kiln's dialects and passes plus every upstream dialect,
// pass and extension, so that every MLIR flag works and plugins can build on
// any of them. An input file nested too deeply for MLIR's recursive parser
// is rejected first (kiln/Support/Nesting.h).
//
//===----------------------------------------------------------------------===//

#include "kiln/InitAll.h"
#include "kiln/Support/Nesting.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  kiln::registerAllPasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  kiln::registerAllDialects(registry);

  auto [inputFilename, outputFilename] = mlir::registerAndParseCLIOptions(
      argc, argv, "Kiln optimizer driver\n", registry);
  // Standard input is read by MlirOptMain itself and not checked.
  if (inputFilename != "-") {
    if (auto file = llvm::MemoryBuffer::getFile(inputFilename)) {
      if (std::optional<size_t> offset =
              kiln::findExcessiveNesting((*file)->getBuffer())) {
        const char *text = (*file)->getBufferStart();
        llvm::SourceMgr sourceMgr;
        sourceMgr.AddNewSourceBuffer(std::move(*file), llvm::SMLoc());
        sourceMgr.PrintMessage(llvm::SMLoc::getFromPointer(text + *offset),
                               llvm::SourceMgr::DK_Error,
                               kiln::describeExcessiveNesting());
        return 1;
      }
    }
  }
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, inputFilename, outputFilename, registry));
}
