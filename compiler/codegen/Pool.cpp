// Pool.cpp - max pooling and its gradient.
// SPDX-License-Identifier: MIT
//
// The channel loop is innermost, where memory is contiguous. The gradient
// goes to the first maximum of each window; when windows do not overlap
// (the usual pool = stride) every cell is written once, which vectorizes,
// otherwise the gradient is scattered into a zeroed result.

#include "codegen/Kernels.h"
#include "codegen/MathFns.h"
#include "codegen/Window.h"

#include <cmath>

using namespace llvm;

namespace gradc::codegen {

void lowerMaxPool2D(GraphLowering &L, const Node *n) {
  const Node *x = n->operands[0];
  Window w = poolWindow(n, x);
  Value *slot = L.localSlot(L.elemType(n));
  L.forEachIndex(L.extents(n), [&](ArrayRef<Value *> p) {
    L.b.CreateStore(L.real(n, -HUGE_VAL), slot);
    forEachTap(L, w, p[1], p[2], [&](Value *, Value *, Value *ih, Value *iw) {
      Value *v = at(L, x, {p[0], ih, iw, p[3]});
      Value *best = L.b.CreateLoad(L.elemType(n), slot);
      L.b.CreateStore(emitMaxNaN(L.b, v, best), slot);
    });
    L.store(n, L.linearize(n, p), L.b.CreateLoad(L.elemType(n), slot));
  });
}

namespace {
// Index of the first maximum among the window's taps (row-major), or -1.
Value *firstMaxTap(GraphLowering &L, const Node *n, const Window &w,
                   ArrayRef<Value *> p) {
  IRBuilder<> &b = L.b;
  const Node *x = n->operands[0];
  Value *bestSlot = L.localSlot(L.elemType(n));
  Value *whereSlot = L.localSlot(b.getInt64Ty());
  b.CreateStore(L.real(n, -HUGE_VAL), bestSlot);
  b.CreateStore(L.i64(-1), whereSlot);
  forEachTap(L, w, p[1], p[2], [&](Value *kh, Value *kw, Value *ih, Value *iw) {
    Value *v = at(L, x, {p[0], ih, iw, p[3]});
    Value *where = b.CreateLoad(b.getInt64Ty(), whereSlot);
    Value *better = b.CreateOr(
        b.CreateFCmpOGT(v, b.CreateLoad(L.elemType(n), bestSlot)),
        b.CreateICmpSLT(where, L.i64(0)));
    Value *tap = b.CreateAdd(b.CreateMul(kh, L.i64(w.kw)), kw);
    b.CreateStore(b.CreateSelect(better, tap, where), whereSlot);
    Value *best = b.CreateLoad(L.elemType(n), bestSlot);
    b.CreateStore(b.CreateSelect(better, v, best), bestSlot);
  });
  return b.CreateLoad(b.getInt64Ty(), whereSlot);
}

// True when the windows tile the image: no gaps, no cell left unwritten.
bool tilesImage(const Window &w, const Node *dy) {
  return w.sh == w.kh && w.sw == w.kw &&
         dy->type.dims[1] * w.kh - w.padTop >= w.inH &&
         dy->type.dims[2] * w.kw - w.padLeft >= w.inW;
}

// Windows that do not overlap: every cell of a window is written once,
// with the gradient (added to zero, as the general kernel does) at the
// first maximum and zero elsewhere. No scatter, so the channel loop
// vectorizes; only cells outside every window need the fill.
void lowerDisjointPoolGrad(GraphLowering &L, const Node *n, const Window &w) {
  IRBuilder<> &b = L.b;
  const Node *dy = n->operands[1];
  if (!tilesImage(w, dy))
    L.fill(n, 0.0);
  L.forEachIndex(L.extents(dy), [&](ArrayRef<Value *> p) {
    Value *where = firstMaxTap(L, n, w, p);
    Value *g = b.CreateFAdd(L.real(n, 0.0), at(L, dy, {p.begin(), p.end()}));
    forEachTap(L, w, p[1], p[2], [&](Value *kh, Value *kw, Value *ih,
                                     Value *iw) {
      Value *tap = b.CreateAdd(b.CreateMul(kh, L.i64(w.kw)), kw);
      Value *v = b.CreateSelect(b.CreateICmpEQ(tap, where), g, L.real(n, 0.0));
      L.store(n, L.linearize(n, {p[0], ih, iw, p[3]}), v);
    });
  });
}
} // namespace

// The gradient goes to the first maximum of each window, in row-major order.
void lowerMaxPool2DGrad(GraphLowering &L, const Node *n) {
  IRBuilder<> &b = L.b;
  const Node *x = n->operands[0], *dy = n->operands[1];
  Window w = poolWindow(n, x);
  if (w.sh >= w.kh && w.sw >= w.kw)
    return lowerDisjointPoolGrad(L, n, w);
  Value *bestSlot = L.localSlot(L.elemType(n));
  Value *whereSlot = L.localSlot(b.getInt64Ty());
  L.fill(n, 0.0);
  L.forEachIndex(L.extents(dy), [&](ArrayRef<Value *> p) {
    b.CreateStore(L.real(n, -HUGE_VAL), bestSlot);
    b.CreateStore(L.i64(-1), whereSlot);
    forEachTap(L, w, p[1], p[2], [&](Value *, Value *, Value *ih, Value *iw) {
      Value *v = at(L, x, {p[0], ih, iw, p[3]});
      Value *where = b.CreateLoad(b.getInt64Ty(), whereSlot);
      Value *better = b.CreateOr(
          b.CreateFCmpOGT(v, b.CreateLoad(L.elemType(n), bestSlot)),
          b.CreateICmpSLT(where, L.i64(0)));
      Value *pos = L.linearize(n, {p[0], ih, iw, p[3]});
      b.CreateStore(b.CreateSelect(better, pos, where), whereSlot);
      Value *best = b.CreateLoad(L.elemType(n), bestSlot);
      b.CreateStore(b.CreateSelect(better, v, best), bestSlot);
    });
    Value *where = b.CreateLoad(b.getInt64Ty(), whereSlot);
    L.ifThen(b.CreateICmpSGE(where, L.i64(0)), [&] {
      Value *old = b.CreateLoad(L.elemType(n), L.address(n, where));
      L.store(n, where, b.CreateFAdd(old, at(L, dy, {p.begin(), p.end()})));
    });
  });
}

} // namespace gradc::codegen
