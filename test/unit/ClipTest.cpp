// ClipTest.cpp - hand-computed cases of the clip pass.
// SPDX-License-Identifier: MIT
//
// Each case builds a two-parameter graph whose gradients are inputs, runs
// runClip, and evaluates the outputs grad.<p>, norm.<p> and scale.<p>. The
// expected numbers are worked out in the comments, never read off a run.

#include "passes/Clip.h"
#include "ClipOptimizerEval.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace gradc;
using gradc::passes::ClipConfig;
using gradc::passes::ClipKind;
using gradc::updateeval::Bindings;
using gradc::updateeval::evalOutput;
using gradc::updateeval::Values;

namespace {
const char *kTwoParams = R"(graph @two {
  %dense_1.kernel = param {layer = "dense_1"} : f32[2]
  %dense_2.kernel = param {layer = "dense_2"} : f32[2]
  %g1 = input : f32[2]
  %g2 = input : f32[2]
  output "grad.dense_1.kernel" = %g1
  output "grad.dense_2.kernel" = %g2
}
)";

const double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::numeric_limits<double>::quiet_NaN();

ClipConfig rule(ClipKind kind, double c) {
  ClipConfig cfg;
  cfg.defaultRule = {kind, c};
  return cfg;
}

/// Runs the clip pass on kTwoParams with gradients g1 and g2.
class ClipTest : public ::testing::Test {
protected:
  void clip(const ClipConfig &cfg, Values g1, Values g2) {
    graph = updateeval::parseOrDie(kTwoParams);
    passes::runClip(*graph, cfg);
    bindings = {{"g1", std::move(g1)}, {"g2", std::move(g2)}};
  }
  Values out(const std::string &name) {
    return evalOutput(*graph, bindings, name);
  }
  double scalarOut(const std::string &name) { return out(name).at(0); }

  std::unique_ptr<ir::Graph> graph;
  Bindings bindings;
};

void expectValues(const Values &actual, const Values &expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i)
    EXPECT_FLOAT_EQ(actual[i], expected[i]) << "element " << i;
}
} // namespace

// A zero gradient has norm 0 <= c: the factor is exactly 1, no 0/0.
TEST_F(ClipTest, ZeroGradientStaysZero) {
  clip(rule(ClipKind::Norm, 1), {0, 0}, {0, 0});
  EXPECT_EQ(out("grad.dense_1.kernel"), (Values{0, 0}));
  EXPECT_EQ(scalarOut("norm.dense_1.kernel"), 0);
  EXPECT_EQ(scalarOut("scale.dense_1.kernel"), 1);
}

// The same for the global rule: total sqrt(0 + 0) = 0.
TEST_F(ClipTest, ZeroGradientStaysZeroUnderGlobalNorm) {
  clip(rule(ClipKind::GlobalNorm, 1), {0, 0}, {0, 0});
  EXPECT_EQ(out("grad.dense_2.kernel"), (Values{0, 0}));
  EXPECT_EQ(scalarOut("scale.dense_2.kernel"), 1);
}

// [3, 4] has norm exactly 5 = c, which is not above c: bit-exact, factor 1.
TEST_F(ClipTest, NormEqualToThresholdIsUnchanged) {
  clip(rule(ClipKind::Norm, 5), {3, 4}, {0, 0});
  EXPECT_EQ(out("grad.dense_1.kernel"), (Values{3, 4}));
  EXPECT_EQ(scalarOut("norm.dense_1.kernel"), 5);
  EXPECT_EQ(scalarOut("scale.dense_1.kernel"), 1);
}

// Per tensor, c = 1: [3, 4] / 5 = [0.6, 0.8]; [0, 12] / 12 = [0, 1].
TEST_F(ClipTest, PerTensorNormScalesEachOnItsOwn) {
  clip(rule(ClipKind::Norm, 1), {3, 4}, {0, 12});
  expectValues(out("grad.dense_1.kernel"), {0.6, 0.8});
  expectValues(out("grad.dense_2.kernel"), {0, 1});
  EXPECT_FLOAT_EQ(scalarOut("norm.dense_1.kernel"), 5);
  EXPECT_FLOAT_EQ(scalarOut("norm.dense_2.kernel"), 12);
  EXPECT_FLOAT_EQ(scalarOut("scale.dense_1.kernel"), 0.2);
  EXPECT_FLOAT_EQ(scalarOut("scale.dense_2.kernel"), 1.0 / 12);
}

