//===- PlanBuffers.cpp - Static memory planning of entry points -----------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// After bufferization, every temporary of an entry point is a memref.alloc
// freed by a memref.dealloc that ownership-based deallocation puts at the
// end of the block. This pass computes when each buffer is really last
// used, packs the buffers whose lives do not overlap into the same bytes of
// one workspace, and turns each alloc into a memref.view of the workspace,
// a new last argument that the runtime allocates once (docs/Codegen.md,
// "Memory planning"; the ABI is in docs/Runtime.md).
//
// Lives are intervals over a pre-order numbering of the function's ops. A
// buffer allocated in block B is live from its alloc to the end of the op
// of B that contains its last use (or the last use of a view of it), so a
// use inside a loop keeps a buffer from outside the loop alive to the end
// of the loop. A buffer allocated inside a loop body is local to one
// iteration, which runs to completion before the next one allocates it
// again, so its interval within the body is exact; loops whose iterations
// may run at once (scf.parallel, scf.forall) are not planned.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"
#include "kiln/Dialect/NN/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

namespace kiln {
#define GEN_PASS_DEF_KILNPLANBUFFERS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// Alignment of every buffer in the workspace, and of the workspace itself
/// (KILN_TENSOR_ALIGNMENT in the runtime).
static constexpr int64_t kAlignment = 64;

using kiln::nn::kWorkspaceAttrName;
using kiln::nn::kWorkspaceBuffersAttrName;

/// Gap left after each buffer that another one follows. Buffers whose sizes
/// are multiples of 4 KiB would otherwise start at the same address modulo
/// 4096, and x86 cores then take a load from one buffer as dependent on a
/// pending store to the other ("4K aliasing"): a product whose B operand and
/// result were both in the workspace ran 2.4x slower (0.44 against 0.18 ms,
/// test case 784x32x512). 17 cache lines: odd, so that the starts of
/// consecutive buffers differ modulo 4096 and modulo every smaller power of
/// two row stride.
static constexpr int64_t kStagger = 17 * kAlignment;

static int64_t alignUp(int64_t bytes) {
  return (bytes + kAlignment - 1) / kAlignment * kAlignment;
}

namespace {
/// One temporary buffer of an entry point.
struct Buffer {
  memref::AllocOp alloc;
  int64_t bytes = 0;
  /// First and last op number (inclusive) of its life.
  int64_t start = 0, end = 0;
  SmallVector<memref::DeallocOp> deallocs;
  /// Byte offset in the workspace, once placed.
  int64_t offset = -1;
};

/// The memory plan of one entry point.
struct Plan {
  SmallVector<Buffer> buffers;
  /// Allocs left alone, with the reason.
  SmallVector<std::pair<memref::AllocOp, std::string>> unplanned;
  int64_t workspace = 0;
};
} // namespace

/// Returns the bytes of a static memref of numbers, or std::nullopt.
static std::optional<int64_t> staticBytes(MemRefType type) {
  if (!type.hasStaticShape())
    return std::nullopt;
  Type element = type.getElementType();
  int64_t elementBytes;
  if (element.isIndex())
    elementBytes = 8;
  else if (element.isIntOrFloat())
    elementBytes = (element.getIntOrFloatBitWidth() + 7) / 8;
  else
    return std::nullopt;
  return type.getNumElements() * elementBytes;
}

/// Numbers the ops under `func` in pre-order, and records for each op the
/// number of the last op nested in it (itself if it has no regions).
static void numberOps(func::FuncOp func,
                      DenseMap<Operation *, int64_t> &number,
                      DenseMap<Operation *, int64_t> &last) {
  int64_t next = 0;
  func.walk<WalkOrder::PreOrder>(
      [&](Operation *op) { number[op] = next++; });
  func.walk<WalkOrder::PostOrder>([&](Operation *op) {
    int64_t end = number[op];
    for (Region &region : op->getRegions())
      for (Block &block : region)
        if (!block.empty())
          end = std::max(end, last[&block.back()]);
    last[op] = end;
  });
}

/// Fills in `buffer.end` and `buffer.deallocs` from the uses of the alloc
/// and of its views. Returns the reason it cannot be planned, or "".
static std::string analyzeUses(Buffer &buffer,
                               const DenseMap<Operation *, int64_t> &last) {
  Block *home = buffer.alloc->getBlock();
  SmallVector<Value> worklist = {buffer.alloc.getResult()};
  buffer.end = buffer.start;
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (OpOperand &use : value.getUses()) {
      Operation *user = use.getOwner();
      if (auto dealloc = dyn_cast<memref::DeallocOp>(user)) {
        if (dealloc->getBlock() != home)
          return "freed in another block";
        buffer.deallocs.push_back(dealloc);
        continue;
      }
      if (auto view = dyn_cast<ViewLikeOpInterface>(user);
          view && view.getViewSource() == value) {
        for (Value result : user->getResults())
          worklist.push_back(result);
      } else if (isa<CallOpInterface>(user)) {
        return "passed to a call";
      } else if (user->hasTrait<OpTrait::IsTerminator>()) {
        return "passed on by '" + user->getName().getStringRef().str() + "'";
      } else if (llvm::any_of(user->getResultTypes(),
                              [](Type t) { return isa<BaseMemRefType>(t); })) {
        return "aliased by '" + user->getName().getStringRef().str() + "'";
      }
      Operation *ancestor = home->findAncestorOpInBlock(*user);
      if (!ancestor)
        return "used outside its block";
      buffer.end = std::max(buffer.end, last.lookup(ancestor));
    }
  }
  return "";
}

