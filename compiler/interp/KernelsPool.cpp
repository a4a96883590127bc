// KernelsPool.cpp - reference kernels of 2-D max pooling and its gradient.
// SPDX-License-Identifier: MIT
//
// Each window's winner is found once, by one rule used by both kernels: the
// first element in row-major window order that is greater than every earlier
// one, or the first NaN. Positions outside the image ("same" padding) never
// win. The forward kernel copies the winner; the gradient adds the upstream
// value to the winner's position, so ties send the whole gradient to the
// first maximum.

#include "interp/Kernels.h"
#include "ir/ShapeRules.h"

#include <cmath>

namespace gradc::interp {

namespace {
struct PoolGeometry {
  int64_t n, h, w, c;
  int64_t ph, pw, sh, sw;
  int64_t oh, ow, pt, pl;
};

PoolGeometry poolGeometry(const ir::Node &node, const std::vector<int64_t> &x) {
  std::vector<int64_t> pool = node.listAttr("pool");
  if (pool.empty())
    pool = {2, 2};
  std::vector<int64_t> stride = node.listAttr("stride");
  if (stride.empty())
    stride = pool;
  bool same = node.strAttr("padding", "valid") == "same";
  PoolGeometry g{x[0],      x[1],      x[2], x[3], pool[0], pool[1],
                 stride[0], stride[1], 0,    0,    0,       0};
  g.oh = ir::convOutputSize(g.h, g.ph, g.sh, same);
  g.ow = ir::convOutputSize(g.w, g.pw, g.sw, same);
  g.pt = same ? ir::samePadBefore(g.h, g.ph, g.sh) : 0;
  g.pl = same ? ir::samePadBefore(g.w, g.pw, g.sw) : 0;
  return g;
}

bool beats(double candidate, double best) {
  return !std::isnan(best) && (std::isnan(candidate) || candidate > best);
}

// The input index of the winner of one output position's window.
int64_t winner(const PoolGeometry &g, const Tensor &x, int64_t n, int64_t oy,
               int64_t ox, int64_t c) {
  int64_t best = -1;
  for (int64_t ky = 0; ky < g.ph; ++ky) {
    for (int64_t kx = 0; kx < g.pw; ++kx) {
      int64_t iy = oy * g.sh + ky - g.pt, ix = ox * g.sw + kx - g.pl;
      if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w)
        continue;
      int64_t index = ((n * g.h + iy) * g.w + ix) * g.c + c;
      if (best < 0 || beats(x.data[index], x.data[best]))
        best = index;
    }
  }
  assert(best >= 0 && "every pooling window overlaps the image");
  return best;
}

// Calls f(winnerIndex, outputIndex) for every output element.
template <typename F>
void forEachWindow(const PoolGeometry &g, const Tensor &x, F f) {
  int64_t out = 0;
  for (int64_t n = 0; n < g.n; ++n)
    for (int64_t oy = 0; oy < g.oh; ++oy)
      for (int64_t ox = 0; ox < g.ow; ++ox)
        for (int64_t c = 0; c < g.c; ++c)
          f(winner(g, x, n, oy, ox, c), out++);
}
} // namespace

llvm::Expected<Tensor> evalPool(const ir::Node &node, Args args,
                                const RunContext &ctx) {
  const Tensor &x = *args[0];
  PoolGeometry g = poolGeometry(node, x.shape());
  Tensor out = Tensor::filled(node.type, ctx.batch);
  if (node.kind == ir::OpKind::MaxPool2D) {
    forEachWindow(
        g, x, [&](int64_t from, int64_t to) { out.data[to] = x.data[from]; });
    return out;
  }
  const Tensor &dy = *args[1];
  forEachWindow(
      g, x, [&](int64_t from, int64_t to) { out.data[from] += dy.data[to]; });
  return out;
}

} // namespace gradc::interp
