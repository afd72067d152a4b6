//===- NNConvOps.cpp - nn convolution and pooling ops ---------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Type inference, verifiers (numbered constraints, see docs/Spec.md) and
// canonicalization of the convolution, pooling and flatten ops declared in
// NNConvOps.td. The geometry of a convolution or a pooling window is checked
// by one function per family, shared by the op and its backward helpers, so
// that `<op>_c<N>` means the same rule for every op of a family. All size
// arithmetic is overflow-checked.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/IR/NNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

#include <string>

using namespace mlir;
using namespace kiln::nn;

//===----------------------------------------------------------------------===//
// Diagnostics
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

/// Formats an attribute array as `[1, 2]`.
static std::string formatList(ArrayRef<int64_t> values) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << '[';
  llvm::interleaveComma(values, os);
  os << ']';
  return s;
}

namespace {

/// Emits the diagnostics of one op, `'<op>' op (<prefix>_c<N>) <message>`,
/// at an optional location (type inference has no op yet).
class ConstraintEmitter {
public:
  ConstraintEmitter(std::optional<Location> loc, StringRef opName)
      : loc(loc), opName(opName) {
    prefix = opName.drop_front(opName.find('.') + 1).str();
  }

  LogicalResult fail(unsigned number, const Twine &message) const {
    return emitOptionalError(loc, "'", opName, "' op (", prefix, "_c", number,
                             ") ", message.str());
  }

private:
  std::optional<Location> loc;
  StringRef opName;
  std::string prefix;
};

/// The height and width of a convolution or pooling output.
using Extent2D = std::array<int64_t, 2>;

/// Computes `floor((size + 2*pad - dil*(kernel-1) - 1) / stride) + 1` with
/// overflow checks. Returns std::nullopt on overflow. `stride >= 1`,
/// `pad >= 0`, `dil >= 1` and `kernel >= 1` are checked by the caller.
std::optional<int64_t> convExtent(int64_t size, int64_t kernel, int64_t stride,
                                  int64_t pad, int64_t dil) {
  int64_t padded, reach, numerator;
  if (llvm::MulOverflow(pad, int64_t(2), padded) ||
      llvm::AddOverflow(size, padded, padded) ||
      llvm::MulOverflow(dil, kernel - 1, reach) ||
      llvm::SubOverflow(padded, reach, numerator) ||
      llvm::SubOverflow(numerator, int64_t(1), numerator))
    return std::nullopt;
  return llvm::divideFloorSigned(numerator, stride) + 1;
}

/// Checks that both output extents are at least 1 (constraint `number`) and
/// returns them. `formula` names the terms of the extent for the message,
/// `terms(d)` prints the values of dimension `d` in the same order.
FailureOr<Extent2D> checkExtents(const ConstraintEmitter &emit, unsigned number,
                                 ArrayRef<int64_t> size,
                                 ArrayRef<int64_t> kernel,
                                 ArrayRef<int64_t> stride,
                                 ArrayRef<int64_t> padding,
                                 ArrayRef<int64_t> dilation, bool isPool) {
  static const char *const names[] = {"height", "width"};
  static const char *const sizeNames[] = {"H", "W"};
  static const char *const kernelNames[] = {"KH", "KW"};
  Extent2D extents;
  for (int d = 0; d < 2; ++d) {
    std::optional<int64_t> extent =
        convExtent(size[d], kernel[d], stride[d], padding[d], dilation[d]);
    std::string formula, values;
    llvm::raw_string_ostream f(formula), v(values);
    if (isPool) {
      f << "(" << sizeNames[d] << " + 2*pad - kernel) / stride + 1";
      v << "(" << size[d] << " + 2*" << padding[d] << " - " << kernel[d]
        << ") / " << stride[d] << " + 1";
    } else {
      f << "(" << sizeNames[d] << " + 2*pad - dil*(" << kernelNames[d]
        << "-1) - 1) / stride + 1";
      v << "(" << size[d] << " + 2*" << padding[d] << " - " << dilation[d]
        << "*(" << kernel[d] << "-1) - 1) / " << stride[d] << " + 1";
    }
    if (!extent)
      return emit.fail(number, Twine("output ") + names[d] + " " + formula +
                                   " = " + values + " overflows 64 bits");
    if (*extent < 1)
      return emit.fail(number, Twine("output ") + names[d] + " " + formula +
                                   " = " + values + " = " + Twine(*extent) +
                                   " must be >= 1");
    extents[d] = *extent;
  }
  return extents;
}

/// The operands and attributes of a convolution, named as in `nn.conv2d`.
struct ConvGeometry {
  ArrayRef<int64_t> input;  // [N, C, H, W]
  ArrayRef<int64_t> filter; // [F, C/groups, KH, KW]
  ArrayRef<int64_t> stride, padding, dilation;
  int64_t groups;
};

/// Checks `<op>_c2` .. `<op>_c7` of a convolution (the ranks, `_c1`, are
/// checked by the caller, which knows the operands' names) and returns its
/// result shape `[N, F, OH, OW]`.
FailureOr<SmallVector<int64_t>>
verifyConvGeometry(const ConstraintEmitter &emit, const ConvGeometry &g) {
  if (g.stride.size() != 2 || g.padding.size() != 2 || g.dilation.size() != 2)
    return emit.fail(2, "stride, padding and dilation need 2 entries each");
  if (llvm::any_of(g.stride, [](int64_t s) { return s < 1; }) ||
      llvm::any_of(g.padding, [](int64_t p) { return p < 0; }) ||
      llvm::any_of(g.dilation, [](int64_t d) { return d < 1; }) || g.groups < 1)
    return emit.fail(3, "needs stride >= 1, padding >= 0, dilation >= 1 and "
                        "groups >= 1, got stride " +
                            formatList(g.stride) + ", padding " +
                            formatList(g.padding) + ", dilation " +
                            formatList(g.dilation) + ", groups " +
                            Twine(g.groups));
  int64_t channels = g.input[1], filters = g.filter[0];
  if (channels % g.groups != 0 || filters % g.groups != 0)
    return emit.fail(
        4, "groups " + Twine(g.groups) + " must divide the input channels " +
               Twine(channels) + " and the filters " + Twine(filters));
  if (g.filter[1] != channels / g.groups)
    return emit.fail(5, "filter has " + Twine(g.filter[1]) +
                            " channels but C / groups = " + Twine(channels) +
                            " / " + Twine(g.groups) + " = " +
                            Twine(channels / g.groups));
  if (g.filter[2] < 1 || g.filter[3] < 1)
    return emit.fail(6, "kernel " + formatShape(g.filter.drop_front(2)) +
                            " must be at least 1x1");
  FailureOr<Extent2D> extents =
      checkExtents(emit, 7, g.input.drop_front(2), g.filter.drop_front(2),
                   g.stride, g.padding, g.dilation, /*isPool=*/false);
  if (failed(extents))
    return failure();
  return SmallVector<int64_t>{g.input[0], filters, (*extents)[0],
                              (*extents)[1]};
}

/// Checks `<op>_c1` .. `<op>_c5` of a pooling op over `input` and returns its
/// result shape `[N, C, OH, OW]`.
FailureOr<SmallVector<int64_t>>
verifyPoolGeometry(const ConstraintEmitter &emit, Type inputType,
                   ArrayRef<int64_t> kernel, ArrayRef<int64_t> stride,
                   ArrayRef<int64_t> padding) {
  auto type = dyn_cast<RankedTensorType>(inputType);
  if (!type || type.getRank() != 4)
    return emit.fail(1, "expects an input [N, C, H, W], got " +
                            (type ? formatShape(type.getShape())
                                  : std::string("an unranked tensor")));
  if (kernel.size() != 2 || stride.size() != 2 || padding.size() != 2)
    return emit.fail(2, "kernel, stride and padding need 2 entries each");
  if (llvm::any_of(kernel, [](int64_t k) { return k < 1; }) ||
      llvm::any_of(stride, [](int64_t s) { return s < 1; }) ||
      llvm::any_of(padding, [](int64_t p) { return p < 0; }))
    return emit.fail(3, "needs kernel >= 1, stride >= 1 and padding >= 0, "
                        "got kernel " +
                            formatList(kernel) + ", stride " +
                            formatList(stride) + ", padding " +
                            formatList(padding));
  for (int d = 0; d < 2; ++d)
    if (padding[d] > kernel[d] / 2)
      return emit.fail(4, "padding " + formatList(padding) +
                              " must be at most half the kernel " +
                              formatList(kernel));
  ArrayRef<int64_t> shape = type.getShape();
  int64_t one[] = {1, 1};
  FailureOr<Extent2D> extents =
      checkExtents(emit, 5, shape.drop_front(2), kernel, stride, padding, one,
                   /*isPool=*/true);
  if (failed(extents))
    return failure();
  return SmallVector<int64_t>{shape[0], shape[1], (*extents)[0], (*extents)[1]};
}

/// Checks that `type` is a rank-4 tensor; returns its shape.
std::optional<ArrayRef<int64_t>> getRank4Shape(Type type) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked || ranked.getRank() != 4)
    return std::nullopt;
  return ranked.getShape();
}

