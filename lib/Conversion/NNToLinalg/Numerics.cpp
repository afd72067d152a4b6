//===- Numerics.cpp - check_finite to linalg ------------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// `nn.check_finite %x "site"` becomes one reduction `linalg.generic` over
// every element of `%x` that counts its NaNs (`x != x`) and its infinities
// (`|x| == inf`) into two `tensor<i64>`, and an `scf.if` on a non-zero sum
// that calls
//
//   void kiln_numerics_fail(const char *site, int64_t nans, int64_t infs,
//                           int64_t elements);
//
// (lib/Runtime/Numerics.c) with the site text in a private LLVM global.
//
//===----------------------------------------------------------------------===//

#include "kiln/Conversion/NNToLinalg/NNToLinalg.h"
#include "kiln/Conversion/NNToLinalg/Utils.h"
#include "kiln/Dialect/NN/IR/NNOps.h"

#include <limits>

using namespace mlir;
using namespace kiln;
using namespace kiln::nn_to_linalg;

/// The runtime's report function.
static constexpr llvm::StringLiteral kFailFunction = "kiln_numerics_fail";

/// Returns the declaration of kFailFunction in `module`, adding it first if
/// needed.
static func::FuncOp getFailFunction(OpBuilder &b, ModuleOp module) {
  if (auto func = module.lookupSymbol<func::FuncOp>(kFailFunction))
    return func;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  Type i64 = b.getI64Type();
  auto type = b.getFunctionType(
      {LLVM::LLVMPointerType::get(b.getContext()), i64, i64, i64}, {});
  auto func = b.create<func::FuncOp>(module.getLoc(), kFailFunction, type);
  func.setPrivate();
  return func;
}

/// Returns a symbol name `kiln_numerics_site_<n>` not yet used in `module`.
static std::string getSiteName(ModuleOp module) {
  for (unsigned n = 0;; ++n) {
    std::string name = "kiln_numerics_site_" + std::to_string(n);
    if (!module.lookupSymbol(name))
      return name;
  }
}

namespace {

struct CheckFiniteOpLowering : public OpConversionPattern<nn::CheckFiniteOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::CheckFiniteOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto module = op->getParentOfType<ModuleOp>();
    if (!module)
      return rewriter.notifyMatchFailure(op, "not inside a module");
    auto type = cast<RankedTensorType>(adaptor.getInput().getType());
    int64_t rank = type.getRank();
    MLIRContext *context = rewriter.getContext();
    Type i64 = rewriter.getI64Type();

    // counts = (nans, infs), each a tensor<i64> starting at 0.
    auto countType = RankedTensorType::get({}, i64);
    Value zero = rewriter.create<arith::ConstantIntOp>(loc, 0, 64);
    Value nanInit = createFilledTensor(rewriter, loc, countType, zero);
    Value infInit = createFilledTensor(rewriter, loc, countType, zero);
    AffineMap scalar = AffineMap::get(rank, 0, context);
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank),
                                   scalar, scalar};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::reduction);
    auto counts = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{countType, countType}, ValueRange{adaptor.getInput()},
        ValueRange{nanInit, infInit}, maps, iterators,
        [](OpBuilder &b, Location loc, ValueRange args) {
          Value x = args[0];
          Value isNan =
              b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNO, x, x);
          Value inf = createF32Constant(b, loc,
                                        std::numeric_limits<float>::infinity());
          Value isInf = b.create<arith::CmpFOp>(
              loc, arith::CmpFPredicate::OEQ, b.create<math::AbsFOp>(loc, x),
              inf);
          Type i64 = b.getI64Type();
          Value nans = b.create<arith::AddIOp>(
              loc, args[1], b.create<arith::ExtUIOp>(loc, i64, isNan));
          Value infs = b.create<arith::AddIOp>(
              loc, args[2], b.create<arith::ExtUIOp>(loc, i64, isInf));
          b.create<linalg::YieldOp>(loc, ValueRange{nans, infs});
        });
    Value nans = rewriter.create<tensor::ExtractOp>(loc, counts.getResult(0),
                                                    ValueRange{});
    Value infs = rewriter.create<tensor::ExtractOp>(loc, counts.getResult(1),
                                                    ValueRange{});
    Value bad = rewriter.create<arith::CmpIOp>(
        loc, arith::CmpIPredicate::ne,
        rewriter.create<arith::AddIOp>(loc, nans, infs), zero);

    func::FuncOp fail = getFailFunction(rewriter, module);
    std::string siteName = getSiteName(module);
    std::string siteText = op.getSite().str();
    int64_t elements = type.getNumElements();
    // The global and its address are made here: createGlobalString finds
    // the module from the insertion point, which the scf.if's region does
    // not have while it is being built.
    siteText.push_back('\0');
    Value site = LLVM::createGlobalString(loc, rewriter, siteName, siteText,
                                          LLVM::Linkage::Private);
    rewriter.create<scf::IfOp>(loc, bad, [&](OpBuilder &b, Location loc) {
      Value count = b.create<arith::ConstantIntOp>(loc, elements, 64);
      b.create<func::CallOp>(loc, fail, ValueRange{site, nans, infs, count});
      b.create<scf::YieldOp>(loc);
    });
    rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

void kiln::populateNNNumericsToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<CheckFiniteOpLowering>(patterns.getContext());
}