// Global, c = 1: total sqrt(5^2 + 12^2) = 13, one factor 1/13 for both:
// [3/13, 4/13] and [0, 12/13]. The norm outputs stay per tensor.
TEST_F(ClipTest, GlobalNormSharesOneFactor) {
  clip(rule(ClipKind::GlobalNorm, 1), {3, 4}, {0, 12});
  expectValues(out("grad.dense_1.kernel"), {3.0 / 13, 4.0 / 13});
  expectValues(out("grad.dense_2.kernel"), {0, 12.0 / 13});
  EXPECT_FLOAT_EQ(scalarOut("norm.dense_1.kernel"), 5);
  EXPECT_FLOAT_EQ(scalarOut("norm.dense_2.kernel"), 12);
  EXPECT_FLOAT_EQ(scalarOut("scale.dense_1.kernel"), 1.0 / 13);
  EXPECT_FLOAT_EQ(scalarOut("scale.dense_2.kernel"), 1.0 / 13);
}

// c = 5: NaN stays NaN, 7 -> 5, -7 -> -5, 0.5 stays. Two of four elements
// were clamped (NaN is not), so the scale is (4 - 2) / 4 = 0.5.
TEST(ClipValueTest, ClampsAndKeepsNaN) {
  auto graph = updateeval::parseOrDie(R"(graph @one {
  %w = param {layer = "dense_1"} : f32[4]
  %g = input : f32[4]
  output "grad.w" = %g
})");
  passes::runClip(*graph, rule(ClipKind::Value, 5));
  Bindings in{{"g", {kNaN, 7, -7, 0.5}}};
  Values grad = evalOutput(*graph, in, "grad.w");
  EXPECT_TRUE(std::isnan(grad[0]));
  EXPECT_EQ(grad[1], 5);
  EXPECT_EQ(grad[2], -5);
  EXPECT_EQ(grad[3], 0.5);
  EXPECT_EQ(evalOutput(*graph, in, "scale.w").at(0), 0.5);
  EXPECT_TRUE(std::isnan(evalOutput(*graph, in, "norm.w").at(0)));
}

// Value clipping within bounds: nothing clamped, scale 1.
TEST_F(ClipTest, ValueWithinBoundsHasScaleOne) {
  clip(rule(ClipKind::Value, 5), {3, -4}, {5, -5});
  EXPECT_EQ(out("grad.dense_2.kernel"), (Values{5, -5}));
  EXPECT_EQ(scalarOut("scale.dense_2.kernel"), 1);
  EXPECT_EQ(scalarOut("scale.dense_1.kernel"), 1);
}

// An inf element: norm inf is reported; the gradient is not multiplied by
// c / inf = 0 (which would give inf * 0 = NaN) but passed on unchanged.
TEST_F(ClipTest, NonFiniteNormIsReportedNotHidden) {
  clip(rule(ClipKind::Norm, 1), {kInf, 1}, {3, 4});
  EXPECT_EQ(scalarOut("norm.dense_1.kernel"), kInf);
  EXPECT_EQ(scalarOut("scale.dense_1.kernel"), 1);
  EXPECT_EQ(out("grad.dense_1.kernel"), (Values{kInf, 1}));
  // The other tensor is clipped as usual: [3, 4] / 5.
  expectValues(out("grad.dense_2.kernel"), {0.6, 0.8});
}

// Global: one inf makes the total inf; every member keeps its gradient and
// its own finite norm, so the report names the parameter that overflowed.
TEST_F(ClipTest, NonFiniteGlobalNormLeavesGroupUnchanged) {
  clip(rule(ClipKind::GlobalNorm, 1), {kInf, 0}, {3, 4});
  EXPECT_EQ(scalarOut("norm.dense_1.kernel"), kInf);
  EXPECT_EQ(scalarOut("norm.dense_2.kernel"), 5);
  EXPECT_EQ(out("grad.dense_2.kernel"), (Values{3, 4}));
  EXPECT_EQ(scalarOut("scale.dense_2.kernel"), 1);
}

// With no clipping the norm is still measured and the gradient untouched.
TEST_F(ClipTest, NoneMeasuresOnly) {
  clip(ClipConfig{}, {3, 4}, {0, 12});
  EXPECT_EQ(scalarOut("norm.dense_2.kernel"), 12);
  EXPECT_EQ(scalarOut("scale.dense_2.kernel"), 1);
  EXPECT_EQ(graph->output("grad.dense_2.kernel"), graph->find("g2"));
  EXPECT_EQ(graph->find("clip"), nullptr);
}

