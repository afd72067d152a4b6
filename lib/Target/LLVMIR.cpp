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

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/IR/Operator.h"
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
    // The buffers of one call never overlap (docs/Runtime.md): every
    // pointer the entry takes is `noalias`, so that LLVM knows that the
    // workspace's buffers, the params, the inputs and the outputs are
    // distinct objects, as it knows of malloc'ed ones.
    if (llvm::Function *inner =
            module.getFunction((nn::kEntryPrefix + name).str()))
      for (llvm::Argument &arg : inner->args())
        if (arg.getType()->isPointerTy())
          arg.addAttr(llvm::Attribute::NoAlias);
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

/// Follows `ptr` back through `getelementptr`s and memref descriptor
/// fields to the byte shift of the memref.view of a workspace buffer
/// (`getelementptr i8, ptr base, i64 C`), and returns C: 0 if it reaches
/// `base` itself, std::nullopt if it reaches anything else.
static std::optional<int64_t> workspaceOffset(const llvm::Value *ptr,
                                              const llvm::Argument *base,
                                              const llvm::DataLayout &layout) {
  while (ptr != base) {
    // A field of a memref descriptor: the value inserted there.
    if (auto *extract = llvm::dyn_cast<llvm::ExtractValueInst>(ptr)) {
      const llvm::Value *agg = extract->getAggregateOperand();
      while (auto *insert = llvm::dyn_cast<llvm::InsertValueInst>(agg)) {
        if (insert->getIndices() == extract->getIndices())
          break;
        agg = insert->getAggregateOperand();
      }
      auto *insert = llvm::dyn_cast<llvm::InsertValueInst>(agg);
      if (!insert)
        return std::nullopt;
      ptr = insert->getInsertedValueOperand();
      continue;
    }
    auto *gep = llvm::dyn_cast<llvm::GEPOperator>(ptr);
    if (!gep)
      return std::nullopt;
    if (gep->getPointerOperand() == base) {
      // Only the byte shift of a memref.view: `getelementptr i8, ptr base,
      // i64 C`.
      if (gep->getNumIndices() != 1 ||
          !gep->getSourceElementType()->isIntegerTy(8))
        return std::nullopt;
      llvm::APInt offset(layout.getIndexTypeSizeInBits(gep->getType()), 0);
      if (!gep->accumulateConstantOffset(layout, offset))
        return std::nullopt;
      return offset.getSExtValue();
    }
    ptr = gep->getPointerOperand();
  }
  return 0;
}

