//===- NNOps.cpp - nn dialect operations ----------------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Type inference, verifiers (numbered constraints, see docs/Spec.md), folders
// and canonicalization patterns of the nn ops.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/IR/NNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"

#include <cmath>

using namespace mlir;
using namespace kiln::nn;

#include "kiln/Dialect/NN/IR/NNOpsEnums.cpp.inc"

#define GET_OP_CLASSES
#include "kiln/Dialect/NN/IR/NNOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

/// Formats a shape as `4x8` (or `scalar` for rank 0) for diagnostics.
static std::string formatShape(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleave(shape, os, "x");
  return s;
}

/// Emits `'<op>' op (<constraint>) <message>` at `loc` when there is one.
static LogicalResult emitConstraint(std::optional<Location> loc,
                                    StringRef opName, StringRef constraint,
                                    const Twine &message) {
  return emitOptionalError(loc, "'", opName, "' op (", constraint, ") ",
                           message.str());
}

FailureOr<SmallVector<int64_t>>
kiln::nn::broadcastShapes(ArrayRef<ArrayRef<int64_t>> shapes) {
  size_t rank = 0;
  for (ArrayRef<int64_t> shape : shapes)
    rank = std::max(rank, shape.size());
  SmallVector<int64_t> result(rank, 1);
  for (ArrayRef<int64_t> shape : shapes) {
    size_t lead = rank - shape.size();
    for (auto [i, dim] : llvm::enumerate(shape)) {
      int64_t &out = result[lead + i];
      if (dim == out || dim == 1)
        continue;
      if (out != 1)
        return failure();
      out = dim;
    }
  }
  return result;
}

LogicalResult kiln::nn::inferBroadcastType(std::optional<Location> loc,
                                           StringRef opName,
                                           ArrayRef<Type> operandTypes,
                                           Type elementType,
                                           SmallVectorImpl<Type> &types) {
  SmallVector<ArrayRef<int64_t>> shapes;
  for (Type type : operandTypes) {
    auto ranked = dyn_cast<RankedTensorType>(type);
    if (!ranked)
      return emitOptionalError(loc, "'", opName,
                               "' op expects ranked tensor operands");
    shapes.push_back(ranked.getShape());
  }
  FailureOr<SmallVector<int64_t>> shape = broadcastShapes(shapes);
  if (failed(shape)) {
    std::string list;
    llvm::raw_string_ostream os(list);
    llvm::interleave(
        shapes, os, [&](ArrayRef<int64_t> s) { os << formatShape(s); }, ", ");
    return emitConstraint(loc, opName, "broadcast_c1",
                          "operand shapes " + list +
                              " are not broadcast-compatible");
  }
  types.push_back(RankedTensorType::get(*shape, elementType));
  return success();
}

