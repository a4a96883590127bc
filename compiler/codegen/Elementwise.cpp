// Elementwise.cpp - arithmetic, activations and index-mapped shape ops.
// SPDX-License-Identifier: MIT
//
// evalElementwise computes one element of a node from its operands' elements;
// operands that are themselves inlined are evaluated recursively at the mapped
// index, which is how chains fuse into one loop. Broadcasting maps an index
// by zeroing the dimensions an operand has as 1. Shape ops (transpose, slice,
// pad, concat, one_hot, gather) are per-element with their own index maps;
// out-of-range reads are clamped to a valid address and masked by a select,
// never branched around, so the loops stay vectorizable.

#include "codegen/Kernels.h"
#include "codegen/MathFns.h"

#include "ir/CounterRng.h"

#include "llvm/IR/Intrinsics.h"

#include <cmath>

using namespace llvm;

namespace gradc::codegen {

using ir::OpKind;

bool isPerElement(OpKind kind) {
  if (ir::isElementwise(kind) || isIndexMapped(kind))
    return true;
  return kind == OpKind::BroadcastTo || kind == OpKind::DropoutMask;
}

bool isIndexMapped(OpKind kind) {
  switch (kind) {
  case OpKind::Transpose:
  case OpKind::Slice:
  case OpKind::Pad:
  case OpKind::Concat:
  case OpKind::OneHot:
  case OpKind::Gather:
    return true;
  default:
    return false;
  }
}

namespace {
// The index of broadcasting operand `op` for result index `idx` of `user`.
Index broadcastIndex(GraphLowering &L, const Node *user, const Node *op,
                     const Index &idx) {
  if (op->type.numElements(2) == 1)
    return Index{{}, L.i64(0)};
  if (idx.flat)
    return idx;
  Index result;
  size_t shift = user->type.dims.size() - op->type.dims.size();
  for (size_t j = 0; j < op->type.dims.size(); ++j) {
    bool spread = op->type.dims[j] == 1 && user->type.dims[j + shift] != 1;
    result.dims.push_back(spread ? L.i64(0) : idx.dims[j + shift]);
  }
  return result;
}

Value *operand(GraphLowering &L, const Node *n, unsigned k, const Index &idx) {
  const Node *op = n->operands[k];
  return L.read(op, broadcastIndex(L, n, op, idx));
}

Value *boolToReal(GraphLowering &L, const Node *n, Value *cond) {
  return L.b.CreateSelect(cond, L.real(n, 1.0), L.real(n, 0.0));
}

// Clamps `i` into [0, size) and reports whether it was inside.
std::pair<Value *, Value *> clampIndex(GraphLowering &L, Value *i,
                                       Value *size) {
  IRBuilder<> &b = L.b;
  Value *inside = b.CreateAnd(b.CreateICmpSGE(i, L.i64(0)),
                              b.CreateICmpSLT(i, size));
  return {b.CreateSelect(inside, i, L.i64(0)), inside};
}

Value *evalTranspose(GraphLowering &L, const Node *n, const Index &idx) {
  std::vector<int64_t> perm = n->listAttr("perm");
  Index src;
  src.dims.resize(perm.size());
  for (size_t d = 0; d < perm.size(); ++d)
    src.dims[perm[d]] = idx.dims[d];
  return L.read(n->operands[0], src);
}

Value *evalSliceOrPad(GraphLowering &L, const Node *n, const Index &idx) {
  const Node *op = n->operands[0];
  int64_t axis = n->intAttr("axis"), begin = n->intAttr("begin");
  Index src = idx;
  if (n->kind == OpKind::Slice) {
    src.dims[axis] = L.b.CreateAdd(idx.dims[axis], L.i64(begin));
    return L.read(op, src);
  }
  auto [j, inside] = clampIndex(
      L, L.b.CreateSub(idx.dims[axis], L.i64(begin)), L.extent(op, axis));
  src.dims[axis] = j;
  return L.b.CreateSelect(inside, L.read(op, src), L.real(n, 0.0));
}

Value *evalConcat(GraphLowering &L, const Node *n, const Index &idx) {
  int64_t axis = n->intAttr("axis");
  Value *result = L.real(n, 0.0);
  int64_t offset = 0;
  for (const Node *op : n->operands) {
    Index src = idx;
    Value *local = L.b.CreateSub(idx.dims[axis], L.i64(offset));
    auto [j, inside] = clampIndex(L, local, L.extent(op, axis));
    src.dims[axis] = j;
    result = L.b.CreateSelect(inside, L.read(op, src), result);
    offset += op->type.dims[axis];
  }
  return result;
}

Value *evalOneHot(GraphLowering &L, const Node *n, const Index &idx) {
  Index src = idx;
  Value *j = src.dims.pop_back_val();
  Value *label = L.read(n->operands[0], src);
  Value *jf = L.b.CreateSIToFP(j, L.elemType(n));
  return boolToReal(L, n, L.b.CreateFCmpOEQ(label, jf));
}

Value *evalGather(GraphLowering &L, const Node *n, const Index &idx) {
  const Node *table = n->operands[0];
  Index src = idx;
  Value *d = src.dims.pop_back_val();
  Value *row = L.read(n->operands[1], src);
  row = L.b.CreateFreeze(L.b.CreateFPToSI(row, L.b.getInt64Ty()));
  row = clampIndex(L, row, L.extent(table, 0)).first;
  return L.read(table, Index{{row, d}});
}

// Counter-based mask, bit-identical to ir/CounterRng.h.
Value *evalDropout(GraphLowering &L, const Node *n, const Index &idx) {
  IRBuilder<> &b = L.b;
  auto mix = [&](Value *z) {
    z = b.CreateAdd(z, b.getInt64(0x9e3779b97f4a7c15ULL));
    z = b.CreateMul(b.CreateXor(z, b.CreateLShr(z, 30)),
                    b.getInt64(0xbf58476d1ce4e5b9ULL));
    z = b.CreateMul(b.CreateXor(z, b.CreateLShr(z, 27)),
                    b.getInt64(0x94d049bb133111ebULL));
    return b.CreateXor(z, b.CreateLShr(z, 31));
  };
  uint64_t key = ir::rngKeyFromName(n->strAttr("key"));
  if (auto it = n->attrs.find("key"); it != n->attrs.end())
    if (const auto *k = std::get_if<int64_t>(&it->second))
      key = uint64_t(*k);
  Value *pos = idx.flat ? idx.flat : L.linearize(n, idx.dims);
  Value *seed = L.seed();
  if (n->attrs.count("seed"))
    seed = b.getInt64(uint64_t(n->intAttr("seed")));
  Value *step = b.CreateFPToUI(L.read(n->operands[0], Index{{}, L.i64(0)}),
                               b.getInt64Ty());
  Value *h = mix(seed);
  h = mix(b.CreateXor(h, step));
  h = mix(b.CreateXor(h, b.getInt64(key)));
  h = mix(b.CreateXor(h, pos));
  double rate = n->realAttr("rate");
  Value *keep = b.CreateICmpUGE(b.CreateLShr(h, 40),
                                b.getInt64(ir::dropoutThreshold(rate)));
  return b.CreateSelect(keep, L.real(n, ir::dropoutScale(rate)),
                        L.real(n, 0.0));
}

Value *evalUnary(GraphLowering &L, const Node *n, Value *x) {
  IRBuilder<> &b = L.b;
  Value *zero = L.real(n, 0.0);
  switch (n->kind) {
  case OpKind::Neg:
    return b.CreateFNeg(x);
  case OpKind::Exp:
    return emitExp(b, x);
  case OpKind::Log:
    return emitLog(b, x);
  case OpKind::Sqrt:
    return b.CreateUnaryIntrinsic(Intrinsic::sqrt, x);
  case OpKind::Square:
    return b.CreateFMul(x, x);
  case OpKind::Abs:
    return b.CreateUnaryIntrinsic(Intrinsic::fabs, x);
  case OpKind::Tanh:
    return emitTanh(b, x);
  case OpKind::Sigmoid:
    return emitSigmoid(b, x);
  case OpKind::Softplus:
    return emitSoftplus(b, x);
  case OpKind::Relu:
    return b.CreateSelect(b.CreateFCmpOLT(x, zero), zero, x);
  case OpKind::LeakyRelu: {
    Value *alpha = L.real(n, n->realAttr("alpha", 0.3));
    return b.CreateSelect(b.CreateFCmpOGT(x, zero), x, b.CreateFMul(alpha, x));
  }
  case OpKind::Elu: {
    Value *alpha = L.real(n, n->realAttr("alpha", 1.0));
    Value *neg = b.CreateFMul(alpha, emitExpm1(b, x));
    return b.CreateSelect(b.CreateFCmpOGT(x, zero), x, neg);
  }
  case OpKind::Clamp: {
    Value *lo = L.real(n, n->realAttr("lo"));
    Value *hi = L.real(n, n->realAttr("hi"));
    Value *r = b.CreateSelect(b.CreateFCmpOGT(x, hi), hi, x);
    return b.CreateSelect(b.CreateFCmpOLT(r, lo), lo, r);
  }
  case OpKind::IsFinite: {
    Value *a = b.CreateUnaryIntrinsic(Intrinsic::fabs, x);
    return boolToReal(L, n, b.CreateFCmpOLT(a, L.real(n, HUGE_VAL)));
  }
  default:
    llvm_unreachable("not a unary elementwise op");
  }
}

Value *evalBinary(GraphLowering &L, const Node *n, Value *x, Value *y) {
  IRBuilder<> &b = L.b;
  switch (n->kind) {
  case OpKind::Add:
    return b.CreateFAdd(x, y);
  case OpKind::Sub:
    return b.CreateFSub(x, y);
  case OpKind::Mul:
    return b.CreateFMul(x, y);
  case OpKind::Div:
    return b.CreateFDiv(x, y);
  case OpKind::Maximum:
    return emitMaxNaN(b, x, y);
  case OpKind::Minimum:
    return emitMinNaN(b, x, y);
  case OpKind::Greater:
    return boolToReal(L, n, b.CreateFCmpOGT(x, y));
  default:
    llvm_unreachable("not a binary elementwise op");
  }
}
} // namespace

Value *evalElementwise(GraphLowering &L, const Node *n, const Index &idx) {
  switch (n->kind) {
  case OpKind::Transpose:
    return evalTranspose(L, n, idx);
  case OpKind::Slice:
  case OpKind::Pad:
    return evalSliceOrPad(L, n, idx);
  case OpKind::Concat:
    return evalConcat(L, n, idx);
  case OpKind::OneHot:
    return evalOneHot(L, n, idx);
  case OpKind::Gather:
    return evalGather(L, n, idx);
  case OpKind::DropoutMask:
    return evalDropout(L, n, idx);
  case OpKind::BroadcastTo:
    return operand(L, n, 0, idx);
  case OpKind::Select: {
    Value *cond = operand(L, n, 0, idx);
    Value *a = operand(L, n, 1, idx), *c = operand(L, n, 2, idx);
    return L.b.CreateSelect(L.b.CreateFCmpUNE(cond, L.real(n, 0.0)), a, c);
  }
  default:
    break;
  }
  if (n->operands.size() == 1)
    return evalUnary(L, n, operand(L, n, 0, idx));
  return evalBinary(L, n, operand(L, n, 0, idx), operand(L, n, 1, idx));
}

void lowerElementwise(GraphLowering &L, const Node *n) {
  if (L.canFlatten(n)) {
    L.loop(L.numElements(n), [&](Value *i) {
      L.store(n, i, evalElementwise(L, n, Index{{}, i}));
    });
    return;
  }
  L.forEachIndex(L.extents(n), [&](ArrayRef<Value *> dims) {
    Index idx;
    idx.dims.assign(dims.begin(), dims.end());
    L.store(n, L.linearize(n, dims), evalElementwise(L, n, idx));
  });
}

} // namespace gradc::codegen