/// Gives the loads and stores of each workspace buffer of `func` (whose
/// offsets and sizes are `table`, kiln.workspace_buffers) an alias scope,
/// and tells LLVM that they do not alias the buffers whose bytes they do
/// not share. Separate malloc'ed buffers were distinct objects to LLVM;
/// views of one workspace at constant offsets are not, and without the
/// scopes LLVM keeps, e.g., a product's accumulators in memory. Buffers
/// that share bytes (at different times) share no `noalias` either, so
/// nothing can be reordered across a reuse. Accesses whose address does
/// not lead back to a buffer's view get no metadata.
static void addWorkspaceAliasScopes(llvm::Function &func,
                                    llvm::ArrayRef<int64_t> table) {
  // The workspace is the last memref argument: allocated and aligned
  // pointer, offset, size and stride.
  if (func.arg_size() < 5 || table.size() % 2)
    return;
  llvm::Argument *base = func.getArg(func.arg_size() - 4);
  if (!base->getType()->isPointerTy())
    return;
  llvm::LLVMContext &ctx = func.getContext();
  // The runtime's workspace is 64-byte aligned and at least as large as the
  // plan's end: every buffer is dereferenceable, as a malloc'ed one was, so
  // that LLVM may speculate loads from it (e.g. to vectorize a loop with a
  // condition in it).
  int64_t end = 0;
  for (size_t i = 0; i + 1 < table.size(); i += 2)
    end = std::max(end, table[i] + table[i + 1]);
  base->addAttr(llvm::Attribute::getWithDereferenceableBytes(ctx, end));
  base->addAttr(llvm::Attribute::getWithAlignment(ctx, llvm::Align(64)));
  llvm::MDBuilder md(ctx);
  llvm::MDNode *domain = md.createAnonymousAliasScopeDomain(func.getName());
  size_t n = table.size() / 2;
  llvm::SmallVector<llvm::MDNode *> scopes;
  for (size_t i = 0; i < n; ++i)
    scopes.push_back(md.createAnonymousAliasScope(
        domain, ("buffer " + llvm::Twine(i)).str()));
  auto shareBytes = [&](size_t a, size_t b) {
    return table[2 * a] < table[2 * b] + table[2 * b + 1] &&
           table[2 * b] < table[2 * a] + table[2 * a + 1];
  };
  // Metadata per distinct start offset: the buffers that start there, and
  // the buffers that share no byte with any of them.
  llvm::DenseMap<int64_t, std::pair<llvm::MDNode *, llvm::MDNode *>> byOffset;
  for (size_t i = 0; i < n; ++i) {
    int64_t offset = table[2 * i];
    if (byOffset.count(offset))
      continue;
    llvm::SmallVector<llvm::Metadata *> own, others;
    for (size_t j = 0; j < n; ++j)
      if (table[2 * j] == offset)
        own.push_back(scopes[j]);
    for (size_t j = 0; j < n; ++j) {
      bool disjoint = true;
      for (size_t k = 0; k < n && disjoint; ++k)
        if (table[2 * k] == offset && shareBytes(j, k))
          disjoint = false;
      if (disjoint)
        others.push_back(scopes[j]);
    }
    byOffset[offset] = {llvm::MDNode::get(ctx, own),
                        llvm::MDNode::get(ctx, others)};
  }
  const llvm::DataLayout &layout = func.getParent()->getDataLayout();
  for (llvm::Instruction &inst : llvm::instructions(func)) {
    const llvm::Value *ptr = llvm::getLoadStorePointerOperand(&inst);
    if (!ptr)
      continue;
    std::optional<int64_t> offset = workspaceOffset(ptr, base, layout);
    if (!offset)
      continue;
    auto it = byOffset.find(*offset);
    if (it == byOffset.end())
      continue;
    inst.setMetadata(llvm::LLVMContext::MD_alias_scope, it->second.first);
    inst.setMetadata(llvm::LLVMContext::MD_noalias, it->second.second);
  }
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
  registerOpenMPDialectTranslation(*module.getContext());
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context, "kiln_module");
  if (!llvmModule) {
    module.emitError("failed to translate the module to LLVM IR");
    return nullptr;
  }
  // The entry functions themselves, not their C-interface wrappers (which
  // func-to-llvm gives the same attributes).
  // The outlined parts of kiln-parallelize-loops whose buffers are distinct.
  for (auto func : module.getOps<LLVM::LLVMFuncOp>())
    if (func->hasAttr(nn::kDistinctBuffersAttrName))
      if (llvm::Function *f = llvmModule->getFunction(func.getSymName()))
        for (llvm::Argument &arg : f->args())
          if (arg.getType()->isPointerTy())
            arg.addAttr(llvm::Attribute::NoAlias);
  for (auto func : module.getOps<LLVM::LLVMFuncOp>())
    if (auto table = func->getAttrOfType<DenseI64ArrayAttr>(
            nn::kWorkspaceBuffersAttrName);
        table && func.getSymName().starts_with(nn::kEntryPrefix))
      if (llvm::Function *f = llvmModule->getFunction(func.getSymName()))
        addWorkspaceAliasScopes(*f, table.asArrayRef());
  if (llvm::Error err = addEntryPointABI(*llvmModule, signature.getValue())) {
    module.emitError("cannot export the entry ABI: ")
        << llvm::toString(std::move(err));
    return nullptr;
  }
  return llvmModule;
}