LogicalResult kiln::nn::inferReduceType(std::optional<Location> loc,
                                        StringRef opName, Type input,
                                        ArrayRef<int64_t> axes, bool keepDims,
                                        SmallVectorImpl<Type> &types) {
  auto type = dyn_cast<RankedTensorType>(input);
  if (!type)
    return emitOptionalError(loc, "'", opName,
                             "' op expects a ranked tensor operand");
  int64_t rank = type.getRank();
  llvm::SmallSet<int64_t, 4> seen;
  for (int64_t axis : axes) {
    if (axis < 0 || axis >= rank)
      return emitConstraint(loc, opName, "reduce_c1",
                            "axis " + Twine(axis) +
                                " is out of range for rank " + Twine(rank));
    if (!seen.insert(axis).second)
      return emitConstraint(loc, opName, "reduce_c2",
                            "axis " + Twine(axis) + " is repeated");
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    if (!seen.contains(d))
      shape.push_back(type.getDimSize(d));
    else if (keepDims)
      shape.push_back(1);
  }
  types.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

FailureOr<int64_t> kiln::nn::getCheckedElementCount(ShapedType type) {
  if (!type.hasStaticShape())
    return failure();
  int64_t count = 1;
  for (int64_t dim : type.getShape())
    if (dim < 0 || llvm::MulOverflow(count, dim, count))
      return failure();
  int64_t bytes;
  int64_t width = std::max<int64_t>(1, (type.getElementTypeBitWidth() + 7) / 8);
  if (llvm::MulOverflow(count, width, bytes))
    return failure();
  return count;
}

LogicalResult kiln::nn::OpTrait::verifyElementCountFits(Operation *op) {
  auto check = [&](Type type, StringRef what, unsigned index) -> LogicalResult {
    auto shaped = dyn_cast<RankedTensorType>(type);
    if (!shaped || !shaped.hasStaticShape() ||
        succeeded(getCheckedElementCount(shaped)))
      return success();
    return op->emitOpError("(shape_c1) ")
           << what << " #" << index << " of type " << type
           << " has more bytes than fit in 64 bits";
  };
  for (auto [i, type] : llvm::enumerate(op->getOperandTypes()))
    if (failed(check(type, "operand", i)))
      return failure();
  for (auto [i, type] : llvm::enumerate(op->getResultTypes()))
    if (failed(check(type, "result", i)))
      return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

OpFoldResult NegOp::fold(FoldAdaptor) {
  // neg(neg(x)) -> x
  if (auto inner = getInput().getDefiningOp<NegOp>())
    return inner.getInput();
  return {};
}

template <typename SoftmaxLike>
static LogicalResult verifySoftmaxLike(SoftmaxLike op, StringRef constraint) {
  int64_t rank = op.getInput().getType().getRank();
  int64_t axis = op.getAxis();
  if (axis < 0 || axis >= rank)
    return op.emitOpError("(") << constraint << ") axis " << axis
                               << " is out of range for rank " << rank;
  return success();
}

LogicalResult SoftmaxOp::verify() {
  return verifySoftmaxLike(*this, "softmax_c1");
}
LogicalResult LogSoftmaxOp::verify() {
  return verifySoftmaxLike(*this, "log_softmax_c1");
}

//===----------------------------------------------------------------------===//
// CompareOp / SelectOp
//===----------------------------------------------------------------------===//

LogicalResult CompareOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location> location,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  Type lhs = adaptor.getLhs().getType(), rhs = adaptor.getRhs().getType();
  if (getElementTypeOrSelf(lhs) != getElementTypeOrSelf(rhs))
    return emitConstraint(location, getOperationName(), "compare_c1",
                          "operands have different element types");
  return inferBroadcastType(location, getOperationName(), {lhs, rhs},
                            IntegerType::get(context, 1), types);
}

LogicalResult SelectOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  return inferBroadcastType(location, getOperationName(),
                            {adaptor.getCondition().getType(),
                             adaptor.getOnTrue().getType(),
                             adaptor.getOnFalse().getType()},
                            Float32Type::get(context), types);
}

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto lhs = dyn_cast<RankedTensorType>(adaptor.getLhs().getType());
  auto rhs = dyn_cast<RankedTensorType>(adaptor.getRhs().getType());
  if (!lhs || !rhs)
    return emitOptionalError(location, "'nn.matmul' op expects ranked tensors");
  StringRef name = getOperationName();
  int64_t rank = lhs.getRank();
  if (rank != rhs.getRank() || (rank != 2 && rank != 3))
    return emitConstraint(location, name, "matmul_c1",
                          "expects two rank-2 or two rank-3 operands, got " +
                              formatShape(lhs.getShape()) + " and " +
                              formatShape(rhs.getShape()));
  ArrayRef<int64_t> a = lhs.getShape(), b = rhs.getShape();
  if (a[rank - 1] != b[rank - 2])
    return emitConstraint(location, name, "matmul_c2",
                          "contracting dimensions differ: " +
                              Twine(a[rank - 1]) + " vs " + Twine(b[rank - 2]));
  if (rank == 3 && a[0] != b[0])
    return emitConstraint(location, name, "matmul_c3",
                          "batch dimensions differ: " + Twine(a[0]) + " vs " +
                              Twine(b[0]));
  SmallVector<int64_t> shape(a.drop_back());
  shape.push_back(b.back());
  types.push_back(RankedTensorType::get(shape, Float32Type::get(context)));
  return success();
}

