// InterpKernelsTest.cpp - interpreter kernels against direct formulas.
// SPDX-License-Identifier: MIT
//
// Each test builds a one- or two-op graph with the builder, runs it in the
// interpreter and compares with a formula written out here, independently of
// the kernel: convolution against an explicitly padded direct sum, the conv
// gradients through the adjoint identity, pooling ties, broadcasting, norm2
// overflow, select isolation and dropout mask determinism.

#include "interp/Interpreter.h"
#include "ir/Builder.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace gradc;
using ir::ElemKind;
using ir::Type;

namespace {
const ElemKind F64 = ElemKind::F64;

interp::Tensor tensor(Type type, std::vector<double> data) {
  return interp::Tensor{std::move(type), 1, std::move(data)};
}

std::vector<double> ramp(int64_t n, double scale, double shift) {
  std::vector<double> values(n);
  for (int64_t i = 0; i < n; ++i)
    values[i] = std::sin(scale * i + shift);
  return values;
}

// Runs `graph` with the given leaf values and returns output "out".
std::vector<double> runOut(const ir::Graph &graph,
                           std::map<std::string, interp::Tensor> leaves,
                           uint64_t seed = 0, int64_t step = 1) {
  interp::Interpreter interp(graph);
  for (auto &[name, value] : leaves)
    interp.setLeaf(name, value);
  interp.setSeed(seed);
  interp.setStep(step);
  auto outputs = interp.run();
  EXPECT_TRUE(!!outputs) << llvm::toString(outputs.takeError());
  return outputs ? outputs->at("out").data : std::vector<double>{};
}

// y[n,i,j,o] = sum over di,dj,c of xp[n, i*s+di, j*s+dj, c] * k[di,dj,c,o]
// with xp the input padded by (top, left) zeros before the image.
std::vector<double> directConv(const std::vector<double> &x, int64_t h,
                               int64_t w, int64_t c,
                               const std::vector<double> &k, int64_t kh,
                               int64_t kw, int64_t o, int64_t s, int64_t oh,
                               int64_t ow, int64_t top, int64_t left) {
  std::vector<double> y(oh * ow * o, 0.0);
  for (int64_t i = 0; i < oh; ++i)
    for (int64_t j = 0; j < ow; ++j)
      for (int64_t oc = 0; oc < o; ++oc)
        for (int64_t di = 0; di < kh; ++di)
          for (int64_t dj = 0; dj < kw; ++dj)
            for (int64_t ic = 0; ic < c; ++ic) {
              int64_t r = i * s + di - top, q = j * s + dj - left;
              if (r < 0 || r >= h || q < 0 || q >= w)
                continue;
              y[(i * ow + j) * o + oc] += x[(r * w + q) * c + ic] *
                                          k[((di * kw + dj) * c + ic) * o + oc];
            }
  return y;
}

TEST(InterpKernels, Conv2DSameStrideTwoMatchesDirectSum) {
  // 5x6 image, 3x2 kernel, stride 2, same: out 3x3; pad rows 1 before
  // (total 2), columns 0 before (total 0).
  ir::Graph g("conv");
  ir::Builder b(g);
  Type xt{F64, {1, 5, 6, 2}}, kt{F64, {3, 2, 2, 3}};
  ir::Node *y = b.conv2d(b.input("x", xt), b.param("k", kt), {2, 2}, "same");
  g.setOutput("out", y);
  ASSERT_EQ(y->type.dims, (std::vector<int64_t>{1, 3, 3, 3}));

  std::vector<double> x = ramp(60, 0.37, 0.1), k = ramp(36, 0.91, 0.5);
  std::vector<double> want = directConv(x, 5, 6, 2, k, 3, 2, 3, 2, 3, 3, 1, 0);
  std::vector<double> got =
      runOut(g, {{"x", tensor(xt, x)}, {"k", tensor(kt, k)}});
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_NEAR(got[i], want[i], 1e-12) << "at " << i;
}

TEST(InterpKernels, Conv2DValidMatchesDirectSum) {
  ir::Graph g("conv");
  ir::Builder b(g);
  Type xt{F64, {1, 4, 4, 1}}, kt{F64, {3, 3, 1, 2}};
  g.setOutput("out",
              b.conv2d(b.input("x", xt), b.param("k", kt), {1, 1}, "valid"));
  std::vector<double> x = ramp(16, 0.5, 0), k = ramp(18, 0.3, 1);
  std::vector<double> want = directConv(x, 4, 4, 1, k, 3, 3, 2, 1, 2, 2, 0, 0);
  std::vector<double> got =
      runOut(g, {{"x", tensor(xt, x)}, {"k", tensor(kt, k)}});
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_NEAR(got[i], want[i], 1e-12);
}

double dot(const std::vector<double> &a, const std::vector<double> &b) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i)
    sum += a[i] * b[i];
  return sum;
}

// <dy, conv(x, k)> = <grad_input(dy, k), x> = <grad_kernel(x, dy), k>.
TEST(InterpKernels, Conv2DGradientsAreAdjoints) {
  ir::Graph g("conv");
  ir::Builder b(g);
  Type xt{F64, {2, 5, 5, 2}}, kt{F64, {3, 3, 2, 2}}, yt{F64, {2, 3, 3, 2}};
  ir::Node *x = b.input("x", xt), *k = b.param("k", kt),
           *dy = b.input("dy", yt);
  g.setOutput("y", b.conv2d(x, k, {2, 2}, "same"));
  g.setOutput("dx", b.conv2dGradInput(dy, k, xt, {2, 2}, "same"));
  g.setOutput("dk", b.conv2dGradKernel(x, dy, kt, {2, 2}, "same"));

  std::vector<double> xv = ramp(100, 0.7, 0), kv = ramp(36, 1.3, 2),
                      dyv = ramp(36, 0.4, 3);
  interp::Interpreter interp(g);
  interp.setLeaf("x", tensor(xt, xv));
  interp.setLeaf("k", tensor(kt, kv));
  interp.setLeaf("dy", tensor(yt, dyv));
  auto out = interp.run();
  ASSERT_TRUE(!!out) << llvm::toString(out.takeError());
  double forward = dot(dyv, out->at("y").data);
  EXPECT_NEAR(dot(out->at("dx").data, xv), forward, 1e-10);
  EXPECT_NEAR(dot(out->at("dk").data, kv), forward, 1e-10);
}

