// Conv.cpp - conv2d, its two gradients, max pooling and scatter_add.
// SPDX-License-Identifier: MIT
//
// Images are NHWC, kernels HWIO, windows placed with the Keras/TensorFlow
// "valid"/"same" rule (ir/ShapeRules.h). Every kernel puts the channel loop
// innermost, where memory is contiguous, so it vectorizes; window positions
// that fall into the padding are skipped by a branch around the channel
// loops. Straightforward loops: no im2col and no blocking yet.

#include "codegen/Kernels.h"
#include "codegen/MathFns.h"

#include "ir/ShapeRules.h"

#include <cmath>

using namespace llvm;

namespace gradc::codegen {

namespace {
struct Window {
  int64_t kh, kw, sh, sw, padTop, padLeft;
  int64_t inH, inW;
  bool valid; ///< every tap of every output lies inside the image
};

// `image` is the NHWC tensor the window slides over.
Window readWindow(const Node *n, const Node *image, int64_t kh, int64_t kw,
                  std::vector<int64_t> stride) {
  Window w{kh, kw, stride[0], stride[1], 0, 0, image->type.dims[1],
           image->type.dims[2], true};
  if (n->strAttr("padding", "valid") == "same") {
    w.valid = false;
    w.padTop = ir::samePadBefore(w.inH, kh, w.sh);
    w.padLeft = ir::samePadBefore(w.inW, kw, w.sw);
  }
  return w;
}

Window convWindow(const Node *n, const Node *image, const Node *kernel) {
  std::vector<int64_t> stride = n->listAttr("stride");
  if (stride.empty())
    stride = {1, 1};
  return readWindow(n, image, kernel->type.dims[0], kernel->type.dims[1],
                    stride);
}

Window poolWindow(const Node *n, const Node *image) {
  std::vector<int64_t> pool = n->listAttr("pool");
  if (pool.empty())
    pool = {2, 2};
  std::vector<int64_t> stride = n->listAttr("stride");
  return readWindow(n, image, pool[0], pool[1], stride.empty() ? pool : stride);
}

// Calls body(ih, iw) for every window tap of output (oh, ow) in the image.
// Valid windows need no bounds test, which keeps their loops branch-free.
void forEachTap(GraphLowering &L, const Window &w, Value *oh, Value *ow,
                function_ref<void(Value *, Value *, Value *, Value *)> body) {
  IRBuilder<> &b = L.b;
  auto inside = [&](Value *i, int64_t size) -> Value * {
    if (w.valid)
      return b.getTrue();
    return b.CreateAnd(b.CreateICmpSGE(i, L.i64(0)),
                       b.CreateICmpSLT(i, L.i64(size)));
  };
  L.loop(L.i64(w.kh), [&](Value *kh) {
    Value *ih = b.CreateAdd(b.CreateMul(oh, L.i64(w.sh)),
                            b.CreateSub(kh, L.i64(w.padTop)));
    L.ifThen(inside(ih, w.inH), [&] {
      L.loop(L.i64(w.kw), [&](Value *kw) {
        Value *iw = b.CreateAdd(b.CreateMul(ow, L.i64(w.sw)),
                                b.CreateSub(kw, L.i64(w.padLeft)));
        L.ifThen(inside(iw, w.inW), [&] { body(kh, kw, ih, iw); });
      });
    });
  });
}

void accumulate(GraphLowering &L, const Node *n, ArrayRef<Value *> idx,
                Value *v) {
  Value *at = L.linearize(n, idx);
  Value *old = L.b.CreateLoad(L.elemType(n), L.address(n, at));
  L.store(n, at, L.b.CreateFAdd(old, v));
}

Value *at(GraphLowering &L, const Node *n, SmallVector<Value *, 4> idx) {
  return L.read(n, Index{std::move(idx)});
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
