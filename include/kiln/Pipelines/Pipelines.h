//===- Pipelines.h - Kiln's named pass pipelines ----------------*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// The named pipelines are the stages of the `kilnc` driver:
//   nn --kiln-nn-to-linalg--> linalg on tensors --kiln-linalg-to-llvm--> LLVM
// `kiln-nn-to-llvm` runs both.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PIPELINES_PIPELINES_H
#define KILN_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace kiln {

/// Options of the lowering pipelines.
struct PipelineOptions : public mlir::PassPipelineOptions<PipelineOptions> {
  PassOptions::Option<bool> fuseElementwise{
      *this, "fuse-elementwise",
      llvm::cl::desc("Fuse producer/consumer elementwise linalg ops before "
                     "bufferization (kiln-fuse-elementwise)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> fusionReport{
      *this, "fusion-report",
      llvm::cl::desc("Remark on every fusion candidate: fused or not, and "
                     "why (kiln-fuse-elementwise{report=true})"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> planBuffers{
      *this, "plan-buffers",
      llvm::cl::desc("Plan every temporary of an entry point into one "
                     "workspace (kiln-plan-buffers); false keeps one "
                     "allocation per buffer and call"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> memoryReport{
      *this, "memory-report",
      llvm::cl::desc("Remark on each entry point's memory plan: argument "
                     "bytes, workspace, peak (kiln-plan-buffers{report=true})"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> parallel{
      *this, "parallel",
      llvm::cl::desc("Run the cache tiles of large products on OpenMP "
                     "threads (kiln-vectorize-contractions{parallel=true}, "
                     "convert-scf-to-openmp); results do not depend on the "
                     "thread count"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> lineTables{
      *this, "line-tables",
      llvm::cl::desc("Locate every LLVM instruction at its model line "
                     "(kiln-model-lines, "
                     "ensure-debug-info-scope-on-llvm-func), for profilers "
                     "and debuggers"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> checkNumerics{
      *this, "check-numerics",
      llvm::cl::desc("Check every f32 result for NaN and infinity "
                     "(kiln-check-numerics after the training step)"),
      llvm::cl::init(false)};
};

/// nn -> nn: the functions that the model asks for and that are themselves
/// nn IR: gradient functions (`kiln-autodiff`) and training steps
/// (`kiln-train-step`). The first part of buildNNToLinalgPipeline; `kilnc
/// --emit=nn` stops after it.
void buildNNTrainingPipeline(mlir::OpPassManager &pm);

/// nn -> nn ready to lower: buildNNTrainingPipeline, the numerics checks
/// if asked, canonicalization and CSE, then parameters promoted to
/// arguments and destination-passing entry points exported. The first part
/// of buildNNToLinalgPipeline.
void buildNNPreparePipeline(mlir::OpPassManager &pm,
                            const PipelineOptions &options);

/// nn -> linalg/arith/math/tensor: buildNNPreparePipeline, then
/// kiln-convert-nn-to-linalg.
void buildNNToLinalgPipeline(mlir::OpPassManager &pm,
                             const PipelineOptions &options);

/// linalg on tensors -> fused linalg on tensors: the model functions inlined
/// into their entry points, transposes folded into products, elementwise
/// fusion. The first part of buildLinalgToLLVMPipeline; `kilnc
/// --emit=fusion-dot` shows its result.
void buildLinalgFusionPipeline(mlir::OpPassManager &pm,
                               const PipelineOptions &options);

/// linalg on tensors -> bufferized, lowered LLVM dialect:
/// buildLinalgFusionPipeline, then bufferization and lowering.
void buildLinalgToLLVMPipeline(mlir::OpPassManager &pm,
                               const PipelineOptions &options);

/// The whole lowering: nn -> LLVM dialect.
void buildNNToLLVMPipeline(mlir::OpPassManager &pm,
                           const PipelineOptions &options);

/// Registers `kiln-nn-to-linalg`, `kiln-linalg-to-llvm` and
/// `kiln-nn-to-llvm` for kiln-opt's `--pass-pipeline` and flags.
void registerKilnPipelines();

} // namespace kiln

#endif // KILN_PIPELINES_PIPELINES_H
