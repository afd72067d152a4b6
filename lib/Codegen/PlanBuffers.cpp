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
// again, so its interval within the body is exact. The iterations of a
// parallel loop (scf.parallel with constant bounds) may run at once: the
// buffers allocated in its body are planned among themselves into one
// slot, and the loop takes one slot per iteration, a single buffer of the
// function's plan that lives as long as the loop; each iteration's views
// are at its own slot.
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

/// Gap between the slots of a parallel loop's iterations: 128 KiB plus
/// kStagger. Measured, not explained: LeNet's conv1 on two threads took
/// 0.36 ms with its two slots kStagger apart, 0.34 ms 48 KiB apart, 0.31
/// ms 64 KiB apart and 0.26 ms (as fast as separate allocations) from
/// 128 KiB apart on.
static constexpr int64_t kSlotGap = 128 * 1024 + kStagger;

static int64_t alignUp(int64_t bytes) {
  return (bytes + kAlignment - 1) / kAlignment * kAlignment;
}

namespace {
struct Plan;

/// One temporary buffer of an entry point, or the slots of a parallel loop.
struct Buffer {
  /// The allocation, or null for the slots of `parallel`.
  memref::AllocOp alloc;
  scf::ParallelOp parallel;
  int64_t bytes = 0;
  /// First and last op number (inclusive) of its life.
  int64_t start = 0, end = 0;
  SmallVector<memref::DeallocOp> deallocs;
  /// Byte offset in the workspace, once placed.
  int64_t offset = -1;
};

/// The memory plan of one entry point, or of one iteration of a parallel
/// loop.
struct Plan {
  SmallVector<Buffer> buffers;
  /// Allocs left alone, with the reason.
  SmallVector<std::pair<memref::AllocOp, std::string>> unplanned;
  int64_t workspace = 0;
  /// The plans of the parallel loops' iterations, with the bytes between
  /// consecutive slots and the number of slots.
  struct Slots {
    scf::ParallelOp loop;
    std::unique_ptr<Plan> plan;
    int64_t stride = 0, count = 0;
  };
  SmallVector<Slots> parallels;
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
      } else if (auto call = dyn_cast<CallOpInterface>(user)) {
        // A function of the module that returns no buffer (the parts of
        // kiln-parallelize-loops) uses its arguments only during the call.
        auto callee = dyn_cast_or_null<func::FuncOp>(call.resolveCallable());
        if (!callee || callee.isExternal() ||
            llvm::any_of(callee.getResultTypes(),
                         [](Type t) { return isa<BaseMemRefType>(t); }))
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

/// Returns the iterations of the 1-D or n-D `loop` if its bounds and steps
/// are constants, else std::nullopt.
static std::optional<int64_t> getIterationCount(scf::ParallelOp loop) {
  int64_t count = 1;
  for (auto [lower, upper, step] :
       llvm::zip(loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
    std::optional<int64_t> l = getConstantIntValue(lower),
                           u = getConstantIntValue(upper),
                           s = getConstantIntValue(step);
    if (!l || !u || !s || *s <= 0)
      return std::nullopt;
    count *= std::max<int64_t>(0, (*u - *l + *s - 1) / *s);
  }
  return count;
}

/// Adds `alloc` to `plan` (or to its `unplanned` list, with the reason).
static void analyzeAlloc(Plan &plan, memref::AllocOp alloc,
                         const DenseMap<Operation *, int64_t> &number,
                         const DenseMap<Operation *, int64_t> &last) {
  auto unplanned = [&](const Twine &why) {
    plan.unplanned.push_back({alloc, why.str()});
  };
  MemRefType type = alloc.getType();
  std::optional<int64_t> bytes = staticBytes(type);
  if (!bytes || *bytes == 0)
    return unplanned("its size is not a static, nonzero number of bytes");
  if (!type.getLayout().isIdentity() || type.getMemorySpace())
    return unplanned("it has a layout or a memory space");
  if (alloc->getParentOfType<scf::ForallOp>())
    return unplanned("it is allocated in an scf.forall");
  Buffer buffer;
  buffer.alloc = alloc;
  buffer.bytes = *bytes;
  buffer.start = number.lookup(alloc);
  std::string why = analyzeUses(buffer, last);
  if (!why.empty())
    return unplanned(why);
  plan.buffers.push_back(std::move(buffer));
}

/// Builds the plan of `func` without changing it.
static Plan analyze(func::FuncOp func) {
  DenseMap<Operation *, int64_t> number, last;
  numberOps(func, number, last);
  Plan plan;
  // The slots of each parallel loop with allocations in its body.
  DenseMap<Operation *, unsigned> slotsOf;
  func.walk([&](memref::AllocOp alloc) {
    auto loop = alloc->getParentOfType<scf::ParallelOp>();
    if (!loop)
      return analyzeAlloc(plan, alloc, number, last);
    std::optional<int64_t> count = getIterationCount(loop);
    if (!count || loop->getParentOfType<scf::ParallelOp>()) {
      plan.unplanned.push_back(
          {alloc, count ? "it is allocated in nested parallel loops"
                        : "it is allocated in a parallel loop whose bounds "
                          "are not constants"});
      return;
    }
    auto [it, inserted] = slotsOf.try_emplace(loop, plan.parallels.size());
    if (inserted)
      plan.parallels.push_back(
          {loop, std::make_unique<Plan>(), /*stride=*/0, *count});
    analyzeAlloc(*plan.parallels[it->second].plan, alloc, number, last);
  });
  for (Plan::Slots &slots : plan.parallels) {
    placeBuffers(*slots.plan);
    if (slots.plan->buffers.empty())
      continue;
    slots.stride = alignUp(slots.plan->workspace) + kSlotGap;
    Buffer buffer;
    buffer.parallel = slots.loop;
    buffer.bytes = slots.stride * slots.count;
    buffer.start = number.lookup(slots.loop);
    buffer.end = last.lookup(slots.loop);
    plan.buffers.push_back(std::move(buffer));
  }
  placeBuffers(plan);
  return plan;
}

/// Returns the number of the iteration of `loop` that its body runs, built
/// at the start of the body: the induction variables' positions within
/// their ranges, in row-major order.
static Value buildIterationNumber(OpBuilder &builder, scf::ParallelOp loop) {
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(loop.getBody());
  Location loc = loop.getLoc();
  Value number;
  for (auto [iv, lower, upper, step] :
       llvm::zip(loop.getInductionVars(), loop.getLowerBound(),
                 loop.getUpperBound(), loop.getStep())) {
    int64_t l = *getConstantIntValue(lower), u = *getConstantIntValue(upper),
            s = *getConstantIntValue(step);
    Value position = builder.create<arith::DivUIOp>(
        loc,
        builder.create<arith::SubIOp>(
            loc, iv, builder.create<arith::ConstantIndexOp>(loc, l)),
        builder.create<arith::ConstantIndexOp>(loc, s));
    if (!number) {
      number = position;
      continue;
    }
    int64_t extent = (u - l + s - 1) / s;
    number = builder.create<arith::AddIOp>(
        loc,
        builder.create<arith::MulIOp>(
            loc, number, builder.create<arith::ConstantIndexOp>(loc, extent)),
        position);
  }
  return number;
}

/// Replaces each planned alloc of `plan` by a view of `workspace` at
/// `base` plus its offset, with its deallocs erased; `base` is null for
/// offset 0.
static void applyPlan(OpBuilder &builder, Plan &plan, Value workspace,
                      Value base) {
  for (Buffer &buffer : plan.buffers) {
    if (!buffer.alloc)
      continue;
    for (memref::DeallocOp dealloc : buffer.deallocs)
      dealloc.erase();
    builder.setInsertionPoint(buffer.alloc);
    Location loc = buffer.alloc.getLoc();
    Value offset = builder.create<arith::ConstantIndexOp>(loc, buffer.offset);
    if (base)
      offset = builder.create<arith::AddIOp>(loc, base, offset);
    Value view = builder.create<memref::ViewOp>(
        loc, buffer.alloc.getType(), workspace, offset, ValueRange{});
    buffer.alloc.replaceAllUsesWith(view);
    buffer.alloc.erase();
  }
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
    if (buffer.alloc)
      table.append({buffer.offset, buffer.bytes});
  OpBuilder builder(ctx);
  for (Plan::Slots &slots : plan.parallels) {
    if (slots.plan->buffers.empty())
      continue;
    const Buffer *whole = llvm::find_if(plan.buffers, [&](const Buffer &b) {
      return b.parallel == slots.loop;
    });
    // The slots' buffers at each of their constant offsets, for the alias
    // scopes of kiln-translate (the accesses in an outlined parallel body
    // get none today, as their offsets are not constants).
    for (int64_t slot = 0; slot < slots.count; ++slot)
      for (const Buffer &buffer : slots.plan->buffers)
        table.append({whole->offset + slot * slots.stride + buffer.offset,
                      buffer.bytes});
    Value number = buildIterationNumber(builder, slots.loop);
    builder.setInsertionPointAfterValue(number);
    Location loc = slots.loop.getLoc();
    Value base = builder.create<arith::AddIOp>(
        loc, builder.create<arith::ConstantIndexOp>(loc, whole->offset),
        builder.create<arith::MulIOp>(
            loc, number,
            builder.create<arith::ConstantIndexOp>(loc, slots.stride)));
    applyPlan(builder, *slots.plan, workspace, base);
  }
  func->setAttr(kWorkspaceBuffersAttrName, DenseI64ArrayAttr::get(ctx, table));
  applyPlan(builder, plan, workspace, Value());
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
      int64_t unshared = 0, count = 0;
      for (const Buffer &buffer : plan.buffers)
        if (buffer.alloc) {
          unshared += alignUp(buffer.bytes);
          ++count;
        }
      SmallVector<std::pair<memref::AllocOp, std::string>> unplanned =
          plan.unplanned;
      for (const Plan::Slots &slots : plan.parallels) {
        for (const Buffer &buffer : slots.plan->buffers) {
          unshared += slots.count * alignUp(buffer.bytes);
          count += slots.count;
        }
        llvm::append_range(unplanned, slots.plan->unplanned);
      }
      if (report) {
        func.emitRemark() << "memory plan of '"
                          << name.drop_front(kiln::nn::kEntryPrefix.size())
                          << "': arguments " << arguments << " bytes, " << count
                          << " buffers in a workspace of " << plan.workspace
                          << " bytes (" << unshared << " without reuse), peak "
                          << arguments + plan.workspace << " bytes"
                          << (unplanned.empty()
                                  ? ""
                                  : " plus the unplanned buffers");
        for (auto &[alloc, why] : unplanned)
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