/// Formats a type's shape, or "an unranked tensor".
std::string describe(Type type) {
  if (auto ranked = dyn_cast<RankedTensorType>(type))
    return formatShape(ranked.getShape());
  return "an unranked tensor";
}

/// Returns true unless `type` is a statically shaped ranked tensor. ODS
/// rejects such operands (`must be statically shaped tensor`), but custom
/// parsing infers the result type first: type inference then defers to ODS
/// by inferring a result of `rank` dynamic dimensions.
bool defersToODS(Type type) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  return !ranked || !ranked.hasStaticShape();
}

/// The placeholder result type of deferred inference.
Type getDynamicType(Type elementType, int64_t rank) {
  return RankedTensorType::get(
      SmallVector<int64_t>(rank, ShapedType::kDynamic), elementType);
}

/// The value of a default-valued pair attribute: custom parsing infers the
/// result type before ODS fills in the defaults, so the attribute can be
/// absent from the adaptor.
ArrayRef<int64_t> pairOrDefault(DenseI64ArrayAttr attr,
                                ArrayRef<int64_t> defaultValue) {
  return attr ? attr.asArrayRef() : defaultValue;
}

constexpr int64_t kOnes[] = {1, 1};
constexpr int64_t kZeros[] = {0, 0};

} // namespace

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

