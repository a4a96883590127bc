// ClipJitTest.cpp - the compiled step keeps the clip semantics at the edges.
// SPDX-License-Identifier: MIT
//
// The interpreter computes in f64; the JIT stays in f32 and vectorizes, which
// is where an overflowing sum of squares, a maxnum that drops NaN or an
// inf * 0 would show. A one-parameter model loss = sum(w * x) / batch has
// grad.w = x for one row, so the gradient is whatever x is set to. Each case
// runs one compiled step after clip and plain SGD (lr 1) and checks the
// metrics and the updated w against values worked out by hand.

#include "JitVsInterpSupport.h"


using namespace gradc;
using namespace gradc::test;

namespace {
const char *kLinear = R"(graph @lin {
  %x = input : f32[B,2]
  %w = param {layer = "dense_1"} : f32[2]
  %p = mul %x, %w : f32[B,2]
  %s = reduce_sum %p {axes = [], keepdims = 0} : f32[]
  %n = batch_size : f32[]
  %loss = div %s, %n : f32[]
  output "loss" = %loss
})";

/// What one compiled step reported and left in w.
struct StepResult {
  float norm = NAN, scale = NAN;
  std::vector<float> w;
};

std::vector<float> hyperValues(const ir::Graph &graph) {
  std::vector<float> values;
  for (ir::Node *node : graph.leaves(ir::OpKind::Hyper))
    values.push_back(float(node->realAttr("value")));
  return values;
}

/// One JIT step from w = [1, 1] with the single row `x` as the gradient.
void compiledStep(const char *clip, std::vector<float> x, StepResult &out) {
  auto graph = test::parseVerified(kLinear);
  ASSERT_TRUE(graph);
  runPass(*graph, "autodiff", "");
  runPass(*graph, "clip", clip);
  runPass(*graph, "sgd", "lr=1");
  runPass(*graph, "simplify", "");

  driver::ModelGraphs model;
  model.name = "lin";
  model.configJson = "{}";
  model.train = graph.get();
  model.maxBatch = 1;
  model.metrics = {"loss", "norm.w", "scale.w"};
  auto jit = driver::jitModel(model, driver::CodegenOptions());
  ASSERT_TRUE(bool(jit)) << llvm::toString(jit.takeError());

  out.w = {1, 1};
  float *params[] = {out.w.data()};
  std::vector<float> hyper = hyperValues(*graph), metrics(3, NAN);
  float y = 0;
  gradc_step_args args{params, nullptr,      x.data(),      &y, 1, 1,
                       1,      hyper.data(), metrics.data()};
  (*jit)->model.train_step(nullptr, &args);
  out.norm = metrics[1];
  out.scale = metrics[2];
}
} // namespace

// g = [3e20, 4e20]: the squares (about 1e41) overflow f32, the norm 5e20
// must not. c = 1 gives factor 2e-21 and the clipped g = [0.6, 0.8], so
// w = [1 - 0.6, 1 - 0.8] = [0.4, 0.2].
TEST(ClipJitTest, NormOfHugeGradientDoesNotOverflow) {
  StepResult r;
  compiledStep("kind=norm,c=1", {3e20f, 4e20f}, r);
  EXPECT_FLOAT_EQ(r.norm, 5e20f);
  EXPECT_FLOAT_EQ(r.scale, 2e-21f);
  EXPECT_NEAR(r.w[0], 0.4f, 1e-6);
  EXPECT_NEAR(r.w[1], 0.2f, 1e-6);
}

// g = [inf, 1]: the norm reports inf, the factor stays 1, so w = 1 - g =
// [-inf, 0]; scaling by c / inf = 0 would have given NaN and 1 instead.
TEST(ClipJitTest, InfGradientIsReportedNotTurnedIntoNaN) {
  StepResult r;
  compiledStep("kind=norm,c=1", {INFINITY, 1}, r);
  EXPECT_EQ(r.norm, INFINITY);
  EXPECT_EQ(r.scale, 1);
  EXPECT_EQ(r.w[0], -INFINITY);
  EXPECT_EQ(r.w[1], 0);
}

// Value clipping at c = 5 of [NaN, 7]: NaN must survive the compiled
// maximum/minimum (maxnum/minnum would turn it into -5 or 5); 7 -> 5.
// w = [1 - NaN, 1 - 5] = [NaN, -4]. One of two elements clamped: scale 0.5.
TEST(ClipJitTest, ValueClippingKeepsNaN) {
  StepResult r;
  compiledStep("kind=value,c=5", {NAN, 7}, r);
  EXPECT_TRUE(std::isnan(r.norm));
  EXPECT_EQ(r.scale, 0.5f);
  EXPECT_TRUE(std::isnan(r.w[0]));
  EXPECT_EQ(r.w[1], -4);
}

// A zero gradient: norm 0, factor exactly 1, w unchanged, no NaN.
TEST(ClipJitTest, ZeroGradientStaysZero) {
  StepResult r;
  compiledStep("kind=global_norm,c=1", {0, 0}, r);
  EXPECT_EQ(r.norm, 0);
  EXPECT_EQ(r.scale, 1);
  EXPECT_EQ(r.w, (std::vector<float>{1, 1}));
}
