//===- Pipelines.cpp - Kiln's named pass pipelines ------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// nn --kiln-nn-to-linalg--> linalg on tensors --kiln-linalg-to-llvm--> LLVM.
//
// The LLVM dialect output needs nothing at run time beyond libc, libm (powf,
// cosf, f64 functions; f32 exp, tanh, log and the like are expanded inline)
// and `memrefCopy` for copies between non-contiguous buffers, which Kiln's
// runtime provides. In particular it does not need MLIR's runner-utils
// libraries.
//
//===----------------------------------------------------------------------===//

#include "kiln/Pipelines/Pipelines.h"
#include "kiln/Codegen/Passes.h"
#include "kiln/Conversion/Passes.h"
#include "kiln/Dialect/NN/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void kiln::buildNNTrainingPipeline(OpPassManager &pm) {
  pm.addPass(nn::createKilnAutodiff());
  pm.addPass(nn::createKilnTrainStep());
}

void kiln::buildNNPreparePipeline(OpPassManager &pm,
                                  const PipelineOptions &options) {
  buildNNTrainingPipeline(pm);
  if (options.checkNumerics)
    pm.addPass(nn::createKilnCheckNumerics());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(nn::createKilnPromoteParams());
  pm.addPass(nn::createKilnExportEntryPoints());
}

void kiln::buildNNToLinalgPipeline(OpPassManager &pm,
                                   const PipelineOptions &options) {
  buildNNPreparePipeline(pm, options);
  pm.addPass(createKilnConvertNNToLinalg());
  // No CSE from here on until bufferization: it would merge the lowering's
  // separate `tensor.empty` destinations, and MLIR 19's empty-tensor
  // elimination then makes every op sharing one write into the same output
  // buffer (test/Integration/Ops/elementwise.mlir catches it).
  pm.addPass(createCanonicalizerPass());
}

void kiln::buildLinalgFusionPipeline(OpPassManager &pm,
                                     const PipelineOptions &options) {
  // Inline the model functions into their entry points so that results are
  // computed straight into the caller's output buffers, and the private
  // originals disappear.
  pm.addPass(createInlinerPass());
  pm.addPass(createSymbolDCEPass());
  // Products read transposed left operands in place (docs/Codegen.md).
  pm.addNestedPass<func::FuncOp>(createKilnFoldTransposeIntoMatmul());
  // Elementwise producers into their consumers, with Kiln's policy and
  // its report (docs/Fusion.md).
  if (options.fuseElementwise) {
    KilnFuseElementwiseOptions fusion;
    fusion.report = options.fusionReport;
    pm.addPass(createKilnFuseElementwise(fusion));
    pm.addPass(createCanonicalizerPass());
  }
}

