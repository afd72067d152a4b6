//===- NNRecurrentOps.cpp - verifiers of the recurrent ops ---===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Verifiers (numbered constraints, see docs/Spec.md) of nn.rnn, nn.lstm,
// nn.gru and their backward ops, declared in NNRecurrentOps.td. One function
// checks the operand shapes of the whole family, so that `<op>_c<N>` means
// the same rule for the three layers and their backward ops. The products
// `G*H` are overflow-checked.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/IR/NNOps.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

#include <string>

using namespace mlir;
using namespace kiln::nn;

namespace {

/// Formats a shape as `4x8` (or `scalar` for rank 0) for diagnostics.
std::string formatShape(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleave(shape, os, "x");
  return s;
}

/// Emits the diagnostics of one op, `'<op>' op (<prefix>_c<N>) <message>`.
class ConstraintEmitter {
public:
  explicit ConstraintEmitter(Operation *op) : op(op) {
    StringRef name = op->getName().getStringRef();
    prefix = name.drop_front(name.find('.') + 1).str();
  }

  LogicalResult fail(unsigned number, const Twine &message) const {
    return op->emitOpError()
           << "(" << prefix << "_c" << number << ") " << message.str();
  }

private:
  Operation *op;
  std::string prefix;
};

/// The sizes of a recurrent layer: batch, time, input features, hidden size.
struct RecurrentSizes {
  int64_t batch, time, input, hidden;
};

/// A sequence-shaped value `[B, T, H]` checked by constraint 7: the result
/// of a layer, or `y` and `dy` of a backward op.
struct NamedSequence {
  StringRef name;
  Type type;
};

ArrayRef<int64_t> shapeOf(Type type) {
  return cast<RankedTensorType>(type).getShape();
}

/// "G*H" for diagnostics, "H" for one gate block.
std::string gateRows(int64_t gates) {
  return gates == 1 ? std::string("H") : std::to_string(gates) + "*H";
}

/// Checks `<op>_c1` .. `<op>_c7` of a recurrent layer with `gates` weight
/// blocks (ODS has checked that every type is a static f32 tensor).
FailureOr<RecurrentSizes>
verifyRecurrentShapes(const ConstraintEmitter &emit, int64_t gates, Value x,
                      Value wIh, Value wHh, Value bIh, Value bHh,
                      ArrayRef<NamedSequence> sequences) {
  ArrayRef<int64_t> xs = shapeOf(x.getType()), wih = shapeOf(wIh.getType()),
                    whh = shapeOf(wHh.getType()), bih = shapeOf(bIh.getType()),
                    bhh = shapeOf(bHh.getType());
  std::string rows = gateRows(gates);

  // c1: ranks.
  bool ranksOk = xs.size() == 3 && wih.size() == 2 && whh.size() == 2 &&
                 bih.size() == 1 && bhh.size() == 1 &&
                 llvm::all_of(sequences, [](const NamedSequence &s) {
                   return shapeOf(s.type).size() == 3;
                 });
  if (!ranksOk) {
    std::string expected = "x [B, T, I], w_ih [" + rows + ", I], w_hh [" +
                           rows + ", H], b_ih [" + rows + "], b_hh [" + rows +
                           "]";
    std::string got = formatShape(xs) + ", " + formatShape(wih) + ", " +
                      formatShape(whh) + ", " + formatShape(bih) + ", " +
                      formatShape(bhh);
    for (auto [i, s] : llvm::enumerate(sequences)) {
      bool last = i + 1 == sequences.size();
      expected += (last ? " and " : ", ") + s.name.str() + " [B, T, H]";
      got += (last ? " and " : ", ") + formatShape(shapeOf(s.type));
    }
    return emit.fail(1, "expects " + expected + ", got " + got);
  }

  RecurrentSizes sizes{xs[0], xs[1], xs[2], whh[1]};
  // c2: at least one step.
  if (sizes.time < 1)
    return emit.fail(2, "sequence length must be >= 1, got T = " +
                            Twine(sizes.time) + " in x " + formatShape(xs));

  // c3: w_hh is [G*H, H] with H >= 1.
  int64_t gateSize;
  if (sizes.hidden < 1 || llvm::MulOverflow(gates, sizes.hidden, gateSize) ||
      whh[0] != gateSize)
    return emit.fail(3, "w_hh must be [" + rows + ", H] with H >= 1, got " +
                            formatShape(whh));

  // c4: the hidden size of w_ih agrees with w_hh's.
  if (wih[0] != gateSize)
    return emit.fail(4, "w_ih " + formatShape(wih) + " and w_hh " +
                            formatShape(whh) +
                            " have different hidden sizes: w_hh gives H = " +
                            Twine(sizes.hidden) + ", so w_ih needs " +
                            Twine(gateSize) + " rows");

  // c5: w_ih reads the input features of x.
  if (wih[1] != sizes.input)
    return emit.fail(5, "w_ih " + formatShape(wih) + " has " + Twine(wih[1]) +
                            " input features but x " + formatShape(xs) +
                            " has I = " + Twine(sizes.input));

  // c6: biases.
  for (auto [name, shape] :
       {std::pair<StringRef, ArrayRef<int64_t>>{"b_ih", bih}, {"b_hh", bhh}})
    if (shape[0] != gateSize)
      return emit.fail(6, name + " must have shape " + Twine(gateSize) + " (" +
                              rows + "), got " + formatShape(shape));

  // c7: the sequences of hidden states.
  SmallVector<int64_t> expected = {sizes.batch, sizes.time, sizes.hidden};
  for (const NamedSequence &s : sequences)
    if (shapeOf(s.type) != ArrayRef<int64_t>(expected))
      return emit.fail(7, s.name + " must have shape " + formatShape(expected) +
                              " ([B, T, H]), got " +
                              formatShape(shapeOf(s.type)));
  return sizes;
}

/// Verifies a forward layer.
template <typename OpTy> LogicalResult verifyLayer(OpTy op) {
  ConstraintEmitter emit(op);
  NamedSequence result{"result", op.getType()};
  return success(succeeded(
      verifyRecurrentShapes(emit, OpTy::getNumGates(), op.getX(), op.getWIh(),
                            op.getWHh(), op.getBIh(), op.getBHh(), result)));
}

/// Verifies a backward op.
template <typename OpTy> LogicalResult verifyBackward(OpTy op) {
  ConstraintEmitter emit(op);
  NamedSequence sequences[] = {{"y", op.getY().getType()},
                               {"dy", op.getDy().getType()}};
  return success(succeeded(
      verifyRecurrentShapes(emit, OpTy::getNumGates(), op.getX(), op.getWIh(),
                            op.getWHh(), op.getBIh(), op.getBHh(), sequences)));
}

} // namespace

LogicalResult RNNOp::verify() { return verifyLayer(*this); }
LogicalResult LSTMOp::verify() { return verifyLayer(*this); }
LogicalResult GRUOp::verify() { return verifyLayer(*this); }
LogicalResult RNNBackwardOp::verify() { return verifyBackward(*this); }
LogicalResult LSTMBackwardOp::verify() { return verifyBackward(*this); }
LogicalResult GRUBackwardOp::verify() { return verifyBackward(*this); }
