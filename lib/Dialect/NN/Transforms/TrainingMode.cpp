//===- TrainingMode.cpp - the training form of a model --------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// applyTrainingMode (TrainingMode.h): dropout, random sampling and batch
// norm in their training form. The ops are rebuilt through OperationState
// and verified, so a model that misuses them is reported with the op's own
// numbered constraint.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/Transforms/TrainingMode.h"
#include "kiln/Dialect/NN/IR/NNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringMap.h"

using namespace mlir;
using namespace kiln::nn;

/// Batch norm's default momentum (PyTorch's) when the op does not say.
static constexpr double kDefaultMomentum = 0.1;

/// Replaces `op` by `nn.<name>` with `operands`, `op`'s attributes plus
/// `extra`, and `types`; verifies it. Returns the new op or null.
static Operation *rebuild(Operation *op, StringRef name, ValueRange operands,
                          TypeRange types, ArrayRef<NamedAttribute> extra) {
  OpBuilder b(op);
  OperationState state(op->getLoc(), name);
  state.addOperands(operands);
  state.addTypes(types);
  NamedAttrList attrs(op->getAttrDictionary());
  for (NamedAttribute attr : extra)
    attrs.set(attr.getName(), attr.getValue());
  state.addAttributes(attrs);
  Operation *created = b.create(state);
  if (failed(mlir::verify(created))) {
    created->erase();
    return nullptr;
  }
  for (unsigned i = 0, e = op->getNumResults(); i < e; ++i)
    op->getResult(i).replaceAllUsesWith(created->getResult(i));
  op->erase();
  return created;
}

FailureOr<SmallVector<BufferUpdate>>
kiln::nn::applyTrainingMode(func::FuncOp func, Value step,
                            StringRef errorFunc) {
  SmallVector<Operation *> ops;
  func.walk([&](Operation *op) {
    StringRef name = op->getName().getStringRef();
    if (name == "nn.dropout" || name == "nn.random_normal" ||
        name == "nn.batch_norm")
      ops.push_back(op);
  });

  Builder b(func.getContext());
  SmallVector<BufferUpdate> updates;
  llvm::StringMap<Location> updatedAt;
  bool ok = true;
  for (Operation *op : ops) {
    StringRef name = op->getName().getStringRef();
    if (name == "nn.dropout") {
      if (op->hasAttr("training"))
        continue; // Written in training form already: keep its key.
      SmallVector<Value> operands = {op->getOperand(0), step};
      ok &= rebuild(op, name, operands, op->getResultTypes(),
                    {b.getNamedAttr("training", b.getUnitAttr())}) != nullptr;
      continue;
    }
    if (name == "nn.random_normal") {
      if (op->getNumOperands() == 0)
        ok &= rebuild(op, name, step, op->getResultTypes(), {}) != nullptr;
      continue;
    }
    // nn.batch_norm %x, %gamma, %beta, %mean, %var
    SmallVector<std::string, 2> buffers;
    for (unsigned i : {3u, 4u}) {
      auto param = op->getOperand(i).getDefiningOp<ParamOp>();
      if (!param || !param.getBuffer()) {
        op->emitError("cannot train '")
            << errorFunc << "': the running "
            << (i == 3 ? "mean" : "variance")
            << " of this nn.batch_norm must be an `nn.param ... buffer`, "
               "which the training step updates";
        ok = false;
        break;
      }
      auto [it, inserted] =
          updatedAt.try_emplace(param.getName(), op->getLoc());
      if (!inserted) {
        op->emitError("cannot train '")
            << errorFunc << "': buffer '" << param.getName()
            << "' is the running statistics of two nn.batch_norm ops";
        ok = false;
        break;
      }
      buffers.push_back(param.getName().str());
    }
    if (buffers.size() != 2)
      continue;
    NamedAttrList extra;
    if (!op->hasAttr("momentum"))
      extra.set("momentum", b.getF64FloatAttr(kDefaultMomentum));
    SmallVector<Type> types = {op->getResult(0).getType(),
                               op->getOperand(3).getType(),
                               op->getOperand(4).getType()};
    Operation *train = rebuild(op, "nn.batch_norm_train", op->getOperands(),
                               types, extra.getAttrs());
    if (!train) {
      ok = false;
      continue;
    }
    updates.push_back({buffers[0], train->getResult(1)});
    updates.push_back({buffers[1], train->getResult(2)});
  }
  if (!ok)
    return failure();
  return updates;
}