TEST(InterpKernels, MaxPoolTiesSendGradientToFirstMaximum) {
  ir::Graph g("pool");
  ir::Builder b(g);
  Type xt{F64, {1, 4, 4, 1}}, yt{F64, {1, 2, 2, 1}};
  ir::Node *x = b.input("x", xt), *dy = b.input("dy", yt);
  g.setOutput("y", b.maxPool2D(x, {2, 2}, {2, 2}, "valid"));
  g.setOutput("out", b.maxPool2DGrad(x, dy, {2, 2}, {2, 2}, "valid"));
  // Windows: all equal; tie at the end; single maximum; NaN wins.
  std::vector<double> xv = {7, 7, 1, 5,   //
                            7, 7, 5, 2,   //
                            0, 9, 3, NAN, //
                            2, 1, 3, 3};
  std::vector<double> got =
      runOut(g, {{"x", tensor(xt, xv)}, {"dy", tensor(yt, {10, 20, 30, 40})}});
  std::vector<double> want = {10, 0,  0, 20, //
                              0,  0,  0, 0,  //
                              0,  30, 0, 40, //
                              0,  0,  0, 0};
  EXPECT_EQ(got, want);
}

TEST(InterpKernels, BroadcastingFollowsNumpy) {
  ir::Graph g("bcast");
  ir::Builder b(g);
  Type at{F64, {2, 1, 3}}, bt{F64, {4, 1}};
  ir::Node *sum = b.sub(b.input("a", at), b.input("b", bt));
  g.setOutput("out", sum);
  ASSERT_EQ(sum->type.dims, (std::vector<int64_t>{2, 4, 3}));
  std::vector<double> av = {1, 2, 3, 4, 5, 6}, bv = {10, 20, 30, 40};
  std::vector<double> got =
      runOut(g, {{"a", tensor(at, av)}, {"b", tensor(bt, bv)}});
  ASSERT_EQ(got.size(), 24u);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 4; ++j)
      for (int k = 0; k < 3; ++k)
        EXPECT_EQ(got[(i * 4 + j) * 3 + k], av[i * 3 + k] - bv[j]);
}

TEST(InterpKernels, Norm2OfHugeF32ValuesDoesNotOverflow) {
  ir::Graph g("norm");
  ir::Builder b(g);
  Type xt{ElemKind::F32, {4}};
  g.setOutput("out", b.norm2(b.input("x", xt)));
  std::vector<double> got =
      runOut(g, {{"x", tensor(xt, {1e21, -1e21, 1e21, 1e21})}});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(std::isfinite(got[0]));
  EXPECT_NEAR(got[0] / 2e21, 1.0, 1e-6);
  std::vector<double> tiny =
      runOut(g, {{"x", tensor(xt, {3e-30, 4e-30, 0, 0})}});
  EXPECT_NEAR(tiny[0] / 5e-30, 1.0, 1e-6);
}

TEST(InterpKernels, SelectNeverMixesBranches) {
  ir::Graph g("select");
  ir::Builder b(g);
  Type t{ElemKind::F32, {4}};
  g.setOutput("out",
              b.select(b.input("c", t), b.input("a", t), b.input("b", t)));
  std::vector<double> got =
      runOut(g, {{"c", tensor(t, {1, 0, 1, 0})},
                 {"a", tensor(t, {1, NAN, 3, INFINITY})},
                 {"b", tensor(t, {-INFINITY, 5, NAN, 6})}});
  EXPECT_EQ(got, (std::vector<double>{1, 5, 3, 6}));
}

TEST(InterpKernels, MaximumMinimumClampPropagateNaN) {
  ir::Graph g("nan");
  ir::Builder b(g);
  Type t{F64, {3}};
  ir::Node *x = b.input("x", t), *y = b.input("y", t);
  g.setOutput("out", b.concat({b.maximum(x, y), b.minimum(x, y),
                               b.clamp(x, -1, 1), b.relu(x)},
                              0));
  std::vector<double> got = runOut(
      g, {{"x", tensor(t, {NAN, 2, -3})}, {"y", tensor(t, {0, NAN, 1})}});
  std::vector<bool> isNan;
  for (double v : got)
    isNan.push_back(std::isnan(v));
  EXPECT_EQ(isNan, (std::vector<bool>{1, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 0}));
  EXPECT_EQ(got[2], 1);
  EXPECT_EQ(got[5], -3);
  EXPECT_EQ(got[7], 1);
  EXPECT_EQ(got[8], -1);
  EXPECT_EQ(got[10], 2);
  EXPECT_EQ(got[11], 0);
}

TEST(InterpKernels, F32ResultsAreRoundedPerOp) {
  ir::Graph g("round");
  ir::Builder b(g);
  Type t{ElemKind::F32, {}};
  g.setOutput("out", b.add(b.input("a", t), b.input("b", t)));
  std::vector<double> got =
      runOut(g, {{"a", tensor(t, {0.1})}, {"b", tensor(t, {0.2})}});
  EXPECT_EQ(got[0], double(0.1f + 0.2f));
}

} // namespace