LogicalResult Conv2DOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  ConstraintEmitter emit(location, getOperationName());
  Type inputType = adaptor.getInput().getType();
  Type filterType = adaptor.getFilter().getType();
  Value bias = adaptor.getBias();
  if (defersToODS(inputType) || defersToODS(filterType) ||
      (bias && defersToODS(bias.getType()))) {
    types.push_back(getDynamicType(Float32Type::get(context), 4));
    return success();
  }
  std::optional<ArrayRef<int64_t>> input = getRank4Shape(inputType);
  std::optional<ArrayRef<int64_t>> filter = getRank4Shape(filterType);
  if (!input || !filter)
    return emit.fail(1, "expects input [N, C, H, W] and filter "
                        "[F, C/groups, KH, KW], got " +
                            describe(inputType) + " and " +
                            describe(filterType));
  int64_t groups =
      adaptor.getGroupsAttr() ? adaptor.getGroupsAttr().getInt() : 1;
  FailureOr<SmallVector<int64_t>> shape = verifyConvGeometry(
      emit, {*input, *filter, pairOrDefault(adaptor.getStrideAttr(), kOnes),
             pairOrDefault(adaptor.getPaddingAttr(), kZeros),
             pairOrDefault(adaptor.getDilationAttr(), kOnes), groups});
  if (failed(shape))
    return failure();
  if (bias) {
    auto biasType = dyn_cast<RankedTensorType>(bias.getType());
    if (!biasType || biasType.getShape() != ArrayRef<int64_t>{(*filter)[0]})
      return emit.fail(8, "bias must have shape " +
                              formatShape((*filter).take_front()) + ", got " +
                              describe(bias.getType()));
  }
  types.push_back(RankedTensorType::get(*shape, Float32Type::get(context)));
  return success();
}

