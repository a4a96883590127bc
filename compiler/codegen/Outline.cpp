// Outline.cpp - a kernel emitted as its own function, called in place.
// SPDX-License-Identifier: MIT
//
// The body is first emitted into a parameterless scratch function, still
// using the caller's values (buffer pointers, the batch size, scalars).
// Those uses are then found, the real function is created with one
// argument per distinct value, the blocks move into it and the uses are
// rewritten to the arguments. Emitting first and sizing the signature after
// means no kernel has to declare what it reads. A structural hash and
// comparison (the ones LLVM's function merging uses) then find an earlier
// kernel with the same body, whose function is called instead.

#include "codegen/Outline.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/StructuralHash.h"
#include "llvm/IR/Module.h"

using namespace llvm;

namespace gradc::codegen {

namespace {
bool isForeign(const Value *v, const Function *fn) {
  if (const auto *inst = dyn_cast<Instruction>(v))
    return inst->getFunction() != fn;
  if (const auto *arg = dyn_cast<Argument>(v))
    return arg->getParent() != fn;
  return false;
}

SetVector<Value *> foreignValues(Function &fn) {
  SetVector<Value *> result;
  for (Instruction &inst : instructions(fn))
    for (Value *op : inst.operands())
      if (isForeign(op, &fn))
        result.insert(op);
  return result;
}

void copyTargetAttributes(Function &to, const Function &from) {
  for (StringRef kind :
       {"target-cpu", "target-features", "prefer-vector-width"})
    if (from.hasFnAttribute(kind))
      to.addFnAttr(from.getFnAttribute(kind));
  to.addFnAttr(Attribute::NoUnwind);
  to.addFnAttr(Attribute::NoInline);
}

// The real function for `scratch`, whose foreign uses become `inputs`.
Function *rebuild(Function &scratch, Function &caller,
                  ArrayRef<Value *> inputs) {
  SmallVector<Type *, 8> types;
  for (Value *v : inputs)
    types.push_back(v->getType());
  auto *type = FunctionType::get(Type::getVoidTy(caller.getContext()), types,
                                 false);
  Function *fn = Function::Create(type, GlobalValue::InternalLinkage, "",
                                  caller.getParent());
  fn->takeName(&scratch);
  fn->setCallingConv(CallingConv::Fast);
  copyTargetAttributes(*fn, caller);
  fn->splice(fn->end(), &scratch);
  for (auto [v, arg] : zip(inputs, fn->args())) {
    v->replaceUsesWithIf(&arg, [&](Use &u) {
      return cast<Instruction>(u.getUser())->getFunction() == fn;
    });
    if (arg.getType()->isPointerTy())
      arg.addAttr(Attribute::NoAlias);
  }
  return fn;
}
} // namespace

Function *KernelOutliner::findTwin(Function &fn) {
  SmallVector<Function *, 2> &candidates =
      byHash_[StructuralHash(fn)];
  for (Function *other : candidates)
    if (FunctionComparator(&fn, other, &globals_).compare() == 0)
      return other;
  candidates.push_back(&fn);
  return nullptr;
}

void KernelOutliner::emit(IRBuilder<> &b, const Twine &name,
                          function_ref<void()> body) {
  BasicBlock *callerBlock = b.GetInsertBlock();
  BasicBlock::iterator callerPoint = b.GetInsertPoint();
  Function *caller = callerBlock->getParent();
  LLVMContext &ctx = caller->getContext();
  auto *voidType = FunctionType::get(Type::getVoidTy(ctx), false);
  Function *scratch = Function::Create(voidType, GlobalValue::InternalLinkage,
                                       name, caller->getParent());
  b.SetInsertPoint(BasicBlock::Create(ctx, "entry", scratch));
  body();
  b.CreateRetVoid();

  SetVector<Value *> inputs = foreignValues(*scratch);
  Function *fn = rebuild(*scratch, *caller, inputs.getArrayRef());
  scratch->eraseFromParent();
  if (Function *twin = findTwin(*fn)) {
    fn->eraseFromParent();
    fn = twin;
  } else {
    fn->removeFromParent();
    caller->getParent()->getFunctionList().insert(caller->getIterator(), fn);
  }
  b.SetInsertPoint(callerBlock, callerPoint);
  b.CreateCall(fn, inputs.getArrayRef())->setCallingConv(CallingConv::Fast);
}

} // namespace gradc::codegen
