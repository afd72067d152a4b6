//===- ParallelizeLoops.cpp - Large loops on threads ----------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// What is left of a training step after the product and transpose kernels
// is linalg ops that become plain loops: activations, pooling, the
// convolutions' layout copies, optimizer updates, fills. On large buffers
// they wait on memory, and one core's share of the memory bandwidth is
// about half of what two get. This pass tiles the outermost loop of each
// large one into a few parts run as an `scf.parallel`; each part computes
// whole slices of the results, with the loops inside (and any reduction)
// unchanged, so the results do not depend on the number of threads.
//
// The OpenMP translation outlines the loop body into a function that gets
// its buffers through a struct, so LLVM no longer knows that they are
// distinct objects, and leaves loops with short rows (pooling's 14
// columns) scalar rather than check at run time. The tiled op therefore
// goes into a function of its own, called from the loop body. When the
// buffers it writes are views of roots (allocations or arguments of the
// entry, which never overlap while both are in use; docs/Codegen.md) that
// no other operand shares, the function is marked kiln.distinct_buffers,
// and the translation to LLVM IR makes its pointer arguments `noalias`.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"
#include "kiln/Codegen/Transforms.h"

#include "kiln/Dialect/NN/Transforms/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/RegionUtils.h"

namespace kiln {
#define GEN_PASS_DEF_KILNPARALLELIZELOOPS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

/// Parts the outermost loop is tiled into: the static schedule gives each
/// thread a contiguous run of them.
static constexpr int64_t kParts = 8;

/// Innermost loop extent from which a part is compiled for size.
static constexpr int64_t kLongRow = 64;

/// Returns the bytes of the buffers `op` reads and writes, if they all have
/// static shapes and element types of known width.
static std::optional<int64_t> getOperandBytes(linalg::LinalgOp op) {
  int64_t total = 0;
  for (Value operand : op->getOperands()) {
    auto type = dyn_cast<MemRefType>(operand.getType());
    if (!type)
      continue;
    if (!type.hasStaticShape() || !type.getElementType().isIntOrIndexOrFloat())
      return std::nullopt;
    unsigned bits = type.getElementType().isIndex()
                        ? 64
                        : type.getElementType().getIntOrFloatBitWidth();
    total += type.getNumElements() * ((bits + 7) / 8);
  }
  return total;
}

namespace kiln {
namespace {
struct KilnParallelizeLoops
    : public impl::KilnParallelizeLoopsBase<KilnParallelizeLoops> {
  using KilnParallelizeLoopsBase::KilnParallelizeLoopsBase;

  /// Returns the extent of the outermost loop of `op` if the pass tiles it.
  std::optional<int64_t> getOuterExtent(linalg::LinalgOp op) {
    if (!op.hasPureBufferSemantics() || op.getNumLoops() == 0 ||
        isa<linalg::ContractionOpInterface>(op.getOperation()) ||
        op->getParentOfType<scf::ParallelOp>() ||
        op.getIteratorTypesArray()[0] != utils::IteratorType::parallel)
      return std::nullopt;
    // Every operand is sliced along one of its dimensions, or not at all:
    // loop 0 appears only as a whole result of an indexing map. (linalg's
    // tiling takes the slice of an operand indexed by, say, `64 * (d1 + 1)
    // + d0` to start at the map's value at the tile's start, then applies
    // the same map to the slice, counting the constant twice.)
    for (AffineMap map : op.getIndexingMapsArray()) {
      unsigned uses = 0;
      for (AffineExpr result : map.getResults()) {
        if (!result.isFunctionOfDim(0))
          continue;
        auto dim = dyn_cast<AffineDimExpr>(result);
        if (!dim || ++uses > 1)
          return std::nullopt;
      }
    }
    std::optional<int64_t> bytes = getOperandBytes(op);
    if (!bytes || *bytes < minBytes)
      return std::nullopt;
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    if (ShapedType::isDynamic(ranges[0]) || ranges[0] < 2)
      return std::nullopt;
    return ranges[0];
  }

  /// Moves `op` into a new private function at the end of the module,
  /// called in its
  /// place; marks it kiln.distinct_buffers if the buffers it writes are
  /// views of allocations or arguments of `func` that no other operand
  /// shares.
  void outline(RewriterBase &rewriter, func::FuncOp func, linalg::LinalgOp op,
               unsigned number) {
    MLIRContext *context = &getContext();
    // The op's operands, each buffer once (an update in place reads and
    // writes one buffer through two operands: passed twice, LLVM would
    // have to check at run time whether they overlap, and find that they
    // do), and the values its body uses from above, except constants,
    // which the new function defines itself.
    llvm::SetVector<Value> unique(op->operand_begin(), op->operand_end());
    SmallVector<Value> operands(unique.begin(), unique.end());
    SetVector<Value> captured;
    getUsedValuesDefinedAbove(op->getRegions(), captured);
    SmallVector<Operation *> constants;
    for (Value value : captured) {
      Operation *def = value.getDefiningOp();
      if (def && def->hasTrait<OpTrait::ConstantLike>())
        constants.push_back(def);
      else
        operands.push_back(value);
    }
    // Distinct: every buffer root is an allocation or an argument of
    // `func`, and each buffer the op writes shares its root with no other
    // argument (buffers that are only read may share theirs: `noalias`
    // only concerns memory written during the call).
    bool distinct = true;
    SmallVector<Value> roots;
    for (Value operand : unique) {
      Value root = isa<MemRefType>(operand.getType())
                       ? codegen::getRootBuffer(operand)
                       : Value();
      auto argument = dyn_cast_or_null<BlockArgument>(root);
      if (root && !root.getDefiningOp<memref::AllocOp>() &&
          !(argument && argument.getOwner() == &func.front()))
        distinct = false;
      roots.push_back(root);
    }
    for (Value init : op.getDpsInits()) {
      Value root =
          roots[std::distance(unique.begin(), llvm::find(unique, init))];
      if (llvm::count(roots, root) != 1)
        distinct = false;
    }
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToEnd(getOperation().getBody());
    std::string name =
        ("_kiln_part_" + llvm::Twine(number) + "_" + func.getSymName()).str();
    auto part = rewriter.create<func::FuncOp>(
        op.getLoc(), name,
        FunctionType::get(context, TypeRange(ValueRange(operands)), {}));
    part.setPrivate();
    // Internal to the LLVM module and never inlined, so that its own
    // attributes (`noalias` arguments, `optsize`) stay in effect. (Inlined,
    // pooling's backward pass ran as fast: 0.29-0.30 ms on one thread.)
    // When the innermost loop is long, optimized for size: LLVM otherwise
    // unrolls it
    // completely (a ReLU over 16 x 512 floats became one block of 2,566
    // instructions, and the MNIST MLP's compile time went from 0.93 to
    // 1.3-1.8 s). Short rows (pooling's 14 columns) are not: for size,
    // LLVM would not vectorize them (0.45 instead of 0.29 ms).
    part->setAttr("llvm.linkage",
                  LLVM::LinkageAttr::get(context, LLVM::Linkage::Internal));
    SmallVector<Attribute> attributes = {StringAttr::get(context, "noinline")};
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    if (!ranges.empty() && !ShapedType::isDynamic(ranges.back()) &&
        ranges.back() >= kLongRow)
      attributes.push_back(StringAttr::get(context, "optsize"));
    part->setAttr("passthrough", ArrayAttr::get(context, attributes));
    if (distinct)
      part->setAttr(nn::kDistinctBuffersAttrName, UnitAttr::get(context));
    Block *body = part.addEntryBlock();
    rewriter.setInsertionPointToStart(body);
    IRMapping mapping;
    mapping.map(operands, body->getArguments());
    for (Operation *constant : constants)
      rewriter.clone(*constant, mapping);
    rewriter.clone(*op, mapping);
    rewriter.create<func::ReturnOp>(op.getLoc());
    rewriter.setInsertionPoint(op);
    rewriter.create<func::CallOp>(op.getLoc(), part, operands);
    rewriter.eraseOp(op);
  }

  void runOnOperation() override {
    SmallVector<func::FuncOp> funcs(getOperation().getOps<func::FuncOp>());
    IRRewriter rewriter(&getContext());
    for (func::FuncOp func : funcs) {
      SmallVector<std::pair<linalg::LinalgOp, int64_t>> ops;
      func.walk([&](linalg::LinalgOp op) {
        if (std::optional<int64_t> extent = getOuterExtent(op))
          ops.push_back({op, *extent});
      });
      unsigned number = 0;
      for (auto [op, extent] : ops) {
        SmallVector<int64_t> sizes(op.getNumLoops(), 0);
        sizes[0] = llvm::divideCeil(extent, std::min(extent, kParts));
        linalg::LinalgTilingOptions options;
        options.setTileSizes(sizes).setLoopType(
            linalg::LinalgTilingLoopType::ParallelLoops);
        rewriter.setInsertionPoint(op);
        FailureOr<linalg::TiledLinalgOp> tiled =
            linalg::tileLinalgOp(rewriter, op, options);
        if (failed(tiled))
          continue;
        rewriter.eraseOp(op);
        // One subview per buffer: the tiling slices an operand that is
        // both read and written (an update in place) once for each use.
        DominanceInfo dominance;
        eliminateCommonSubExpressions(rewriter, dominance,
                                      tiled->loops.front());
        outline(rewriter, func, tiled->op, number++);
      }
    }
  }
};
} // namespace
} // namespace kiln
