//===- LLVMIR.cpp - LLVM IR export with the Kiln entry ABI ----------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// mlir::translateModuleToLLVMIR followed by the generation of the runtime ABI
// symbols (signature string, packed entry wrappers, entry table) with an
// IRBuilder.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/LLVMIR.h"
#include "kiln/Dialect/NN/Transforms/Passes.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

/// Prefix that `llvm.emit_c_interface` gives the C-interface wrappers.
static constexpr llvm::StringLiteral kCInterfacePrefix = "_mlir_ciface_";

llvm::SmallVector<llvm::StringRef>
kiln::getSignatureEntryNames(llvm::StringRef signature) {
  llvm::SmallVector<llvm::StringRef> names;
  llvm::SmallVector<llvm::StringRef> lines;
  signature.split(lines, '\n', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (llvm::StringRef line : lines) {
    // `entry NAME [key=value...]`, fields separated by spaces or tabs.
    llvm::SmallVector<llvm::StringRef> fields;
    line.split(fields, ' ', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
    llvm::SmallVector<llvm::StringRef> words;
    for (llvm::StringRef field : fields) {
      llvm::SmallVector<llvm::StringRef> parts;
      field.split(parts, '\t', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
      for (llvm::StringRef part : parts)
        if (!part.trim().empty())
          words.push_back(part.trim());
    }
    if (words.size() >= 2 && words[0] == "entry")
      names.push_back(words[1]);
  }
  return names;
}

/// Returns a private constant holding `text` and its NUL terminator.
static llvm::Constant *getCString(llvm::Module &module, llvm::StringRef text,
                                  const llvm::Twine &name) {
  llvm::LLVMContext &ctx = module.getContext();
  llvm::Constant *init =
      llvm::ConstantDataArray::getString(ctx, text, /*AddNull=*/true);
  auto *global =
      new llvm::GlobalVariable(module, init->getType(), /*isConstant=*/true,
                               llvm::GlobalValue::PrivateLinkage, init, name);
  global->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  global->setAlignment(llvm::Align(1));
  return global;
}

/// Defines `void kiln_packed_<name>(void **args)`, which calls `target` with
/// `args[0], args[1], ...`.
static llvm::Expected<llvm::Function *>
buildPackedWrapper(llvm::Module &module, llvm::StringRef name,
                   llvm::Function *target) {
  llvm::LLVMContext &ctx = module.getContext();
  auto *ptrType = llvm::PointerType::getUnqual(ctx);
  for (llvm::Type *type : target->getFunctionType()->params())
    if (!type->isPointerTy())
      return llvm::createStringError(
          "entry '%s': '%s' takes a non-pointer argument; the entry ABI "
          "passes every argument as a pointer to a memref descriptor",
          name.str().c_str(), target->getName().str().c_str());
  if (!target->getReturnType()->isVoidTy())
    return llvm::createStringError(
        "entry '%s': '%s' returns a value; entry points write their results "
        "into output arguments",
        name.str().c_str(), target->getName().str().c_str());

  std::string wrapperName = (kiln::kPackedPrefix + name).str();
  if (module.getNamedValue(wrapperName))
    return llvm::createStringError("symbol '%s' is already defined",
                                   wrapperName.c_str());
  auto *wrapper = llvm::Function::Create(
      llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptrType},
                              /*isVarArg=*/false),
      llvm::GlobalValue::ExternalLinkage, wrapperName, module);
  wrapper->getArg(0)->setName("args");
  llvm::IRBuilder<> builder(llvm::BasicBlock::Create(ctx, "entry", wrapper));
  llvm::SmallVector<llvm::Value *> args;
  for (unsigned i = 0, e = target->arg_size(); i != e; ++i) {
    llvm::Value *slot = builder.CreateConstInBoundsGEP1_64(
        ptrType, wrapper->getArg(0), i, "arg" + llvm::Twine(i) + ".slot");
    args.push_back(builder.CreateLoad(ptrType, slot, "arg" + llvm::Twine(i)));
  }
  builder.CreateCall(target, args);
  builder.CreateRetVoid();
  return wrapper;
}

llvm::Error kiln::addEntryPointABI(llvm::Module &module,
                                   llvm::StringRef signature) {
  llvm::LLVMContext &ctx = module.getContext();
  if (module.getNamedValue(kSignatureSymbol) ||
      module.getNamedValue(kEntryTableSymbol))
    return llvm::createStringError("the module already defines '%s' or '%s'",
                                   kSignatureSymbol.data(),
                                   kEntryTableSymbol.data());
  llvm::SmallVector<llvm::StringRef> names = getSignatureEntryNames(signature);
  if (names.empty())
    return llvm::createStringError("the signature lists no entry point");

  // const char kiln_module_signature[] = "...";
  llvm::Constant *text =
      llvm::ConstantDataArray::getString(ctx, signature, /*AddNull=*/true);
  auto *signatureGlobal = new llvm::GlobalVariable(
      module, text->getType(), /*isConstant=*/true,
      llvm::GlobalValue::ExternalLinkage, text, kSignatureSymbol);
  signatureGlobal->setAlignment(llvm::Align(1));

  // One packed wrapper per entry, then the NULL-terminated table.
  auto *ptrType = llvm::PointerType::getUnqual(ctx);
  auto *rowType = llvm::StructType::get(ctx, {ptrType, ptrType});
  llvm::SmallVector<llvm::Constant *> rows;
  for (llvm::StringRef name : names) {
    std::string targetName =
        (kCInterfacePrefix + nn::kEntryPrefix + name).str();
    llvm::Function *target = module.getFunction(targetName);
    if (!target || target->isDeclaration())
      return llvm::createStringError(
          "entry '%s' has no definition of '%s' in the module",
          name.str().c_str(), targetName.c_str());
    llvm::Expected<llvm::Function *> wrapper =
        buildPackedWrapper(module, name, target);
    if (!wrapper)
      return wrapper.takeError();
    rows.push_back(llvm::ConstantStruct::get(
        rowType,
        {getCString(module, name, "kiln_entry_name." + name), *wrapper}));
  }
  rows.push_back(llvm::Constant::getNullValue(rowType));
  auto *tableType = llvm::ArrayType::get(rowType, rows.size());
  auto *table = new llvm::GlobalVariable(
      module, tableType, /*isConstant=*/true,
      llvm::GlobalValue::ExternalLinkage,
      llvm::ConstantArray::get(tableType, rows), kEntryTableSymbol);
  table->setAlignment(llvm::Align(8));

  std::string message;
  llvm::raw_string_ostream os(message);
  if (llvm::verifyModule(module, &os))
    return llvm::createStringError("invalid LLVM IR after adding the entry "
                                   "ABI: " +
                                   message);
  return llvm::Error::success();
}

std::unique_ptr<llvm::Module>
kiln::translateToLLVMIR(Operation *op, llvm::LLVMContext &context) {
  auto module = dyn_cast<ModuleOp>(op);
  if (!module) {
    op->emitError("expected a builtin.module to translate to LLVM IR");
    return nullptr;
  }
  auto signature = module->getAttrOfType<StringAttr>(nn::kSignatureAttrName);
  if (!signature) {
    module.emitError("the module has no '")
        << nn::kSignatureAttrName
        << "' attribute; run the kiln-export-entry-points pass (part of "
           "kiln-nn-to-linalg) first";
    return nullptr;
  }

  registerBuiltinDialectTranslation(*module.getContext());
  registerLLVMDialectTranslation(*module.getContext());
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context, "kiln_module");
  if (!llvmModule) {
    module.emitError("failed to translate the module to LLVM IR");
    return nullptr;
  }
  if (llvm::Error err = addEntryPointABI(*llvmModule, signature.getValue())) {
    module.emitError("cannot export the entry ABI: ")
        << llvm::toString(std::move(err));
    return nullptr;
  }
  return llvmModule;
}