/// Places the buffers: largest first, each at the lowest aligned offset
/// that no buffer with an overlapping life occupies, kStagger bytes apart.
static void placeBuffers(Plan &plan) {
  SmallVector<Buffer *> order;
  for (Buffer &buffer : plan.buffers)
    order.push_back(&buffer);
  // Starts are distinct, so this is a total order.
  llvm::sort(order, [](const Buffer *a, const Buffer *b) {
    return a->bytes != b->bytes ? a->bytes > b->bytes : a->start < b->start;
  });
  SmallVector<Buffer *> placed;
  for (Buffer *buffer : order) {
    SmallVector<Buffer *> overlapping;
    for (Buffer *other : placed)
      if (other->start <= buffer->end && buffer->start <= other->end)
        overlapping.push_back(other);
    llvm::sort(overlapping, [](const Buffer *a, const Buffer *b) {
      return a->offset < b->offset;
    });
    int64_t offset = 0;
    for (Buffer *other : overlapping) {
      if (offset + alignUp(buffer->bytes) + kStagger <= other->offset)
        break;
      offset =
          std::max(offset, alignUp(other->offset + other->bytes) + kStagger);
    }
    buffer->offset = offset;
    plan.workspace = std::max(plan.workspace, alignUp(offset + buffer->bytes));
    placed.push_back(buffer);
  }
}

/// Builds the plan of `func` without changing it.
static Plan analyze(func::FuncOp func) {
  DenseMap<Operation *, int64_t> number, last;
  numberOps(func, number, last);
  Plan plan;
  func.walk([&](memref::AllocOp alloc) {
    auto unplanned = [&](const Twine &why) {
      plan.unplanned.push_back({alloc, why.str()});
    };
    MemRefType type = alloc.getType();
    std::optional<int64_t> bytes = staticBytes(type);
    if (!bytes || *bytes == 0)
      return unplanned("its size is not a static, nonzero number of bytes");
    if (!type.getLayout().isIdentity() || type.getMemorySpace())
      return unplanned("it has a layout or a memory space");
    if (alloc->getParentOfType<scf::ParallelOp>() ||
        alloc->getParentOfType<scf::ForallOp>())
      return unplanned("it is allocated in a parallel loop");
    Buffer buffer;
    buffer.alloc = alloc;
    buffer.bytes = *bytes;
    buffer.start = number.lookup(alloc);
    std::string why = analyzeUses(buffer, last);
    if (!why.empty())
      return unplanned(why);
    plan.buffers.push_back(std::move(buffer));
  });
  placeBuffers(plan);
  return plan;
}