//===----------------------------------------------------------------------===//
// Conv2DBackwardInputOp / Conv2DBackwardFilterOp
//===----------------------------------------------------------------------===//

/// Checks constraint 8 of a convolution's backward helper: the output
/// gradient has the shape that the convolution described by `g` produces.
static LogicalResult verifyOutputGradShape(const ConstraintEmitter &emit,
                                           ArrayRef<int64_t> outputGrad,
                                           ArrayRef<int64_t> expected,
                                           const ConvGeometry &g) {
  if (outputGrad == expected)
    return success();
  return emit.fail(8, "output gradient has shape " + formatShape(outputGrad) +
                          " but conv2d of " + formatShape(g.input) +
                          " with filter " + formatShape(g.filter) + " gives " +
                          formatShape(expected));
}

LogicalResult Conv2DBackwardInputOp::verify() {
  ConstraintEmitter emit(getLoc(), getOperationName());
  std::optional<ArrayRef<int64_t>> outputGrad =
      getRank4Shape(getOutputGrad().getType());
  std::optional<ArrayRef<int64_t>> filter =
      getRank4Shape(getFilter().getType());
  std::optional<ArrayRef<int64_t>> result = getRank4Shape(getType());
  if (!outputGrad || !filter || !result)
    return emit.fail(1, "expects output gradient [N, F, OH, OW], filter "
                        "[F, C/groups, KH, KW] and result [N, C, H, W], got " +
                            describe(getOutputGrad().getType()) + ", " +
                            describe(getFilter().getType()) + " and " +
                            describe(getType()));
  ConvGeometry g{*result,       *filter,
                 getStride(),   getPadding(),
                 getDilation(), static_cast<int64_t>(getGroupsAttr().getInt())};
  FailureOr<SmallVector<int64_t>> expected = verifyConvGeometry(emit, g);
  if (failed(expected))
    return failure();
  return verifyOutputGradShape(emit, *outputGrad, *expected, g);
}

