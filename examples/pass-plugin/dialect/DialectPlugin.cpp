//===- DialectPlugin.cpp - The kiln_example dialect as a plugin -----------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// KilnExampleDialectPlugin.so: a dialect defined in plain C++ (no ODS) and
// loaded by `kiln-opt --load-dialect-plugin=KilnExampleDialectPlugin.so`.
// kiln-opt looks up the C symbol `mlirGetDialectPluginInfo` and lets the
// plugin add its dialect to the DialectRegistry before any input is parsed.
//
// The dialect `kiln_example` has one op:
//
//   %y = kiln_example.identity %x : tensor<4xf32>
//
// which returns its operand unchanged (e.g. to mark a value while debugging
// a pipeline) and folds away under -canonicalize.
//
//===----------------------------------------------------------------------===//

#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Support/TypeID.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"

using namespace mlir;

namespace kiln::example {

/// The `kiln_example` dialect.
class KilnExampleDialect : public Dialect {
public:
  explicit KilnExampleDialect(MLIRContext *context);
  static StringRef getDialectNamespace() { return "kiln_example"; }
};

/// `kiln_example.identity`: returns its operand. Same operand and result
/// type, no side effects, folds to its operand.
class IdentityOp
    : public Op<IdentityOp, OpTrait::ZeroRegions, OpTrait::OneResult,
                OpTrait::OneTypedResult<Type>::Impl, OpTrait::ZeroSuccessors,
                OpTrait::OneOperand, OpTrait::SameOperandsAndResultType,
                ConditionallySpeculatable::Trait,
                OpTrait::AlwaysSpeculatableImplTrait,
                MemoryEffectOpInterface::Trait> {
public:
  using Op::Op;

  static StringRef getOperationName() { return "kiln_example.identity"; }
  static ArrayRef<StringRef> getAttributeNames() { return {}; }

  static void build(OpBuilder &builder, OperationState &state, Value input) {
    state.addOperands(input);
    state.addTypes(input.getType());
  }

  Value getInput() { return getOperand(); }

  /// `kiln_example.identity %x attr-dict : type`
  static ParseResult parse(OpAsmParser &parser, OperationState &result) {
    OpAsmParser::UnresolvedOperand input;
    Type type;
    if (parser.parseOperand(input) ||
        parser.parseOptionalAttrDict(result.attributes) ||
        parser.parseColonType(type) ||
        parser.resolveOperand(input, type, result.operands))
      return failure();
    result.addTypes(type);
    return success();
  }

  void print(OpAsmPrinter &printer) {
    printer << ' ' << getInput();
    printer.printOptionalAttrDict((*this)->getAttrs());
    printer << " : " << getType();
  }

  /// identity(x) -> x
  OpFoldResult fold(ArrayRef<Attribute>) { return getInput(); }

  void getEffects(
      SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>> &) {}
};

} // namespace kiln::example

// Explicit TypeIDs: the dialect and its op live in a shared object.
MLIR_DECLARE_EXPLICIT_TYPE_ID(kiln::example::KilnExampleDialect)
MLIR_DEFINE_EXPLICIT_TYPE_ID(kiln::example::KilnExampleDialect)
MLIR_DECLARE_EXPLICIT_TYPE_ID(kiln::example::IdentityOp)
MLIR_DEFINE_EXPLICIT_TYPE_ID(kiln::example::IdentityOp)

kiln::example::KilnExampleDialect::KilnExampleDialect(MLIRContext *context)
    : Dialect(getDialectNamespace(), context,
              TypeID::get<KilnExampleDialect>()) {
  addOperations<IdentityOp>();
}

/// The plugin's description, read by mlir::DialectPlugin::load.
extern "C" LLVM_ATTRIBUTE_WEAK DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "KilnExampleDialectPlugin",
          LLVM_VERSION_STRING, [](DialectRegistry *registry) {
            registry->insert<kiln::example::KilnExampleDialect>();
          }};
}
