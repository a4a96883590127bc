// Reductions.cpp - reduce_sum, reduce_max, norm2 and log_softmax.
// SPDX-License-Identifier: MIT
//
// reduce_sum and reduce_max walk the input once: the reduced dimensions at
// the end become an accumulator loop (its adds may be reassociated, so it
// vectorizes), reduced dimensions in front accumulate into the result in
// memory (vectorized across the kept inner dimensions without reassociation).
// norm2 is deliberately not left to the vectorizer: it sums squares in f64
// over eight fixed lanes written as explicit vectors, then adds the lanes in
// a fixed tree, so its value is the same at every -O level and vector width
// and does not overflow for f32 inputs near 1e20.

#include "codegen/Kernels.h"
#include "codegen/MathFns.h"

#include "llvm/IR/Intrinsics.h"

#include <cmath>

using namespace llvm;

namespace gradc::codegen {

using ir::OpKind;

namespace {
Value *reassociableAdd(IRBuilder<> &b, Value *x, Value *y) {
  Value *sum = b.CreateFAdd(x, y);
  if (auto *inst = dyn_cast<Instruction>(sum))
    inst->setHasAllowReassoc(true);
  return sum;
}

Value *combine(GraphLowering &L, const Node *n, Value *acc, Value *v) {
  if (n->kind == OpKind::ReduceMax)
    return emitMaxNaN(L.b, v, acc);
  return reassociableAdd(L.b, acc, v);
}

std::vector<bool> reducedDims(const Node *n, size_t rank) {
  std::vector<int64_t> axes = n->listAttr("axes");
  std::vector<bool> reduced(rank, axes.empty()); // [] reduces every axis
  for (int64_t axis : axes)
    reduced[axis < 0 ? axis + int64_t(rank) : axis] = true;
  return reduced;
}

// The result index for input prefix `p` (dimensions [0, p.size())).
SmallVector<Value *, 4> resultIndex(GraphLowering &L,
                                    const std::vector<bool> &reduced,
                                    ArrayRef<Value *> p, bool keepdims) {
  SmallVector<Value *, 4> idx;
  for (size_t d = 0; d < reduced.size(); ++d) {
    if (!reduced[d])
      idx.push_back(p[d]);
    else if (keepdims)
      idx.push_back(L.i64(0));
  }
  return idx;
}
} // namespace

void lowerReduce(GraphLowering &L, const Node *n) {
  IRBuilder<> &b = L.b;
  const Node *in = n->operands[0];
  size_t rank = in->type.dims.size();
  std::vector<bool> reduced = reducedDims(n, rank);
  size_t split = rank;
  while (split > 0 && reduced[split - 1])
    --split;
  bool reducesInFront = false;
  for (size_t d = 0; d < split; ++d)
    reducesInFront |= reduced[d];
  double identity = n->kind == OpKind::ReduceMax ? -HUGE_VAL : 0.0;
  if (reducesInFront)
    L.fill(n, identity);

  SmallVector<Value *, 4> bounds = L.extents(in);
  ArrayRef<Value *> all(bounds);
  Value *slot = L.localSlot(L.elemType(n));
  L.forEachIndex(all.take_front(split), [&](ArrayRef<Value *> p) {
    b.CreateStore(L.real(n, identity), slot);
    L.forEachIndex(all.drop_front(split), [&](ArrayRef<Value *> s) {
      Index idx;
      idx.dims.append(p.begin(), p.end());
      idx.dims.append(s.begin(), s.end());
      Value *acc = b.CreateLoad(L.elemType(n), slot);
      b.CreateStore(combine(L, n, acc, L.read(in, idx)), slot);
    });
    SmallVector<Value *, 4> padded(p.begin(), p.end());
    padded.resize(rank, L.i64(0));
    Value *at = L.linearize(
        n, resultIndex(L, reduced, padded, n->intAttr("keepdims", 0)));
    Value *acc = b.CreateLoad(L.elemType(n), slot);
    if (reducesInFront)
      acc = combine(L, n, b.CreateLoad(L.elemType(n), L.address(n, at)), acc);
    L.store(n, at, acc);
  });
}

void lowerNorm2(GraphLowering &L, const Node *n) {
  constexpr unsigned kLanes = 8;
  IRBuilder<> &b = L.b;
  IRBuilder<>::FastMathFlagGuard guard(b);
  b.clearFastMathFlags(); // no contraction: the same value at every -O
  const Node *in = n->operands[0];
  Type *elem = L.elemType(in), *f64 = b.getDoubleTy();
  auto *vec = FixedVectorType::get(elem, kLanes);
  auto *vec64 = FixedVectorType::get(f64, kLanes);
  auto widen = [&](Value *v, Type *to) {
    return elem == f64 ? v : b.CreateFPExt(v, to);
  };

  Value *count = L.numElements(in);
  Value *chunks = b.CreateUDiv(count, L.i64(kLanes));
  Value *lanes = L.localSlot(vec64), *tail = L.localSlot(f64);
  b.CreateStore(Constant::getNullValue(vec64), lanes);
  b.CreateStore(ConstantFP::get(f64, 0.0), tail);
  L.loop(chunks, [&](Value *c) {
    Value *at = L.address(in, b.CreateMul(c, L.i64(kLanes)));
    Value *v = widen(b.CreateAlignedLoad(vec, at, Align(4)), vec64);
    Value *acc = b.CreateLoad(vec64, lanes);
    b.CreateStore(b.CreateFAdd(acc, b.CreateFMul(v, v)), lanes);
  });
  Value *done = b.CreateMul(chunks, L.i64(kLanes));
  L.loop(b.CreateSub(count, done), [&](Value *j) {
    Value *x = widen(L.read(in, Index{{}, b.CreateAdd(done, j)}), f64);
    Value *acc = b.CreateLoad(f64, tail);
    b.CreateStore(b.CreateFAdd(acc, b.CreateFMul(x, x)), tail);
  });

  // Lanes summed pairwise in a fixed tree, then the tail.
  Value *acc = b.CreateLoad(vec64, lanes);
  SmallVector<Value *, kLanes> parts;
  for (unsigned i = 0; i < kLanes; ++i)
    parts.push_back(b.CreateExtractElement(acc, i));
  for (unsigned width = kLanes; width > 1; width /= 2)
    for (unsigned i = 0; i < width / 2; ++i)
      parts[i] = b.CreateFAdd(parts[2 * i], parts[2 * i + 1]);
  Value *sum = b.CreateFAdd(parts[0], b.CreateLoad(f64, tail));
  Value *norm = b.CreateUnaryIntrinsic(Intrinsic::sqrt, sum);
  L.store(n, L.i64(0), b.CreateFPTrunc(norm, L.elemType(n)));
}

// out = x - (max + log(sum(exp(x - max)))) over the last axis.
void lowerLogSoftmax(GraphLowering &L, const Node *n) {
  IRBuilder<> &b = L.b;
  const Node *in = n->operands[0];
  int64_t width = n->type.dims.back();
  Value *rows = b.CreateUDiv(L.numElements(n), L.i64(width));
  Type *elem = L.elemType(n);
  Value *maxSlot = L.localSlot(elem), *sumSlot = L.localSlot(elem);
  L.loop(rows, [&](Value *r) {
    Value *base = b.CreateMul(r, L.i64(width));
    auto at = [&](Value *c) {
      return L.read(in, Index{{}, b.CreateAdd(base, c)});
    };
    b.CreateStore(L.real(n, -HUGE_VAL), maxSlot);
    L.loop(L.i64(width), [&](Value *c) {
      Value *m = b.CreateLoad(elem, maxSlot);
      b.CreateStore(emitMaxNaN(b, at(c), m), maxSlot);
    });
    Value *m = b.CreateLoad(elem, maxSlot);
    b.CreateStore(L.real(n, 0.0), sumSlot);
    L.loop(L.i64(width), [&](Value *c) {
      Value *e = emitExp(b, b.CreateFSub(at(c), m));
      b.CreateStore(reassociableAdd(b, b.CreateLoad(elem, sumSlot), e),
                    sumSlot);
    });
    Value *shift = b.CreateFAdd(m, emitLog(b, b.CreateLoad(elem, sumSlot)));
    L.loop(L.i64(width), [&](Value *c) {
      L.store(n, b.CreateAdd(base, c), b.CreateFSub(at(c), shift));
    });
  });
}

} // namespace gradc::codegen
