//===- PipelineText.h - kilnc's textual pass pipelines ----------*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// kilnc works on its pass pipeline as text, the form `kiln-opt
/// --pass-pipeline` accepts: --print-pipeline prints it, --dump-after names
/// its passes, and --run-pass-after/--run-pass-before splice plugin
/// pipelines into it before it is parsed back.
///
//===----------------------------------------------------------------------===//

#ifndef KILN_TOOLS_KILNC_PIPELINETEXT_H
#define KILN_TOOLS_KILNC_PIPELINETEXT_H

#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace kilnc {

/// One element of a textual pass pipeline: a pass with its options, or an op
/// anchor (`func.func`) with the pipeline nested in it.
struct PipelineElement {
  std::string name;
  /// The options as written, braces included (`{max-iterations=10}`), or
  /// empty.
  std::string options;
  bool isAnchor = false;
  std::vector<PipelineElement> nested;
};

/// A pipeline to run before or after each run of a pass of kilnc's
/// pipeline (--run-pass-before, --run-pass-after).
struct Insertion {
  std::string point;
  bool before;
  /// The elements of the pipeline to run on the module.
  std::vector<PipelineElement> elements;
};

/// Returns `pm` as `kiln-opt --pass-pipeline` accepts it, e.g.
/// `builtin.module(canonicalize{...},cse,func.func(...),...)`.
std::string getTextualPipeline(const mlir::OpPassManager &pm);

/// Returns the pass arguments of a textual pipeline in pipeline order,
/// nested passes included, with `{...}` options skipped.
std::vector<std::string> getPassArguments(llvm::StringRef pipeline);

/// Parses `text`, a pipeline anchored on one op (`builtin.module(...)`),
/// into its anchor element.
std::optional<PipelineElement> parseAnchoredPipeline(llvm::StringRef text);

/// Appends `element` to `os` in pipeline syntax.
void printElement(const PipelineElement &element, llvm::raw_ostream &os);

/// An element of a pipeline being spliced, or the index of an insertion
/// that runs at module level at that point.
using SplicedItem = std::variant<PipelineElement, size_t>;

/// Returns `elements` with a marker for each insertion before or after each
/// pass it names; an anchor around such a pass is split around the marker.
std::vector<SplicedItem>
spliceInsertions(const std::vector<PipelineElement> &elements,
                 llvm::ArrayRef<Insertion> insertions);

} // namespace kilnc

#endif // KILN_TOOLS_KILNC_PIPELINETEXT_H