/// Rewrites `func` to take the workspace and carve the buffers out of it.
static void apply(func::FuncOp func, Plan &plan) {
  MLIRContext *ctx = func.getContext();
  unsigned index = func.getNumArguments();
  auto workspaceType =
      MemRefType::get({plan.workspace}, IntegerType::get(ctx, 8));
  func.insertArgument(index, workspaceType,
                      DictionaryAttr::get(ctx, {NamedAttribute(
                                                   StringAttr::get(
                                                       ctx, kWorkspaceAttrName),
                                                   UnitAttr::get(ctx))}),
                      func.getLoc());
  Value workspace = func.getArgument(index);
  SmallVector<int64_t> table;
  for (const Buffer &buffer : plan.buffers)
    table.append({buffer.offset, buffer.bytes});
  func->setAttr(kWorkspaceBuffersAttrName,
                DenseI64ArrayAttr::get(ctx, table));
  OpBuilder builder(ctx);
  for (Buffer &buffer : plan.buffers) {
    for (memref::DeallocOp dealloc : buffer.deallocs)
      dealloc.erase();
    builder.setInsertionPoint(buffer.alloc);
    Location loc = buffer.alloc.getLoc();
    Value offset =
        builder.create<arith::ConstantIndexOp>(loc, buffer.offset);
    Value view = builder.create<memref::ViewOp>(
        loc, buffer.alloc.getType(), workspace, offset, ValueRange{});
    buffer.alloc.replaceAllUsesWith(view);
    buffer.alloc.erase();
  }
}

/// Adds ` workspace=BYTES` to the `entry NAME` line of `signature`.
static std::string addWorkspace(StringRef signature, StringRef entry,
                                int64_t bytes) {
  SmallVector<StringRef> lines;
  signature.split(lines, '\n');
  std::string out;
  llvm::raw_string_ostream os(out);
  for (auto [i, line] : llvm::enumerate(lines)) {
    if (i)
      os << '\n';
    SmallVector<StringRef> fields;
    line.split(fields, ' ', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
    os << line;
    if (fields.size() >= 2 && fields[0] == "entry" && fields[1] == entry)
      os << " workspace=" << bytes;
  }
  return out;
}

/// Bytes of the static memref arguments of `func` (params, states, inputs
/// and outputs).
static int64_t argumentBytes(func::FuncOp func) {
  int64_t total = 0;
  for (Type type : func.getArgumentTypes())
    if (auto memref = dyn_cast<MemRefType>(type))
      total += staticBytes(memref).value_or(0);
  return total;
}

namespace {
struct KilnPlanBuffersPass
    : kiln::impl::KilnPlanBuffersBase<KilnPlanBuffersPass> {
  using KilnPlanBuffersBase::KilnPlanBuffersBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto signature =
        module->getAttrOfType<StringAttr>(kiln::nn::kSignatureAttrName);
    std::string text = signature ? signature.getValue().str() : "";
    for (auto func : module.getOps<func::FuncOp>()) {
      StringRef name = func.getSymName();
      if (func.isExternal() || !name.starts_with(kiln::nn::kEntryPrefix))
        continue;
      for (unsigned i = 0, e = func.getNumArguments(); i != e; ++i)
        if (func.getArgAttr(i, kWorkspaceAttrName)) {
          func.emitError() << "kiln-plan-buffers: '" << name
                           << "' already takes a workspace";
          return signalPassFailure();
        }
      Plan plan = analyze(func);
      int64_t arguments = argumentBytes(func);
      int64_t unshared = 0;
      for (const Buffer &buffer : plan.buffers)
        unshared += alignUp(buffer.bytes);
      if (report) {
        func.emitRemark() << "memory plan of '"
                          << name.drop_front(kiln::nn::kEntryPrefix.size())
                          << "': arguments " << arguments << " bytes, "
                          << plan.buffers.size() << " buffers in a workspace of "
                          << plan.workspace << " bytes (" << unshared
                          << " without reuse), peak "
                          << arguments + plan.workspace << " bytes"
                          << (plan.unplanned.empty()
                                  ? ""
                                  : " plus the unplanned buffers");
        for (auto &[alloc, why] : plan.unplanned)
          alloc.emitRemark() << "buffer " << alloc.getType()
                             << " not planned: " << why;
      }
      if (plan.buffers.empty())
        continue;
      apply(func, plan);
      if (signature)
        text = addWorkspace(
            text, name.drop_front(kiln::nn::kEntryPrefix.size()),
            plan.workspace);
    }
    if (signature)
      module->setAttr(kiln::nn::kSignatureAttrName,
                      StringAttr::get(module.getContext(), text));
  }
};
} // namespace
