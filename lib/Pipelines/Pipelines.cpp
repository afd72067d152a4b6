//===- Pipelines.cpp - Kiln's named pass pipelines ------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "kiln/Pipelines/Pipelines.h"
#include "kiln/Conversion/Passes.h"
#include "kiln/Dialect/NN/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void kiln::buildNNToLinalgPipeline(OpPassManager &pm,
                                   const PipelineOptions &) {
  pm.addPass(createCanonicalizerPass());
  pm.addPass(nn::createKilnPromoteParams());
  pm.addPass(nn::createKilnExportEntryPoints());
  pm.addPass(createKilnConvertNNToLinalg());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void kiln::buildLinalgToLLVMPipeline(OpPassManager &pm,
                                     const PipelineOptions &) {
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  bufferization::OneShotBufferizationOptions bufferization;
  bufferization.bufferizeFunctionBoundaries = true;
  bufferization.setFunctionBoundaryTypeConversion(
      bufferization::LayoutMapOption::IdentityLayoutMap);
  pm.addPass(bufferization::createOneShotBufferizePass(bufferization));
  bufferization::BufferDeallocationPipelineOptions deallocation;
  bufferization::buildBufferDeallocationPipeline(pm, deallocation);
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createConvertSCFToCFPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
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