//===----------------------------------------------------------------------===//
// TransposeOp
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *context,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto type = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  if (!type)
    return emitOptionalError(location, "'nn.transpose' op expects a ranked "
                                       "tensor");
  ArrayRef<int64_t> perm = adaptor.getPerm();
  int64_t rank = type.getRank();
  if (static_cast<int64_t>(perm.size()) != rank)
    return emitConstraint(location, getOperationName(), "transpose_c1",
                          "perm has " + Twine(perm.size()) +
                              " entries but the input has rank " + Twine(rank));
  SmallVector<bool> seen(rank, false);
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p])
      return emitConstraint(location, getOperationName(), "transpose_c2",
                            "perm is not a permutation of 0.." +
                                Twine(rank - 1));
    seen[p] = true;
    shape.push_back(type.getDimSize(p));
  }
  types.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  // transpose(x, identity) -> x
  for (auto [i, p] : llvm::enumerate(getPerm()))
    if (static_cast<int64_t>(i) != p)
      return {};
  return getInput();
}

namespace {
/// transpose(transpose(x, p), q) -> transpose(x, p o q)
struct ComposeTransposes : public OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<TransposeOp>();
    if (!inner)
      return rewriter.notifyMatchFailure(op, "input is not a transpose");
    SmallVector<int64_t> perm;
    for (int64_t p : op.getPerm())
      perm.push_back(inner.getPerm()[p]);
    rewriter.replaceOpWithNewOp<TransposeOp>(op, inner.getInput(), perm);
    return success();
  }
};
} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<ComposeTransposes>(context);
}

//===----------------------------------------------------------------------===//
// ReshapeOp / BroadcastToOp
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto in = getInput().getType(), out = getResult().getType();
  if (in.getNumElements() != out.getNumElements())
    return emitOpError("(reshape_c1) cannot reshape ")
           << formatShape(in.getShape()) << " (" << in.getNumElements()
           << " elements) to " << formatShape(out.getShape()) << " ("
           << out.getNumElements() << " elements)";
  if (in.getElementType() != out.getElementType())
    return emitOpError("(reshape_c2) element types differ: ")
           << in.getElementType() << " vs " << out.getElementType();
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  // reshape(x : T -> T) -> x
  if (getInput().getType() == getType())
    return getInput();
  // reshape(constant) -> constant
  if (auto dense = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput()))
    return dense.reshape(getType());
  return {};
}

namespace {
/// reshape(reshape(x)) -> reshape(x)
struct CollapseReshapes : public OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<ReshapeOp>();
    if (!inner)
      return rewriter.notifyMatchFailure(op, "input is not a reshape");
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, op.getType(), inner.getInput());
    return success();
  }
};
} // namespace

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<CollapseReshapes>(context);
}

LogicalResult BroadcastToOp::verify() {
  auto in = getInput().getType(), out = getResult().getType();
  if (in.getRank() > out.getRank())
    return emitOpError("(broadcast_to_c1) cannot broadcast rank ")
           << in.getRank() << " to lower rank " << out.getRank();
  int64_t lead = out.getRank() - in.getRank();
  for (int64_t i = 0; i < in.getRank(); ++i) {
    int64_t dim = in.getDimSize(i);
    if (dim != 1 && dim != out.getDimSize(lead + i))
      return emitOpError("(broadcast_to_c2) cannot broadcast ")
             << formatShape(in.getShape()) << " to "
             << formatShape(out.getShape()) << ": dimension " << i << " is "
             << dim;
  }
  if (in.getElementType() != out.getElementType())
    return emitOpError("(broadcast_to_c3) element types differ: ")
           << in.getElementType() << " vs " << out.getElementType();
  return success();
}

OpFoldResult BroadcastToOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  // broadcast_to(splat) -> splat
  if (auto dense = dyn_cast_if_present<SplatElementsAttr>(adaptor.getInput()))
    return SplatElementsAttr::get(getType(), dense.getSplatValue<Attribute>());
  return {};
}

