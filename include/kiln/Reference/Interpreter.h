//===- Interpreter.h - f64 reference interpreter of nn ----------*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Evaluates a `func.func` made of `nn` ops, `func.call` and `func.return`
/// on RefTensors, in double precision. It is the oracle that compiled code
/// and gradients are checked against, so it shares nothing with the
/// lowering: each op is evaluated by the kernels of Kernels.h.
///
/// Parameters come from a ParamProvider, both for `nn.param` ops and for
/// function arguments that `kiln-promote-params` created (arguments with an
/// `nn.param` dictionary attribute). That lets gradient checks inject
/// explicit parameter values and kiln-interp use the runtime's initializer.
///
/// Errors (an unsupported op, wrong argument count or shape, a class label
/// out of range, a missing parameter) are emitted as MLIR diagnostics at the
/// location of the offending op or function; the interpreter never asserts
/// on verified IR.
///
//===----------------------------------------------------------------------===//

#ifndef KILN_REFERENCE_INTERPRETER_H
#define KILN_REFERENCE_INTERPRETER_H

#include "kiln/Dialect/NN/IR/NNOps.h"
#include "kiln/Reference/Kernels.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <functional>

namespace kiln::reference {

/// Returns the ElementKind of `type` (f32, i1, i32 or i64), or failure.
mlir::FailureOr<ElementKind> getElementKind(mlir::Type type);

/// Everything the IR says about one parameter: the operands of the runtime
/// initializer (`kiln_init_param`) plus its type and location.
struct ParamInfo {
  /// The parameter's name (`nn.param "fc1.w"`).
  std::string name;
  /// Its tensor type (always f32 in verified IR).
  mlir::RankedTensorType type;
  nn::InitKind init = nn::InitKind::zeros;
  uint64_t seed = 0;
  /// `low`/`high` for `uniform`, `mean`/`std` for `normal`, else 0.
  double a = 0.0;
  double b = 0.0;
  int64_t fanIn = 0;
  int64_t fanOut = 0;
  /// The `nn.param` op, or the function argument it was promoted to.
  mlir::Location loc;
};

/// Describes the `nn.param` op `op`.
ParamInfo getParamInfo(nn::ParamOp op);

/// Describes argument `index` of `func` if it carries an `nn.param`
/// dictionary (see kiln-promote-params); std::nullopt otherwise or when the
/// dictionary is malformed.
std::optional<ParamInfo> getParamInfo(mlir::func::FuncOp func, unsigned index);

/// Supplies the value of a parameter. On failure the provider must have
/// emitted a diagnostic (normally at `info.loc`). The returned tensor must
/// have the parameter's shape and kind f32; the interpreter checks this.
using ParamProvider =
    std::function<mlir::FailureOr<RefTensor>(const ParamInfo &info)>;

/// The reference interpreter. Stateless between runs apart from its
/// provider; one instance can run many functions.
class Interpreter {
public:
  /// Creates an interpreter whose parameters come from `provider`. Without
  /// a provider, evaluating a parameter is an error.
  explicit Interpreter(ParamProvider provider = nullptr);

  /// Runs `func` on `args` and returns its results. `args` holds one tensor
  /// per argument of `func` that is not a promoted parameter, in order;
  /// promoted parameter arguments are obtained from the provider. Each
  /// argument must match its declared element type and shape exactly.
  mlir::FailureOr<llvm::SmallVector<RefTensor>>
  run(mlir::func::FuncOp func, llvm::ArrayRef<RefTensor> args);

  /// Maximum nesting depth of func.call before evaluation is abandoned (a
  /// recursive model has no value).
  static constexpr unsigned kMaxCallDepth = 64;

private:
  mlir::FailureOr<llvm::SmallVector<RefTensor>>
  runBody(mlir::func::FuncOp func, llvm::ArrayRef<RefTensor> allArgs,
          unsigned depth);
  mlir::FailureOr<RefTensor> getParam(const ParamInfo &info);

  ParamProvider provider;
};

/// Returns the element type of the tensor a RefTensor of `kind` belongs to.
mlir::Type getElementType(mlir::MLIRContext *ctx, ElementKind kind);

/// Checks that `value` has the element type and shape of `type`.
bool matchesType(const RefTensor &value, mlir::Type type);

} // namespace kiln::reference

#endif // KILN_REFERENCE_INTERPRETER_H
