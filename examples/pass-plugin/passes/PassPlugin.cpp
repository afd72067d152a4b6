//===- PassPlugin.cpp - Entry point of KilnExamplePassPlugin.so -----------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// `kiln-opt --load-pass-plugin=KilnExamplePassPlugin.so` looks up the C
// symbol `mlirGetPassPluginInfo` in the library and calls its
// `registerPassRegistryCallbacks`, which adds the plugin's passes to the
// global pass registry (in libMLIR.so, shared with kiln-opt). From then on
// they can be named in `--pass-pipeline` like any built-in pass.
//
//===----------------------------------------------------------------------===//

#include "Passes.h"

#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"

/// The plugin's description, read by mlir::PassPlugin::load.
extern "C" LLVM_ATTRIBUTE_WEAK mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "KilnExamplePassPlugin", LLVM_VERSION_STRING,
          []() { kiln::example::registerKilnExamplePasses(); }};
}