LogicalResult Conv2DBackwardFilterOp::verify() {
  ConstraintEmitter emit(getLoc(), getOperationName());
  std::optional<ArrayRef<int64_t>> outputGrad =
      getRank4Shape(getOutputGrad().getType());
  std::optional<ArrayRef<int64_t>> input = getRank4Shape(getInput().getType());
  std::optional<ArrayRef<int64_t>> result = getRank4Shape(getType());
  if (!outputGrad || !input || !result)
    return emit.fail(1, "expects output gradient [N, F, OH, OW], input "
                        "[N, C, H, W] and result [F, C/groups, KH, KW], got " +
                            describe(getOutputGrad().getType()) + ", " +
                            describe(getInput().getType()) + " and " +
                            describe(getType()));
  ConvGeometry g{*input,        *result,
                 getStride(),   getPadding(),
                 getDilation(), static_cast<int64_t>(getGroupsAttr().getInt())};
  FailureOr<SmallVector<int64_t>> expected = verifyConvGeometry(emit, g);
  if (failed(expected))
    return failure();
  return verifyOutputGradShape(emit, *outputGrad, *expected, g);
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// Shared type inference of max_pool2d and avg_pool2d.
template <typename Adaptor>
static LogicalResult
inferPoolType(MLIRContext *context, std::optional<Location> location,
              StringRef opName, Adaptor adaptor, SmallVectorImpl<Type> &types) {
  if (defersToODS(adaptor.getInput().getType())) {
    types.push_back(getDynamicType(Float32Type::get(context), 4));
    return success();
  }
  ArrayRef<int64_t> kernel = pairOrDefault(adaptor.getKernelAttr(), {});
  ArrayRef<int64_t> stride = pairOrDefault(adaptor.getStrideAttr(), kernel);
  FailureOr<SmallVector<int64_t>> shape = verifyPoolGeometry(
      ConstraintEmitter(location, opName), adaptor.getInput().getType(), kernel,
      stride, pairOrDefault(adaptor.getPaddingAttr(), kZeros));
  if (failed(shape))
    return failure();
  types.push_back(RankedTensorType::get(*shape, Float32Type::get(context)));
  return success();
}

LogicalResult MaxPool2DOp::inferReturnTypes(MLIRContext *context,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return inferPoolType(context, location, getOperationName(), adaptor, types);
}

LogicalResult AvgPool2DOp::inferReturnTypes(MLIRContext *context,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return inferPoolType(context, location, getOperationName(), adaptor, types);
}

LogicalResult MaxPool2DBackwardOp::verify() {
  ConstraintEmitter emit(getLoc(), getOperationName());
  FailureOr<SmallVector<int64_t>> expected =
      verifyPoolGeometry(emit, getInput().getType(), getKernel(),
                         getStrideOrKernel(), getPadding());
  if (failed(expected))
    return failure();
  ArrayRef<int64_t> outputGrad = getOutputGrad().getType().getShape();
  if (outputGrad != ArrayRef<int64_t>(*expected))
    return emit.fail(6, "output gradient has shape " + formatShape(outputGrad) +
                            " but max_pool2d of " +
                            formatShape(getInput().getType().getShape()) +
                            " gives " + formatShape(*expected));
  return success();
}

LogicalResult GlobalAvgPoolOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  ConstraintEmitter emit(location, getOperationName());
  Type inputType = adaptor.getInput().getType();
  if (defersToODS(inputType)) {
    types.push_back(getDynamicType(Float32Type::get(context), 2));
    return success();
  }
  std::optional<ArrayRef<int64_t>> shape = getRank4Shape(inputType);
  if (!shape)
    return emit.fail(1, "expects an input [N, C, H, W], got " +
                            describe(inputType));
  if ((*shape)[2] < 1 || (*shape)[3] < 1)
    return emit.fail(2, "spatial size " + formatShape(shape->drop_front(2)) +
                            " must be at least 1x1");
  types.push_back(
      RankedTensorType::get(shape->take_front(2), Float32Type::get(context)));
  return success();
}

//===----------------------------------------------------------------------===//
// FlattenOp
//===----------------------------------------------------------------------===//

LogicalResult FlattenOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location> location,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  Type inputType = adaptor.getInput().getType();
  if (defersToODS(inputType)) {
    types.push_back(getDynamicType(getElementTypeOrSelf(inputType), 2));
    return success();
  }
  auto type = cast<RankedTensorType>(inputType);
  if (type.getRank() < 2)
    return ConstraintEmitter(location, getOperationName())
        .fail(1, "expects an input of rank >= 2, got " +
                     describe(adaptor.getInput().getType()));
  int64_t inner = 1;
  for (int64_t d : type.getShape().drop_front())
    if (llvm::MulOverflow(inner, d, inner))
      return emitOptionalError(location, "'", getOperationName(),
                               "' op (shape_c1) the flattened dimension "
                               "overflows 64 bits");
  types.push_back(RankedTensorType::get({type.getDimSize(0), inner},
                                        type.getElementType()));
  return success();
}

namespace {
/// flatten(x) -> reshape(x) to the same type.
struct FlattenToReshape : public OpRewritePattern<FlattenOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(FlattenOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, op.getType(), op.getInput());
    return success();
  }
};
} // namespace

void FlattenOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<FlattenToReshape>(context);
}