// Default norm c = 1, dense_2 overridden to value c = 2 ("clip.dense_2"):
// dense_1 [3, 4] -> [0.6, 0.8]; dense_2 [0, 12] -> [0, 2].
TEST_F(ClipTest, LayerOverrideUsesItsOwnRuleAndHyper) {
  ClipConfig cfg = rule(ClipKind::Norm, 1);
  cfg.layerRules["dense_2"] = {ClipKind::Value, 2};
  clip(cfg, {3, 4}, {0, 12});
  expectValues(out("grad.dense_1.kernel"), {0.6, 0.8});
  EXPECT_EQ(out("grad.dense_2.kernel"), (Values{0, 2}));
  ASSERT_NE(graph->find("clip.dense_2"), nullptr);
  EXPECT_EQ(graph->find("clip.dense_2")->kind, ir::OpKind::Hyper);
  EXPECT_EQ(graph->find("clip.dense_2")->realAttr("value"), 2);
  EXPECT_EQ(graph->find("clip")->realAttr("value"), 1);
}

// `clip none on dense_2` exempts that layer from the program-wide rule.
TEST_F(ClipTest, LayerOverrideNoneExempts) {
  ClipConfig cfg = rule(ClipKind::GlobalNorm, 1);
  cfg.layerRules["dense_2"] = {ClipKind::None, 0};
  clip(cfg, {3, 4}, {0, 12});
  // Only dense_1 is in the global group: total 5, factor 1/5.
  expectValues(out("grad.dense_1.kernel"), {0.6, 0.8});
  EXPECT_EQ(out("grad.dense_2.kernel"), (Values{0, 12}));
}

// c is a run-time hyper: the graph built for c = 1 with "clip" bound to 10
// clips nothing ([3, 4] has norm 5 <= 10).
TEST_F(ClipTest, ThresholdIsRunTimeHyper) {
  clip(rule(ClipKind::Norm, 1), {3, 4}, {0, 12});
  bindings["clip"] = {10};
  EXPECT_EQ(out("grad.dense_1.kernel"), (Values{3, 4}));
  expectValues(out("grad.dense_2.kernel"), {0, 10});
}

// A parameter without a gradient (frozen) gets no outputs.
TEST(ClipFrozenTest, ParamWithoutGradientIsSkipped) {
  auto graph = updateeval::parseOrDie(R"(graph @frozen {
  %embedding_1.embeddings = param {layer = "embedding_1"} : f32[2]
})");
  passes::runClip(*graph, rule(ClipKind::Norm, 1));
  EXPECT_EQ(graph->output("norm.embedding_1.embeddings"), nullptr);
  EXPECT_TRUE(graph->outputs().empty());
}

// `clip global_norm 6.5 on dense_2` groups only dense_2's kernel and bias:
// total sqrt(5^2 + 12^2) = 13, factor 0.5: [1.5, 2] and [0, 6]. dense_1
// keeps the program-wide per-tensor rule: [0, 10] / 10 = [0, 1].
TEST(ClipLayerGroupTest, GlobalNormOnOneLayer) {
  auto graph = updateeval::parseOrDie(R"(graph @three {
  %dense_1.kernel = param {layer = "dense_1"} : f32[2]
  %dense_2.kernel = param {layer = "dense_2"} : f32[2]
  %dense_2.bias = param {layer = "dense_2"} : f32[2]
  %g1 = input : f32[2]
  %g2 = input : f32[2]
  %g3 = input : f32[2]
  output "grad.dense_1.kernel" = %g1
  output "grad.dense_2.kernel" = %g2
  output "grad.dense_2.bias" = %g3
})");
  ClipConfig cfg = rule(ClipKind::Norm, 1);
  cfg.layerRules["dense_2"] = {ClipKind::GlobalNorm, 6.5};
  passes::runClip(*graph, cfg);
  Bindings in{{"g1", {0, 10}}, {"g2", {3, 4}}, {"g3", {0, 12}}};
  EXPECT_EQ(evalOutput(*graph, in, "grad.dense_1.kernel"), (Values{0, 1}));
  EXPECT_EQ(evalOutput(*graph, in, "grad.dense_2.kernel"), (Values{1.5, 2}));
  EXPECT_EQ(evalOutput(*graph, in, "grad.dense_2.bias"), (Values{0, 6}));
  EXPECT_EQ(evalOutput(*graph, in, "scale.dense_2.bias").at(0), 0.5);
  EXPECT_FLOAT_EQ(evalOutput(*graph, in, "scale.dense_1.kernel").at(0), 0.1);
}
