//===- nn-to-linalg.cpp - A tool built on an installed Kiln ---------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// nn-to-linalg MODEL.mlir: parses an nn model, runs Kiln's
// buildNNToLinalgPipeline and prints the result, like
// `kilnc MODEL.mlir --emit=linalg`. Built by install-package.test against
// an installed Kiln through find_package(Kiln) and Kiln::Pipelines.
//
//===----------------------------------------------------------------------===//

#include "kiln/InitAll.h"
#include "kiln/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  if (argc != 2) {
    llvm::errs() << "usage: nn-to-linalg MODEL.mlir\n";
    return 2;
  }
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  kiln::registerAllDialects(registry);
  mlir::MLIRContext context(registry);

  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(argv[1], &context);
  if (!module)
    return 1;
  mlir::PassManager pm(&context);
  kiln::buildNNToLinalgPipeline(pm, kiln::PipelineOptions());
  if (mlir::failed(pm.run(*module)))
    return 1;
  module->print(llvm::outs());
  llvm::outs() << "\n";
  return 0;
}
