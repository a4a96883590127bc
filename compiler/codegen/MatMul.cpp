// MatMul.cpp - [M,K] x [K,N] with optional transposed operands.
// SPDX-License-Identifier: MIT
//
// Three loop shapes, chosen from the (constant) N and the layout of B:
//  - rows of B contiguous and N narrow (up to 16): each row of C is one
//    vector register, accumulated over all of K and stored once;
//  - B not transposed and N wider: tiles of C held in vector registers
//    while k runs over a block of K (MatMulTile.cpp);
//  - otherwise: C[m,n] = dot(A[m,:], B[:,n]), a reassociable reduction that
//    vectorizes along K when the operands are contiguous along K.
// Only M and K may be the run-time batch (K is the batch in x^T * dy).
// The first two add A[m,k] * B[k,n] into C[m,n] for k in increasing order,
// starting from zero, with one contractable multiply-add per step, so they
// round alike and a change between them does not change any result.

#include "codegen/Kernels.h"
#include "codegen/MatMul.h"

using namespace llvm;

namespace gradc::codegen {

Value *readA(GraphLowering &L, const MatMulShape &s, Value *m, Value *k) {
  return L.read(s.a, Index{s.ta ? SmallVector<Value *, 4>{k, m}
                                : SmallVector<Value *, 4>{m, k}});
}

Value *readB(GraphLowering &L, const MatMulShape &s, Value *k, Value *n) {
  return L.read(s.b, Index{s.tb ? SmallVector<Value *, 4>{n, k}
                                : SmallVector<Value *, 4>{k, n}});
}

namespace {
constexpr int64_t kRowTile = 4;
constexpr int64_t kRegisterWidth = 16;
constexpr int64_t kRolledDepth = 16;

// C[m0 + r, :] = sum over k of A[m0 + r, k] * B[k, :], r < rows: for a
// narrow N, each row of C is one vector accumulated in a register over all
// of K, in the same order as lowerTiledMatMul, and stored once.
void registerRows(GraphLowering &L, const Node *c, const MatMulShape &s,
                  Value *m0, int64_t rows) {
  IRBuilder<> &b = L.b;
  auto *vec = FixedVectorType::get(L.elemType(c), unsigned(s.n));
  SmallVector<Value *, kRowTile> ms, slots;
  for (int64_t r = 0; r < rows; ++r) {
    ms.push_back(b.CreateAdd(m0, L.i64(r)));
    slots.push_back(L.localSlot(vec));
    b.CreateStore(Constant::getNullValue(vec), slots.back());
  }
  L.loop(s.k, [&](Value *k) {
    Value *row = L.address(s.b, L.linearize(s.b, {k, L.i64(0)}));
    Value *bv = b.CreateAlignedLoad(vec, row, Align(4));
    for (int64_t r = 0; r < rows; ++r) {
      Value *a = b.CreateVectorSplat(unsigned(s.n), readA(L, s, ms[r], k));
      Value *acc = b.CreateLoad(vec, slots[r]);
      b.CreateStore(b.CreateFAdd(acc, b.CreateFMul(a, bv)), slots[r]);
    }
  });
  for (int64_t r = 0; r < rows; ++r) {
    Value *at = L.address(c, L.linearize(c, {ms[r], L.i64(0)}));
    b.CreateAlignedStore(b.CreateLoad(vec, slots[r]), at, Align(4));
  }
}

void lowerRegisterRows(GraphLowering &L, const Node *c,
                       const MatMulShape &s) {
  IRBuilder<> &b = L.b;
  Value *tiles = b.CreateUDiv(s.m, L.i64(kRowTile));
  L.loop(tiles, [&](Value *t) {
    registerRows(L, c, s, b.CreateMul(t, L.i64(kRowTile)), kRowTile);
  });
  Value *done = b.CreateMul(tiles, L.i64(kRowTile));
  L.loop(b.CreateSub(s.m, done), [&](Value *r) {
    registerRows(L, c, s, b.CreateAdd(done, r), 1);
  });
}

// A narrow row of B in a buffer is loaded as one vector.
bool fitsRegister(GraphLowering &L, const MatMulShape &s) {
  return !s.tb && s.n >= 2 && s.n <= kRegisterWidth &&
         L.storageKind(s.b) != StorageKind::Inline &&
         L.storageKind(s.b) != StorageKind::Scalar;
}

void lowerDot(GraphLowering &L, const Node *c, const MatMulShape &s) {
  IRBuilder<> &b = L.b;
  Value *slot = L.localSlot(L.elemType(c));
  L.forEachIndex({s.m, L.i64(s.n)}, [&](ArrayRef<Value *> mn) {
    b.CreateStore(L.real(c, 0.0), slot);
    // A single column (N = 1) with a constant K: rolled, the k loop
    // vectorizes along K; fully unrolled it became a gather over M, several
    // times the code. Otherwise LLVM's choice (interleaved partial sums for
    // deep loops, full unrolling for shallow ones) runs faster.
    BranchInst *backEdge = L.loop(s.k, [&](Value *k) {
      Value *prod = b.CreateFMul(readA(L, s, mn[0], k), readB(L, s, k, mn[1]));
      Value *sum = b.CreateFAdd(b.CreateLoad(L.elemType(c), slot), prod);
      cast<Instruction>(sum)->setHasAllowReassoc(true);
      b.CreateStore(sum, slot);
    });
    auto *depth = dyn_cast<ConstantInt>(s.k);
    if (s.n == 1 && depth && depth->getSExtValue() >= kRolledDepth)
      GraphLowering::keepRolled(backEdge);
    L.store(c, L.linearize(c, mn), b.CreateLoad(L.elemType(c), slot));
  });
}
} // namespace

void lowerMatMul(GraphLowering &L, const Node *n) {
  MatMulShape s{n->operands[0], n->operands[1], bool(n->intAttr("transpose_a")),
                bool(n->intAttr("transpose_b")), L.extent(n, 0), nullptr,
                n->type.dims[1]};
  s.k = L.extent(s.a, s.ta ? 0 : 1);
  if (fitsRegister(L, s))
    return lowerRegisterRows(L, n, s);
  if (!s.tb && s.n >= 8)
    return lowerTiledMatMul(L, n, s);
  lowerDot(L, n, s);
}

} // namespace gradc::codegen
