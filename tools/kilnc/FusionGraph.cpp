//===- FusionGraph.cpp - kilnc --emit=fusion-dot --------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// The nn ops of the lowered program are the nodes and their operands the
// edges, one cluster per function. Each nn op gets a NameLoc tag
// `kiln.node.N` around its location; the lowering gives every op it creates
// the location of the nn op it lowers, and kiln-fuse-elementwise gives a
// fused op the locations of both ops it fuses, so after fusion the tags
// inside a linalg op's location name the nn ops whose work it does. nn ops
// that share a linalg op are in one fused group (the transitive closure:
// softmax's several kernels each fused with a different neighbour make one
// group); a group of two or more nn ops is drawn as a cluster labelled with
// the number of linalg ops (kernels) it became.
//
//===----------------------------------------------------------------------===//

#include "FusionGraph.h"

#include "kiln/Conversion/Passes.h"
#include "kiln/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/EquivalenceClasses.h"
#include "llvm/ADT/MapVector.h"

using namespace mlir;

static constexpr llvm::StringLiteral kTagPrefix = "kiln.node.";

/// Escapes `text` for a double-quoted Graphviz string.
static std::string escape(StringRef text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\')
      out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

/// "line L" of the first file location in `loc`, or "".
static std::string describeLine(Location loc) {
  std::string text;
  loc->walk([&](Location inner) {
    if (auto file = dyn_cast<FileLineColLoc>(inner)) {
      text = "line " + std::to_string(file.getLine());
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return text;
}

/// The name of argument `i` of `func`: its parameter or state name, its
/// `nn.name`, or `%argI`.
static std::string describeArgument(func::FuncOp func, unsigned i) {
  for (StringRef attr : {"nn.param", "nn.state"})
    if (auto dict = func.getArgAttrOfType<DictionaryAttr>(i, attr))
      if (auto name = dict.getAs<StringAttr>("name"))
        return name.getValue().str();
  if (auto name = func.getArgAttrOfType<StringAttr>(i, "nn.name"))
    return name.getValue().str();
  if (func.getArgAttr(i, "nn.step"))
    return "step";
  return "%arg" + std::to_string(i);
}

/// The node numbers of the tags inside `loc`.
static SmallVector<unsigned> getTags(Location loc) {
  SmallVector<unsigned> tags;
  loc->walk([&](Location inner) {
    if (auto name = dyn_cast<NameLoc>(inner)) {
      StringRef text = name.getName().getValue();
      unsigned n;
      if (text.consume_front(kTagPrefix) && !text.getAsInteger(10, n))
        tags.push_back(n);
    }
    return WalkResult::advance();
  });
  return tags;
}

LogicalResult kiln::emitFusionGraph(ModuleOp module,
                                    const PipelineOptions &options,
                                    llvm::raw_ostream &os) {
  // Tag the nn ops, in order.
  SmallVector<Operation *> nodes;
  module.walk([&](Operation *op) {
    if (!isa_and_nonnull<nn::NNDialect>(op->getDialect()))
      return;
    MLIRContext *context = op->getContext();
    op->setLoc(NameLoc::get(
        StringAttr::get(context, kTagPrefix + Twine(nodes.size())),
        op->getLoc()));
    nodes.push_back(op);
  });

  // Lower a copy through fusion.
  OwningOpRef<ModuleOp> fused = cast<ModuleOp>(module->clone());
  PassManager pm(module.getContext(), ModuleOp::getOperationName());
  pm.addPass(createKilnConvertNNToLinalg());
  pm.addPass(createCanonicalizerPass());
  buildLinalgFusionPipeline(pm, options);
  if (failed(pm.run(*fused)))
    return failure();

  // Group the nn ops that share a linalg op; count each group's kernels.
  llvm::EquivalenceClasses<unsigned> groups;
  for (unsigned n = 0; n < nodes.size(); ++n)
    groups.insert(n);
  SmallVector<SmallVector<unsigned>> kernels;
  fused->walk([&](linalg::LinalgOp op) {
    SmallVector<unsigned> tags = getTags(op->getLoc());
    if (tags.empty())
      return;
    for (unsigned tag : tags)
      if (tag < nodes.size())
        groups.unionSets(tags.front(), tag);
    kernels.push_back(tags);
  });
  llvm::DenseMap<unsigned, unsigned> kernelCount; // leader -> kernels
  for (const SmallVector<unsigned> &tags : kernels)
    if (tags.front() < nodes.size())
      ++kernelCount[groups.getLeaderValue(tags.front())];

  // Write the graph: one cluster per function, one per fused group inside.
  os << "digraph \"fusion\" {\n"
     << "  compound=true;\n"
     << "  node [shape=box, fontname=\"monospace\", fontsize=10];\n";
  llvm::DenseMap<Operation *, unsigned> index;
  for (auto [n, op] : llvm::enumerate(nodes))
    index[op] = n;
  unsigned clusterId = 0;
  for (auto func : module.getOps<func::FuncOp>()) {
    // Entry-point wrappers only call the model functions.
    bool hasNodes = false;
    func.walk([&](Operation *op) { hasNodes |= index.count(op) != 0; });
    if (!hasNodes)
      continue;
    os << "  subgraph \"cluster_" << escape(func.getSymName()) << "\" {\n"
       << "    label=\"@" << escape(func.getSymName()) << "\";\n"
       << "    style=dashed;\n";
    for (BlockArgument arg : func.getArguments())
      os << "    \"" << escape(func.getSymName()) << ".arg"
         << arg.getArgNumber() << "\" [shape=ellipse, label=\""
         << escape(describeArgument(func, arg.getArgNumber())) << "\"];\n";
    // Members of each group in this function, in order.
    llvm::MapVector<unsigned, SmallVector<unsigned>> members;
    func.walk([&](Operation *op) {
      auto it = index.find(op);
      if (it != index.end())
        members[groups.getLeaderValue(it->second)].push_back(it->second);
    });
    for (auto &[leader, group] : members) {
      bool cluster = group.size() > 1;
      if (cluster) {
        unsigned count = kernelCount.lookup(leader);
        os << "    subgraph \"cluster_fused_" << clusterId++ << "\" {\n"
           << "      label=\"fused: " << group.size() << " ops, " << count
           << (count == 1 ? " kernel" : " kernels") << "\";\n"
           << "      style=filled; fillcolor=\"#e8f0fe\";\n";
      }
      for (unsigned n : group) {
        Operation *op = nodes[n];
        std::string line = describeLine(op->getLoc());
        os << (cluster ? "      " : "    ") << "n" << n << " [label=\""
           << escape(op->getName().getStringRef())
           << (line.empty() ? "" : "\\n" + line) << "\"";
        if (!cluster && !kernelCount.lookup(leader))
          os << ", style=dotted";
        os << "];\n";
      }
      if (cluster)
        os << "    }\n";
    }
    os << "  }\n";
    // Edges from operands defined by nn ops or arguments of this function.
    func.walk([&](Operation *op) {
      auto it = index.find(op);
      if (it == index.end())
        return;
      for (Value operand : op->getOperands()) {
        if (Operation *def = operand.getDefiningOp()) {
          auto defIt = index.find(def);
          if (defIt != index.end())
            os << "  n" << defIt->second << " -> n" << it->second << ";\n";
        } else if (auto arg = dyn_cast<BlockArgument>(operand)) {
          if (arg.getOwner()->getParentOp() == func)
            os << "  \"" << escape(func.getSymName()) << ".arg"
               << arg.getArgNumber() << "\" -> n" << it->second << ";\n";
        }
      }
    });
  }
  os << "}\n";
  return success();
}