//===----------------------------------------------------------------------===//
// ConcatOp / SliceOp
//===----------------------------------------------------------------------===//

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  StringRef name = getOperationName();
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return emitConstraint(location, name, "concat_c1", "expects an input");
  auto first = dyn_cast<RankedTensorType>(inputs.front().getType());
  if (!first)
    return emitOptionalError(location, "'nn.concat' op expects ranked tensors");
  int64_t rank = first.getRank();
  int64_t axis = adaptor.getAxis();
  for (Value input : inputs) {
    auto type = dyn_cast<RankedTensorType>(input.getType());
    if (!type || type.getRank() != rank ||
        type.getElementType() != first.getElementType())
      return emitConstraint(location, name, "concat_c2",
                            "inputs differ in rank or element type");
  }
  if (axis < 0 || axis >= rank)
    return emitConstraint(location, name, "concat_c3",
                          "axis " + Twine(axis) + " is out of range for rank " +
                              Twine(rank));
  SmallVector<int64_t> shape(first.getShape());
  shape[axis] = 0;
  for (Value input : inputs) {
    auto type = cast<RankedTensorType>(input.getType());
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && type.getDimSize(d) != shape[d])
        return emitConstraint(location, name, "concat_c4",
                              "inputs differ in dimension " + Twine(d) + ": " +
                                  formatShape(first.getShape()) + " vs " +
                                  formatShape(type.getShape()));
    if (llvm::AddOverflow(shape[axis], type.getDimSize(axis), shape[axis]))
      return emitConstraint(location, name, "shape_c1",
                            "the concatenated dimension " + Twine(axis) +
                                " overflows 64 bits");
  }
  types.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  // concat(x) -> x
  if (getInputs().size() == 1)
    return getInputs().front();
  return {};
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *context,
                                        std::optional<Location> location,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  StringRef name = getOperationName();
  auto type = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  if (!type)
    return emitOptionalError(location, "'nn.slice' op expects a ranked tensor");
  ArrayRef<int64_t> offsets = adaptor.getOffsets(), sizes = adaptor.getSizes(),
                    strides = adaptor.getStrides();
  int64_t rank = type.getRank();
  if (static_cast<int64_t>(offsets.size()) != rank ||
      static_cast<int64_t>(sizes.size()) != rank ||
      static_cast<int64_t>(strides.size()) != rank)
    return emitConstraint(location, name, "slice_c1",
                          "offsets, sizes and strides need " + Twine(rank) +
                              " entries each");
  for (int64_t d = 0; d < rank; ++d) {
    if (offsets[d] < 0 || sizes[d] < 1 || strides[d] < 1)
      return emitConstraint(
          location, name, "slice_c2",
          "dimension " + Twine(d) +
              " needs offset >= 0, size >= 1 and stride >= 1");
    int64_t last;
    if (llvm::MulOverflow(sizes[d] - 1, strides[d], last) ||
        llvm::AddOverflow(last, offsets[d], last) || last >= type.getDimSize(d))
      return emitConstraint(location, name, "slice_c3",
                            "dimension " + Twine(d) + " reads past its size " +
                                Twine(type.getDimSize(d)));
  }
  types.push_back(RankedTensorType::get(sizes, type.getElementType()));
  return success();
}

OpFoldResult SliceOp::fold(FoldAdaptor) {
  // slice(x) covering all of x -> x. With equal types every size equals its
  // dimension, so the slice is the identity when it starts at 0 and reads
  // consecutive elements (the stride of a size-1 dimension is never used).
  if (getInput().getType() != getType())
    return {};
  for (auto [offset, size, stride] :
       llvm::zip(getOffsets(), getSizes(), getStrides()))
    if (offset != 0 || (stride != 1 && size != 1))
      return {};
  return getInput();
}

//===----------------------------------------------------------------------===//
// ConstantOp / ParamOp
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> location,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  auto value = dyn_cast_if_present<ElementsAttr>(adaptor.getValueAttr());
  if (!value)
    return emitOptionalError(location, "'nn.constant' op expects a value");
  types.push_back(value.getType());
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

/// The most elements a constant may have (constant_c1).
static constexpr int64_t kMaxConstantElements = int64_t(1) << 24;

LogicalResult ConstantOp::verify() {
  auto type = dyn_cast<ShapedType>(getValue().getType());
  if (type && type.hasStaticShape() &&
      type.getNumElements() > kMaxConstantElements)
    return emitOpError("(constant_c1) a constant is stored in the program "
                       "and may have at most ")
           << kMaxConstantElements << " elements; this one has "
           << type.getNumElements()
           << " (use a parameter or an input for large data)";
  return success();
}