void kiln::buildLinalgToLLVMPipeline(OpPassManager &pm,
                                     const PipelineOptions &options) {
  buildLinalgFusionPipeline(pm, options);

  // Tensors -> buffers.
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  // Set through pass options (not an options struct) so that the pipeline
  // `kilnc --print-pipeline` prints replays exactly in kiln-opt.
  std::unique_ptr<Pass> bufferize = bufferization::createOneShotBufferizePass();
  LogicalResult parsed = bufferize->initializeOptions(
      "bufferize-function-boundaries=true "
      "function-boundary-type-conversion=identity-layout-map",
      [](const Twine &message) {
        llvm::report_fatal_error(message);
        return failure();
      });
  assert(succeeded(parsed) && "one-shot-bufferize rejected its options");
  (void)parsed;
  pm.addPass(std::move(bufferize));
  bufferization::BufferDeallocationPipelineOptions deallocation;
  bufferization::buildBufferDeallocationPipeline(pm, deallocation);
  // Loops over independent parts of a computation (the convolutions' batch
  // parts) run on threads, or one after the other without them.
  if (options.parallel)
    pm.addPass(createForallToParallelLoopPass());
  else
    pm.addPass(createForallToForLoopPass());

  // Buffers -> vector micro-kernels for products and transposes
  // (docs/Codegen.md), loops for everything else. The kernels come out as
  // 1-D vector ops; convert-vector-to-scf only catches stragglers.
  // Each product's elementwise consumer runs in its cache tiles
  // (docs/Codegen.md, "Epilogues").
  if (options.fuseElementwise) {
    KilnTileAndFuseProductsOptions productTiles;
    productTiles.parallel = options.parallel;
    productTiles.report = options.fusionReport;
    pm.addNestedPass<func::FuncOp>(
        createKilnTileAndFuseProducts(productTiles));
  }
  KilnVectorizeContractionsOptions contractions;
  contractions.parallel = options.parallel;
  pm.addNestedPass<func::FuncOp>(
      createKilnVectorizeContractions(contractions));
  pm.addNestedPass<func::FuncOp>(createKilnVectorizeTransposes());
  // The other large loops run on threads too (docs/Codegen.md, "Threads").
  if (options.parallel)
    pm.addPass(createKilnParallelizeLoops());
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addNestedPass<func::FuncOp>(createLoopInvariantCodeMotionPass());
  pm.addPass(createCanonicalizerPass());
  // Every temporary into one workspace planned here, so that a call
  // allocates nothing (docs/Codegen.md, "Memory planning"). After the
  // kernels and loop-invariant code motion: they keep a product's
  // accumulators in registers only when its operands are separate
  // allocations, which views of one workspace are not.
  if (options.planBuffers) {
    KilnPlanBuffersOptions planning;
    planning.report = options.memoryReport;
    pm.addPass(createKilnPlanBuffers(planning));
  }
  // The parallel cache-tile loops become OpenMP worksharing loops (static
  // schedule), outlined by the OpenMP translation to LLVM IR; executables
  // link libomp (docs/Codegen.md, "Threads").
  // The canonicalizer then inlines the memref.alloca_scope it wraps each
  // loop body in (there is no allocation in them), which later
  // convert-scf-to-cf would leave with several blocks.
  if (options.parallel) {
    pm.addPass(createConvertSCFToOpenMPPass());
    pm.addPass(createCanonicalizerPass());
  }
  pm.addPass(createConvertVectorToSCFPass());
  pm.addPass(createConvertSCFToCFPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // f32 exp, expm1, tanh, log and log1p become arithmetic instead of libm
  // calls, so that LLVM vectorizes the loops around them (docs/Codegen.md).
  pm.addPass(createKilnExpandMath());

  // Loops -> LLVM. Vector loads and stores go first, while their buffers
  // are still memrefs. math-to-llvm keeps math.log1p exact (no log(1 + x))
  // and leaves it and math.tanh to math-to-libm, which turns them into libm
  // calls (log1pf, tanhf); it must run before func-to-llvm lowers those
  // calls. After kiln-expand-math, that is only f64 and other functions
  // (powf, cosf).
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  ConvertMathToLLVMPassOptions mathToLLVM;
  mathToLLVM.approximateLog1p = false;
  pm.addPass(createConvertMathToLLVMPass(mathToLLVM));
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  if (options.parallel)
    pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  // Line tables naming the model's lines (docs/Performance.md, "Profiling
  // by model line").
  if (options.lineTables) {
    pm.addPass(createKilnModelLines());
    pm.addPass(LLVM::createDIScopeForLLVMFuncOpPass());
  }
}

void kiln::buildNNToLLVMPipeline(OpPassManager &pm,
                                 const PipelineOptions &options) {
  buildNNToLinalgPipeline(pm, options);
  buildLinalgToLLVMPipeline(pm, options);
}

void kiln::registerKilnPipelines() {
  PassPipelineRegistration<PipelineOptions>(
      "kiln-nn-to-linalg",
      "Lower nn to linalg on tensors with parameters as arguments and "
      "exported entry points",
      buildNNToLinalgPipeline);
  PassPipelineRegistration<PipelineOptions>(
      "kiln-linalg-to-llvm",
      "Bufferize linalg on tensors and lower it to the LLVM dialect",
      buildLinalgToLLVMPipeline);
  PassPipelineRegistration<PipelineOptions>(
      "kiln-nn-to-llvm", "Lower nn all the way to the LLVM dialect",
      buildNNToLLVMPipeline);
}
