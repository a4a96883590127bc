// Lowering.cpp - emission of one graph: arena, node order, outputs.
// SPDX-License-Identifier: MIT
//
// The services kernels build on (indexing, loops, loads and stores) and the
// top-level walk: plan (Plan.cpp), carve the arena, emit every scheduled
// node with its kernel (Kernels.h), then copy the outputs that could not be
// computed in place. Nothing is allocated per step: the arena is a global
// sized for the planned batch, replaced once by a heap block only when a
// larger batch arrives.

#include "codegen/Kernels.h"
#include "codegen/Lowering.h"
#include "codegen/Outline.h"

#include "llvm/IR/Module.h"

using namespace llvm;

namespace gradc::codegen {

using ir::OpKind;

GraphLowering::GraphLowering(IRBuilder<> &builder, const ir::Graph &graph,
                             int64_t maxBatch, KernelOutliner &outliner)
    : b(builder), graph_(graph), maxBatch_(maxBatch), outliner_(outliner) {}

void GraphLowering::bindBuffer(const Node *leaf, Value *ptr) {
  buffers_[leaf] = ptr;
}

void GraphLowering::bindScalar(const Node *leaf, Value *value) {
  scalars_[leaf] = value;
}

void GraphLowering::setRunValues(Value *batch, Value *step, Value *seed) {
  batch_ = batch;
  step_ = step;
  seed_ = seed;
}

void GraphLowering::addOutput(const Node *value, Value *dest,
                              const Node *destLeaf) {
  outputs_.push_back({value, dest, destLeaf});
}

Type *GraphLowering::elemType(const Node *n) {
  if (n->type.elem == ir::ElemKind::F64)
    return b.getDoubleTy();
  return b.getFloatTy();
}

Value *GraphLowering::real(const Node *n, double value) {
  return ConstantFP::get(elemType(n), value);
}

Value *GraphLowering::extent(const Node *n, unsigned dim) {
  int64_t size = n->type.dims[dim];
  return size == ir::kBatchDim ? batch_ : i64(size);
}

SmallVector<Value *, 4> GraphLowering::extents(const Node *n) {
  SmallVector<Value *, 4> result;
  for (unsigned d = 0; d < n->type.dims.size(); ++d)
    result.push_back(extent(n, d));
  return result;
}

Value *GraphLowering::numElements(const Node *n) {
  int64_t perRow = n->type.numElements(1);
  if (!n->type.hasBatchDim())
    return i64(perRow);
  return b.CreateMul(batch_, i64(perRow), "", true, true);
}

// Strides are constants: only the leading dimension may be the batch.
Value *GraphLowering::linearize(const Node *n, ArrayRef<Value *> idx) {
  const std::vector<int64_t> &dims = n->type.dims;
  Value *linear = i64(0);
  int64_t stride = 1;
  for (int d = int(dims.size()) - 1; d >= 0; --d) {
    Value *term = stride == 1 ? idx[d] : b.CreateMul(idx[d], i64(stride));
    linear = d == int(dims.size()) - 1 ? term : b.CreateAdd(linear, term);
    stride *= dims[d] == ir::kBatchDim ? 1 : dims[d];
  }
  return linear;
}

Value *GraphLowering::bufferOf(const Node *n) {
  return buffers_.lookup(rootBuffer(n));
}

Value *GraphLowering::address(const Node *n, Value *linear) {
  return b.CreateInBoundsGEP(elemType(n), bufferOf(n), linear);
}

void GraphLowering::store(const Node *n, Value *linear, Value *value) {
  b.CreateStore(value, address(n, linear));
}

Value *GraphLowering::read(const Node *n, const Index &idx) {
  switch (storageKind(n)) {
  case StorageKind::Scalar:
    if (n->kind == OpKind::Reshape)
      return read(n->operands[0], idx);
    if (n->kind == OpKind::Constant)
      return real(n, n->realAttr("value"));
    return scalars_.lookup(n);
  case StorageKind::Inline:
    return evalElementwise(*this, n, idx);
  case StorageKind::Buffer:
    if (Value *v = scalars_.lookup(n))
      return v;
    break;
  case StorageKind::Alias:
    break;
  }
  Value *linear = idx.flat;
  if (n->type.numElements(2) == 1)
    linear = i64(0);
  else if (!linear)
    linear = linearize(n, idx.dims);
  return b.CreateLoad(elemType(n), address(n, linear));
}

void GraphLowering::fill(const Node *n, double value) {
  loop(numElements(n), [&](Value *i) { store(n, i, real(n, value)); });
}

BranchInst *GraphLowering::loop(Value *count,
                                function_ref<void(Value *)> body) {
  if (auto *c = dyn_cast<ConstantInt>(count); c && c->getSExtValue() == 1) {
    body(i64(0));
    return nullptr;
  }
  Function *fn = b.GetInsertBlock()->getParent();
  LLVMContext &ctx = fn->getContext();
  BasicBlock *pre = b.GetInsertBlock();
  BasicBlock *bodyBlock = BasicBlock::Create(ctx, "loop", fn);
  BasicBlock *exit = BasicBlock::Create(ctx, "loop.end", fn);
  b.CreateCondBr(b.CreateICmpSGT(count, i64(0)), bodyBlock, exit);

  b.SetInsertPoint(bodyBlock);
  PHINode *i = b.CreatePHI(b.getInt64Ty(), 2, "i");
  i->addIncoming(i64(0), pre);
  body(i);
  Value *next = b.CreateAdd(i, i64(1), "i.next", true, true);
  i->addIncoming(next, b.GetInsertBlock());
  BranchInst *backEdge =
      b.CreateCondBr(b.CreateICmpSLT(next, count), bodyBlock, exit);
  b.SetInsertPoint(exit);
  return backEdge;
}

void GraphLowering::keepRolled(BranchInst *backEdge) {
  if (!backEdge)
    return;
  LLVMContext &ctx = backEdge->getContext();
  Metadata *disable = MDString::get(ctx, "llvm.loop.unroll.disable");
  MDNode *id = MDNode::getDistinct(ctx, {nullptr, MDNode::get(ctx, disable)});
  id->replaceOperandWith(0, id);
  backEdge->setMetadata(LLVMContext::MD_loop, id);
}

void GraphLowering::forEachIndex(
    ArrayRef<Value *> bounds, function_ref<void(ArrayRef<Value *>)> body) {
  SmallVector<Value *, 4> idx;
  std::function<void(unsigned)> nest = [&](unsigned d) {
    if (d == bounds.size())
      return body(idx);
    loop(bounds[d], [&](Value *i) {
      idx.push_back(i);
      nest(d + 1);
      idx.pop_back();
    });
  };
  nest(0);
}

void GraphLowering::ifThen(Value *cond, function_ref<void()> body) {
  if (auto *c = dyn_cast<ConstantInt>(cond); c && c->isOne())
    return body();
  Function *fn = b.GetInsertBlock()->getParent();
  LLVMContext &ctx = fn->getContext();
  BasicBlock *then = BasicBlock::Create(ctx, "then", fn);
  BasicBlock *cont = BasicBlock::Create(ctx, "endif", fn);
  b.CreateCondBr(cond, then, cont);
  b.SetInsertPoint(then);
  body();
  b.CreateBr(cont);
  b.SetInsertPoint(cont);
}

Value *GraphLowering::localSlot(Type *type) {
  Function *fn = b.GetInsertBlock()->getParent();
  IRBuilder<> entry(&fn->getEntryBlock(), fn->getEntryBlock().begin());
  return entry.CreateAlloca(type);
}

Error GraphLowering::lower() {
  countUses();
  chooseInlining();
  chooseHomes();
  while (!schedule()) {
  }
  planArena();
  for (const Node *n : order_)
    if (!hasKernel(n->kind))
      return createStringError(inconvertibleErrorCode(),
                               "codegen: no lowering for op '%s' (%%%s)",
                               ir::opName(n->kind), n->name.c_str());
  emitArena();
  for (const Node *n : order_) {
    emitKernel(n);
    // A single-element result is read back once and then used from a
    // register, so loops that broadcast it (clip factors, loss scales) need
    // not reload it past their stores.
    if (n->type.numElements(2) == 1)
      scalars_[n] = b.CreateLoad(elemType(n), address(n, i64(0)));
  }
  emitOutputs();
  return Error::success();
}

namespace {
// Above the planned batch, the arena moves to a heap block that is replaced
// only when a batch larger than any seen before arrives.
Value *growArena(GraphLowering &L, GlobalVariable *arena, StringRef prefix,
                 int64_t fixedBytes, int64_t rowBytes, int64_t maxBatch) {
  IRBuilder<> &b = L.b;
  Module &m = *b.GetInsertBlock()->getModule();
  Function *fn = b.GetInsertBlock()->getParent();
  LLVMContext &ctx = m.getContext();
  auto *heap = new GlobalVariable(
      m, b.getPtrTy(), false, GlobalValue::InternalLinkage,
      ConstantPointerNull::get(b.getPtrTy()), prefix + ".heap");
  auto *heapRows = new GlobalVariable(m, b.getInt64Ty(), false,
                                      GlobalValue::InternalLinkage,
                                      b.getInt64(0), prefix + ".heap.rows");
  BasicBlock *small = b.GetInsertBlock();
  BasicBlock *large = BasicBlock::Create(ctx, "arena.large", fn);
  BasicBlock *grow = BasicBlock::Create(ctx, "arena.grow", fn);
  BasicBlock *have = BasicBlock::Create(ctx, "arena.heap", fn);
  BasicBlock *join = BasicBlock::Create(ctx, "arena", fn);
  b.CreateCondBr(b.CreateICmpSLE(L.batch(), L.i64(maxBatch)), join, large);

  b.SetInsertPoint(large);
  Value *rows = b.CreateLoad(b.getInt64Ty(), heapRows);
  b.CreateCondBr(b.CreateICmpSGT(L.batch(), rows), grow, have);

  b.SetInsertPoint(grow);
  FunctionCallee freeFn =
      m.getOrInsertFunction("free", b.getVoidTy(), b.getPtrTy());
  FunctionCallee mallocFn =
      m.getOrInsertFunction("malloc", b.getPtrTy(), b.getInt64Ty());
  b.CreateCall(freeFn, {b.CreateLoad(b.getPtrTy(), heap)});
  Value *size = b.CreateAdd(L.i64(fixedBytes),
                            b.CreateMul(L.batch(), L.i64(rowBytes)));
  b.CreateStore(b.CreateCall(mallocFn, {size}), heap);
  b.CreateStore(L.batch(), heapRows);
  b.CreateBr(have);

  b.SetInsertPoint(have);
  Value *block = b.CreateLoad(b.getPtrTy(), heap);
  b.CreateBr(join);
  b.SetInsertPoint(join);
  PHINode *base = b.CreatePHI(b.getPtrTy(), 2, "arena.base");
  base->addIncoming(arena, small);
  base->addIncoming(block, have);
  return base;
}
} // namespace

// The arena: a global for up to maxBatch rows, or a heap block that is
// grown (once per larger batch size seen) above that.
void GraphLowering::emitArena() {
  if (fixedBytes_ == 0 && rowBytes_ == 0)
    return;
  Module &m = *b.GetInsertBlock()->getModule();
  std::string prefix = b.GetInsertBlock()->getParent()->getName().str();
  auto *bytes = ArrayType::get(b.getInt8Ty(), fixedBytes_ +
                                                  rowBytes_ * maxBatch_);
  auto *arena =
      new GlobalVariable(m, bytes, false, GlobalValue::InternalLinkage,
                         ConstantAggregateZero::get(bytes), prefix + ".arena");
  arena->setAlignment(Align(64));
  Value *base = arena;
  if (rowBytes_ > 0)
    base = growArena(*this, arena, prefix, fixedBytes_, rowBytes_, maxBatch_);

  Value *rows = b.CreateGEP(b.getInt8Ty(), base, i64(fixedBytes_));
  for (const Node *n : order_) {
    if (buffers_.count(n))
      continue;
    if (n->type.hasBatchDim())
      buffers_[n] = b.CreateGEP(b.getInt8Ty(), rows,
                                b.CreateMul(batch_, i64(rowOffset_[n])));
    else
      buffers_[n] = b.CreateGEP(b.getInt8Ty(), base, i64(fixedOffset_[n]));
  }
}

// Every node that owns a loop becomes its own small function, so the
// optimizer never sees the whole (possibly unrolled) graph at once. Scalar
// arithmetic stays in the entry point, where its neighbours can be combined.
void GraphLowering::emitKernel(const Node *n) {
  if (isPerElement(n->kind) && n->type.numElements(2) == 1)
    return emitNode(n);
  std::string prefix = b.GetInsertBlock()->getParent()->getName().str();
  outliner_.emit(b, prefix + "." + ir::opName(n->kind) + "." + n->name,
                 [&] { emitNode(n); });
}

void GraphLowering::emitNode(const Node *n) {
  if (isPerElement(n->kind))
    return lowerElementwise(*this, n);
  lowerKernel(*this, n);
}

void GraphLowering::emitOutputs() {
  for (const Output &out : outputs_) {
    if (out.homed || bufferOf(out.value) == out.dest)
      continue;
    Type *type = elemType(out.value);
    loop(numElements(out.value), [&](Value *i) {
      Value *v = read(out.value, Index{{}, i});
      b.CreateStore(v, b.CreateInBoundsGEP(type, out.dest, i));
    });
  }
}

} // namespace gradc::codegen
