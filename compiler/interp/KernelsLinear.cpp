// KernelsLinear.cpp - reference kernels of matmul and 2-D convolution.
// SPDX-License-Identifier: MIT
//
// Convolution is NHWC input x HWIO kernel, written as the direct sum
//   y[n,oh,ow,o] = sum_{kh,kw,c} x[n, oh*sh+kh-pt, ow*sw+kw-pl, c] k[kh,kw,c,o]
// where out-of-image positions read zero and (pt, pl) is the "same" padding
// before the image (Keras/TensorFlow: the smaller half goes first). The two
// gradient kernels walk the same index tuples and accumulate into the input
// or the kernel instead, so all three agree by construction.

#include "interp/Kernels.h"
#include "ir/ShapeRules.h"

namespace gradc::interp {

using ir::OpKind;

namespace {
Tensor matmul(const ir::Node &node, const Tensor &a, const Tensor &b,
              const RunContext &ctx) {
  Tensor out = Tensor::filled(node.type, ctx.batch);
  bool ta = node.intAttr("transpose_a"), tb = node.intAttr("transpose_b");
  std::vector<int64_t> as = a.shape(), bs = b.shape();
  int64_t m = ta ? as[1] : as[0], k = ta ? as[0] : as[1];
  int64_t n = tb ? bs[0] : bs[1];
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      double sum = 0;
      for (int64_t p = 0; p < k; ++p)
        sum += a.data[ta ? p * m + i : i * k + p] *
               b.data[tb ? j * k + p : p * n + j];
      out.data[i * n + j] = sum;
    }
  }
  return out;
}

// The geometry shared by conv2d and its two gradients.
struct ConvGeometry {
  int64_t n, h, w, c;     // input
  int64_t kh, kw, o;      // kernel (c is shared)
  int64_t oh, ow;         // output
  int64_t sh, sw, pt, pl; // stride, padding before
};

ConvGeometry geometry(const ir::Node &node, const std::vector<int64_t> &x,
                      const std::vector<int64_t> &k) {
  std::vector<int64_t> stride = node.listAttr("stride");
  if (stride.empty())
    stride = {1, 1};
  bool same = node.strAttr("padding", "valid") == "same";
  ConvGeometry g{x[0], x[1], x[2],      x[3],      k[0], k[1], k[3],
                 0,    0,    stride[0], stride[1], 0,    0};
  g.oh = ir::convOutputSize(g.h, g.kh, g.sh, same);
  g.ow = ir::convOutputSize(g.w, g.kw, g.sw, same);
  g.pt = same ? ir::samePadBefore(g.h, g.kh, g.sh) : 0;
  g.pl = same ? ir::samePadBefore(g.w, g.kw, g.sw) : 0;
  return g;
}

// Calls f(xIndex, kIndex, yIndex) for every product term of the convolution.
template <typename F> void forEachTerm(const ConvGeometry &g, F f) {
  for (int64_t n = 0; n < g.n; ++n)
    for (int64_t oy = 0; oy < g.oh; ++oy)
      for (int64_t ox = 0; ox < g.ow; ++ox)
        for (int64_t ky = 0; ky < g.kh; ++ky)
          for (int64_t kx = 0; kx < g.kw; ++kx) {
            int64_t iy = oy * g.sh + ky - g.pt, ix = ox * g.sw + kx - g.pl;
            if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w)
              continue;
            for (int64_t c = 0; c < g.c; ++c)
              for (int64_t o = 0; o < g.o; ++o)
                f(((n * g.h + iy) * g.w + ix) * g.c + c,
                  ((ky * g.kw + kx) * g.c + c) * g.o + o,
                  ((n * g.oh + oy) * g.ow + ox) * g.o + o);
          }
}

Tensor conv2d(const ir::Node &node, Args args, const RunContext &ctx) {
  const Tensor &x = *args[0], &k = *args[1];
  Tensor y = Tensor::filled(node.type, ctx.batch);
  forEachTerm(geometry(node, x.shape(), k.shape()),
              [&](int64_t xi, int64_t ki, int64_t yi) {
                y.data[yi] += x.data[xi] * k.data[ki];
              });
  return y;
}

Tensor conv2dGradInput(const ir::Node &node, Args args, const RunContext &ctx) {
  const Tensor &dy = *args[0], &k = *args[1];
  Tensor dx = Tensor::filled(node.type, ctx.batch);
  forEachTerm(geometry(node, dx.shape(), k.shape()),
              [&](int64_t xi, int64_t ki, int64_t yi) {
                dx.data[xi] += dy.data[yi] * k.data[ki];
              });
  return dx;
}

Tensor conv2dGradKernel(const ir::Node &node, Args args,
                        const RunContext &ctx) {
  const Tensor &x = *args[0], &dy = *args[1];
  Tensor dk = Tensor::filled(node.type, ctx.batch);
  forEachTerm(geometry(node, x.shape(), dk.shape()),
              [&](int64_t xi, int64_t ki, int64_t yi) {
                dk.data[ki] += x.data[xi] * dy.data[yi];
              });
  return dk;
}
} // namespace

llvm::Expected<Tensor> evalLinear(const ir::Node &node, Args args,
                                  const RunContext &ctx) {
  switch (node.kind) {
  case OpKind::MatMul:
    return matmul(node, *args[0], *args[1], ctx);
  case OpKind::Conv2D:
    return conv2d(node, args, ctx);
  case OpKind::Conv2DGradInput:
    return conv2dGradInput(node, args, ctx);
  case OpKind::Conv2DGradKernel:
    return conv2dGradKernel(node, args, ctx);
  default:
    llvm_unreachable("not a linear op");
  }
}

} // namespace gradc::interp
