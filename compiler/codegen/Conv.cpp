// Conv.cpp - conv2d, its two gradients and scatter_add.
// SPDX-License-Identifier: MIT
//
// Images are NHWC, kernels HWIO (windows: Window.h). Every kernel puts the
// channel loop innermost, where memory is contiguous, so it vectorizes.
// conv2d, and the kernel gradient over valid windows, keep a whole row of
// output channels in one vector register and store it once; the input
// gradient is a plain loop nest. No im2col and no blocking yet.

#include "codegen/Kernels.h"
#include "codegen/Window.h"

using namespace llvm;

namespace gradc::codegen {

namespace {
void accumulate(GraphLowering &L, const Node *n, ArrayRef<Value *> idx,
                Value *v) {
  Value *at = L.linearize(n, idx);
  Value *old = L.b.CreateLoad(L.elemType(n), L.address(n, at));
  L.store(n, at, L.b.CreateFAdd(old, v));
}

// Channel rows up to this width are accumulated in vector registers.
constexpr int64_t kRegisterChannels = 64;

bool inBuffer(GraphLowering &L, const Node *n) {
  StorageKind kind = L.storageKind(n);
  return kind == StorageKind::Buffer || kind == StorageKind::Alias;
}

// The channel vector of `n` at `idx` (whose last index is 0).
Value *channelsAt(GraphLowering &L, const Node *n, ArrayRef<Value *> idx) {
  auto *vec = FixedVectorType::get(L.elemType(n), unsigned(n->type.dims[3]));
  return L.b.CreateAlignedLoad(vec, L.address(n, L.linearize(n, idx)),
                               Align(4));
}

// acc += splat(scalar) * row, for a vector accumulator in `slot`.
void accumulateRow(GraphLowering &L, Value *slot, Value *scalar, Value *row) {
  IRBuilder<> &b = L.b;
  auto *vec = cast<FixedVectorType>(row->getType());
  Value *splat = b.CreateVectorSplat(vec->getNumElements(), scalar);
  Value *acc = b.CreateLoad(vec, slot);
  b.CreateStore(b.CreateFAdd(acc, b.CreateFMul(splat, row)), slot);
}

// out[p, :] = sum over taps and input channels of x * k[tap, c, :], the
// output channels in one register, in the order of the plain loops below.
void convRegisterRows(GraphLowering &L, const Node *n, const Window &w) {
  const Node *x = n->operands[0], *k = n->operands[1];
  auto *vec = FixedVectorType::get(L.elemType(n), unsigned(n->type.dims[3]));
  Value *slot = L.localSlot(vec);
  L.forEachIndex({L.batch(), L.extent(n, 1), L.extent(n, 2)},
                 [&](ArrayRef<Value *> p) {
    L.b.CreateStore(Constant::getNullValue(vec), slot);
    forEachTap(L, w, p[1], p[2], [&](Value *kh, Value *kw, Value *ih,
                                     Value *iw) {
      L.loop(L.extent(x, 3), [&](Value *c) {
        accumulateRow(L, slot, at(L, x, {p[0], ih, iw, c}),
                      channelsAt(L, k, {kh, kw, c, L.i64(0)}));
      });
    });
    Value *dest = L.address(n, L.linearize(n, {p[0], p[1], p[2], L.i64(0)}));
    L.b.CreateAlignedStore(L.b.CreateLoad(vec, slot), dest, Align(4));
  });
}

// dk[tap, c, :] = sum over images and positions of x * dy[p, :], for valid
// windows: one register per (tap, c), the positions in the plain order.
void gradKernelRegisterRows(GraphLowering &L, const Node *n,
                            const Window &w) {
  const Node *x = n->operands[0], *dy = n->operands[1];
  IRBuilder<> &b = L.b;
  auto *vec = FixedVectorType::get(L.elemType(n), unsigned(n->type.dims[3]));
  Value *slot = L.localSlot(vec);
  L.forEachIndex({L.i64(w.kh), L.i64(w.kw), L.extent(x, 3)},
                 [&](ArrayRef<Value *> t) {
    b.CreateStore(Constant::getNullValue(vec), slot);
    L.forEachIndex({L.batch(), L.extent(dy, 1), L.extent(dy, 2)},
                   [&](ArrayRef<Value *> p) {
      Value *ih = b.CreateAdd(b.CreateMul(p[1], L.i64(w.sh)), t[0]);
      Value *iw = b.CreateAdd(b.CreateMul(p[2], L.i64(w.sw)), t[1]);
      accumulateRow(L, slot, at(L, x, {p[0], ih, iw, t[2]}),
                    channelsAt(L, dy, {p[0], p[1], p[2], L.i64(0)}));
    });
    Value *dest = L.address(n, L.linearize(n, {t[0], t[1], t[2], L.i64(0)}));
    b.CreateAlignedStore(b.CreateLoad(vec, slot), dest, Align(4));
  });
}
} // namespace

void lowerConv2D(GraphLowering &L, const Node *n) {
  const Node *x = n->operands[0], *k = n->operands[1];
  Window w = convWindow(n, x, k);
  if (n->type.dims[3] <= kRegisterChannels && inBuffer(L, k))
    return convRegisterRows(L, n, w);
  Value *channels = L.extent(x, 3), *outs = L.extent(n, 3);
  L.fill(n, 0.0);
  L.forEachIndex({L.batch(), L.extent(n, 1), L.extent(n, 2)},
                 [&](ArrayRef<Value *> p) {
    forEachTap(L, w, p[1], p[2], [&](Value *kh, Value *kw, Value *ih,
                                     Value *iw) {
      L.loop(channels, [&](Value *c) {
        Value *xv = at(L, x, {p[0], ih, iw, c});
        L.loop(outs, [&](Value *o) {
          Value *kv = at(L, k, {kh, kw, c, o});
          accumulate(L, n, {p[0], p[1], p[2], o}, L.b.CreateFMul(xv, kv));
        });
      });
    });
  });
}

void lowerConv2DGradInput(GraphLowering &L, const Node *n) {
  const Node *dy = n->operands[0], *k = n->operands[1];
  Window w = convWindow(n, n, k);
  Value *outs = L.extent(dy, 3);
  Value *slot = L.localSlot(L.elemType(n));
  L.fill(n, 0.0);
  L.forEachIndex({L.batch(), L.extent(dy, 1), L.extent(dy, 2)},
                 [&](ArrayRef<Value *> p) {
    forEachTap(L, w, p[1], p[2], [&](Value *kh, Value *kw, Value *ih,
                                     Value *iw) {
      L.loop(L.extent(n, 3), [&](Value *c) {
        L.b.CreateStore(L.real(n, 0.0), slot);
        L.loop(outs, [&](Value *o) {
          Value *prod = L.b.CreateFMul(at(L, dy, {p[0], p[1], p[2], o}),
                                       at(L, k, {kh, kw, c, o}));
          Value *sum = L.b.CreateFAdd(L.b.CreateLoad(L.elemType(n), slot),
                                      prod);
          cast<Instruction>(sum)->setHasAllowReassoc(true);
          L.b.CreateStore(sum, slot);
        });
        accumulate(L, n, {p[0], ih, iw, c},
                   L.b.CreateLoad(L.elemType(n), slot));
      });
    });
  });
}

void lowerConv2DGradKernel(GraphLowering &L, const Node *n) {
  const Node *x = n->operands[0], *dy = n->operands[1];
  Window w = convWindow(n, x, n);
  if (w.valid && n->type.dims[3] <= kRegisterChannels && inBuffer(L, dy))
    return gradKernelRegisterRows(L, n, w);
  L.fill(n, 0.0);
  L.forEachIndex({L.batch(), L.extent(dy, 1), L.extent(dy, 2)},
                 [&](ArrayRef<Value *> p) {
    forEachTap(L, w, p[1], p[2], [&](Value *kh, Value *kw, Value *ih,
                                     Value *iw) {
      L.loop(L.extent(x, 3), [&](Value *c) {
        Value *xv = at(L, x, {p[0], ih, iw, c});
        L.loop(L.extent(dy, 3), [&](Value *o) {
          Value *g = at(L, dy, {p[0], p[1], p[2], o});
          accumulate(L, n, {kh, kw, c, o}, L.b.CreateFMul(xv, g));
        });
      });
    });
  });
}


// out[indices[p], :] += dy[p, :]; rows outside [0, rows) are dropped.
void lowerScatterAdd(GraphLowering &L, const Node *n) {
  IRBuilder<> &b = L.b;
  const Node *indices = n->operands[0], *dy = n->operands[1];
  Value *rows = L.extent(n, 0);
  L.fill(n, 0.0);
  L.forEachIndex(L.extents(indices), [&](ArrayRef<Value *> p) {
    Value *row = L.read(indices, Index{{p.begin(), p.end()}});
    row = b.CreateFreeze(b.CreateFPToSI(row, b.getInt64Ty()));
    Value *inside = b.CreateAnd(b.CreateICmpSGE(row, L.i64(0)),
                                b.CreateICmpSLT(row, rows));
    L.ifThen(inside, [&] {
      L.loop(L.extent(n, 1), [&](Value *d) {
        SmallVector<Value *, 4> src(p.begin(), p.end());
        src.push_back(d);
        accumulate(L, n, {row, d}, L.read(dy, Index{src}));
      });
    });
  });
}

} // namespace gradc::codegen