/// Returns true if `name` can name a parameter or an input in the ABI
/// signature: non-empty printable ASCII without spaces.
static bool isValidAbiName(StringRef name) {
  return !name.empty() &&
         llvm::all_of(name, [](char c) { return c > ' ' && c <= '~'; });
}

LogicalResult ParamOp::verify() {
  if (!isValidAbiName(getName()))
    return emitOpError("(param_c1) parameter name '")
           << getName()
           << "' must be non-empty printable ASCII without whitespace";
  InitKind init = getInit();
  auto isFinite = [](FloatAttr attr) {
    return attr && std::isfinite(attr.getValueAsDouble());
  };
  if (init == InitKind::uniform) {
    if (!isFinite(getLowAttr()) || !isFinite(getHighAttr()) ||
        !(getLowAttr().getValueAsDouble() < getHighAttr().getValueAsDouble()))
      return emitOpError(
          "(param_c2) 'uniform' needs finite attributes low < high");
  } else if (getLow() || getHigh()) {
    return emitOpError("(param_c2) only 'uniform' takes 'low' and 'high'");
  }
  if (init == InitKind::normal) {
    if (!isFinite(getMeanAttr()) || !isFinite(getStdAttr()) ||
        !(getStdAttr().getValueAsDouble() > 0))
      return emitOpError(
          "(param_c2) 'normal' needs finite attributes mean and std > 0");
  } else if (getMean() || getStd()) {
    return emitOpError("(param_c2) only 'normal' takes 'mean' and 'std'");
  }
  if (llvm::is_contained(getType().getShape(), 0))
    return emitOpError("(param_c4) parameter '")
           << getName()
           << "' has a zero dimension: " << formatShape(getType().getShape());
  // param_c3: names are unique within the enclosing function.
  Operation *scope = (*this)->getParentOfType<func::FuncOp>();
  if (!scope)
    return success();
  ParamOp first;
  scope->walk([&](ParamOp other) {
    if (other.getName() != getName())
      return WalkResult::advance();
    first = other;
    return WalkResult::interrupt();
  });
  if (first != *this)
    return emitOpError("(param_c3) parameter '")
           << getName() << "' is declared twice in this function";
  return success();
}

std::pair<int64_t, int64_t> ParamOp::getFans() {
  ArrayRef<int64_t> shape = getType().getShape();
  if (shape.empty())
    return {1, 1};
  if (shape.size() == 1)
    return {shape[0], shape[0]};
  if (shape.size() == 2)
    return {shape[0], shape[1]};
  int64_t receptive = 1;
  for (int64_t d : shape.drop_front(2))
    receptive *= d;
  return {shape[1] * receptive, shape[0] * receptive};
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

LogicalResult CrossEntropyOp::verify() {
  auto logits = getLogits().getType();
  auto labels = getLabels().getType();
  if (logits.getRank() != 2 || labels.getRank() != 1)
    return emitOpError("(cross_entropy_c1) expects logits [N, C] and labels "
                       "[N], got ")
           << formatShape(logits.getShape()) << " and "
           << formatShape(labels.getShape());
  if (logits.getDimSize(0) != labels.getDimSize(0))
    return emitOpError("(cross_entropy_c2) batch sizes differ: ")
           << logits.getDimSize(0) << " logits rows vs " << labels.getDimSize(0)
           << " labels";
  return success();
}

std::optional<int64_t> kiln::nn::getLabelClassCount(Value labels) {
  std::optional<int64_t> classes;
  auto note = [&](Value opLabels, Value logits) {
    if (opLabels != labels)
      return;
    int64_t c = cast<RankedTensorType>(logits.getType()).getDimSize(1);
    classes = classes ? std::min(*classes, c) : c;
  };
  for (Operation *user : labels.getUsers()) {
    if (auto ce = dyn_cast<CrossEntropyOp>(user))
      note(ce.getLabels(), ce.getLogits());
    else if (auto focal = dyn_cast<FocalLossOp>(user))
      note(focal.getLabels(), focal.getLogits());
  }
  return classes;
}
