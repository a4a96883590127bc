// OptimizerTest.cpp - one SGD and one Adam step worked out by hand.
// SPDX-License-Identifier: MIT
//
// The model has two parameters: dense_1.kernel w = [1, 2] with gradient
// [0.1, -0.2], and dense_1.bias b = [0.5] with gradient [1]. Each case runs
// one optimizer pass, binds the state leaves it created, and compares the
// outputs new.<p> and new.<state> with the arithmetic in the comments.

#include "passes/Optimizer.h"
#include "ClipOptimizerEval.h"
#include "passes/Clip.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace gradc;
using gradc::updateeval::Bindings;
using gradc::updateeval::evalOutput;
using gradc::updateeval::Values;

namespace {
const char *kTinyModel = R"(graph @tiny {
  %dense_1.kernel = param {layer = "dense_1"} : f32[2]
  %dense_1.bias = param {layer = "dense_1"} : f32[1]
  %gw = input : f32[2]
  %gb = input : f32[1]
  output "grad.dense_1.kernel" = %gw
  output "grad.dense_1.bias" = %gb
}
)";

class OptimizerTest : public ::testing::Test {
protected:
  void SetUp() override {
    graph = updateeval::parseOrDie(kTinyModel);
    bindings = {{"dense_1.kernel", {1, 2}},
                {"dense_1.bias", {0.5}},
                {"gw", {0.1, -0.2}},
                {"gb", {1}}};
  }
  Values out(const std::string &name) {
    return evalOutput(*graph, bindings, name);
  }
  /// Compares within a relative tolerance: the graph computes in f32.
  void expectNear(const std::string &name, const Values &expected,
                  double relative = 1e-6) {
    Values actual = out(name);
    ASSERT_EQ(actual.size(), expected.size()) << name;
    for (size_t i = 0; i < actual.size(); ++i) {
      double tolerance = relative * std::max(std::fabs(expected[i]), 1e-3);
      EXPECT_NEAR(actual[i], expected[i], tolerance) << name << "[" << i << "]";
    }
  }

  std::unique_ptr<ir::Graph> graph;
  Bindings bindings;
};
} // namespace

// lr 0.1, no momentum: w - 0.1 g = [1 - 0.01, 2 + 0.02] = [0.99, 2.02];
// b = 0.5 - 0.1 = 0.4. No state and no momentum hyper exist.
TEST_F(OptimizerTest, PlainSgd) {
  passes::runSgd(*graph, {0.1, 0, false});
  expectNear("new.dense_1.kernel", {0.99, 2.02});
  expectNear("new.dense_1.bias", {0.4});
  EXPECT_TRUE(graph->leaves(ir::OpKind::State).empty());
  EXPECT_EQ(graph->find("momentum"), nullptr);
  EXPECT_EQ(graph->find("lr")->realAttr("value"), 0.1);
}

// lr 0.1, momentum 0.9, velocity of w [0.5, -1], of b [0]:
// v' = 0.9 [0.5, -1] - 0.1 [0.1, -0.2] = [0.44, -0.88]; w' = [1.44, 1.12];
// b: v' = 0 - 0.1 = -0.1; b' = 0.4.
TEST_F(OptimizerTest, SgdMomentumStep) {
  passes::runSgd(*graph, {0.1, 0.9, false});
  bindings["dense_1.kernel.velocity"] = {0.5, -1};
  bindings["dense_1.bias.velocity"] = {0};
  expectNear("new.dense_1.kernel.velocity", {0.44, -0.88});
  expectNear("new.dense_1.kernel", {1.44, 1.12});
  expectNear("new.dense_1.bias.velocity", {-0.1});
  expectNear("new.dense_1.bias", {0.4});

  ir::Node *velocity = graph->find("dense_1.kernel.velocity");
  ASSERT_NE(velocity, nullptr);
  EXPECT_EQ(velocity->kind, ir::OpKind::State);
  EXPECT_EQ(velocity->layer, "dense_1");
  EXPECT_EQ(velocity->type, graph->find("dense_1.kernel")->type);
  EXPECT_EQ(graph->find("momentum")->realAttr("value"), 0.9);
}

// Nesterov (Keras form) with the same numbers: w' = w + 0.9 v' - 0.1 g
// = [1 + 0.396 - 0.01, 2 - 0.792 + 0.02] = [1.386, 1.228];
// b' = 0.5 + 0.9 (-0.1) - 0.1 = 0.31. The velocity update is unchanged.
TEST_F(OptimizerTest, SgdNesterovStep) {
  passes::runSgd(*graph, {0.1, 0.9, true});
  bindings["dense_1.kernel.velocity"] = {0.5, -1};
  bindings["dense_1.bias.velocity"] = {0};
  expectNear("new.dense_1.kernel", {1.386, 1.228});
  expectNear("new.dense_1.bias", {0.31});
  expectNear("new.dense_1.kernel.velocity", {0.44, -0.88});
}

// Adam, step 1, zero moments, lr 0.001, b1 0.9, b2 0.999, eps 1e-7:
// m = 0.1 g = [0.01, -0.02]; v = 0.001 g^2 = [1e-5, 4e-5];
// m^ = m / (1 - 0.9) = g; v^ = v / (1 - 0.999) = g^2, sqrt(v^) = |g|;
// w' = w - 0.001 g / (|g| + 1e-7): [1 - 0.000999999, 2 + 0.0009999995]
// = [0.999000001, 2.0009999995]; b' = 0.5 - 0.001 / 1.0000001 = 0.4990000001.
TEST_F(OptimizerTest, AdamFirstStep) {
  passes::runAdam(*graph, passes::AdamConfig{});
  bindings["dense_1.kernel.m"] = {0, 0};
  bindings["dense_1.kernel.v"] = {0, 0};
  bindings["dense_1.bias.m"] = {0};
  bindings["dense_1.bias.v"] = {0};
  bindings["step"] = {1};
  expectNear("new.dense_1.kernel.m", {0.01, -0.02});
  // 0.999 in f32 is 0.99900001287, so 1 - b2 is off by 1.3e-5 relative.
  expectNear("new.dense_1.kernel.v", {1e-5, 4e-5}, 2e-5);
  expectNear("new.dense_1.kernel", {0.999000001, 2.0009999995});
  expectNear("new.dense_1.bias", {0.4990000001});
}

// Adam, step 2, lr 0.1, moments left by a first step with the same
// gradient: m = [0.01, -0.02], v = [1e-5, 4e-5]. Then
// m = 0.9 m + 0.1 g = [0.019, -0.038]; v = 0.999 v + 0.001 g^2
// = [1.999e-5, 7.996e-5]; 1 - 0.9^2 = 0.19, 1 - 0.999^2 = 0.001999;
// m^ = [0.1, -0.2] = g, v^ = [0.01, 0.04]; w' = w - 0.1 g / (|g| + 1e-7)
// = [1 - 0.0999999, 2 + 0.09999995] = [0.9000001, 2.09999995].
TEST_F(OptimizerTest, AdamSecondStepUsesBiasCorrection) {
  passes::runAdam(*graph, {0.1, 0.9, 0.999, 1e-7});
  bindings["dense_1.kernel.m"] = {0.01, -0.02};
  bindings["dense_1.kernel.v"] = {1e-5, 4e-5};
  bindings["dense_1.bias.m"] = {0};
  bindings["dense_1.bias.v"] = {0};
  bindings["step"] = {2};
  expectNear("new.dense_1.kernel.m", {0.019, -0.038});
  expectNear("new.dense_1.kernel.v", {1.999e-5, 7.996e-5}, 2e-5);
  expectNear("new.dense_1.kernel", {0.9000001, 2.09999995});
}

// The hyper leaves carry the configured values and are shared: running
// SGD's "lr" and Adam's "lr" in one graph would reuse one leaf.
TEST_F(OptimizerTest, AdamHyperLeaves) {
  passes::runAdam(*graph, {0.002, 0.8, 0.99, 1e-8});
  EXPECT_EQ(graph->find("lr")->realAttr("value"), 0.002);
  EXPECT_EQ(graph->find("beta1")->realAttr("value"), 0.8);
  EXPECT_EQ(graph->find("beta2")->realAttr("value"), 0.99);
  EXPECT_EQ(graph->find("eps")->realAttr("value"), 1e-8);
  EXPECT_EQ(graph->leaves(ir::OpKind::StepCounter).size(), 1u);
  EXPECT_EQ(graph->leaves(ir::OpKind::State).size(), 4u);
}

// Clipping acts before the update: g = [0.1, -0.2] has norm sqrt(0.05)
// ~ 0.2236; with c = 0.05 it becomes g * 0.05 / 0.2236 = [0.02236, -0.04472];
// plain SGD lr 1: w' = [1 - 0.0223607, 2 + 0.0447214].
TEST_F(OptimizerTest, ClipThenSgdUsesClippedGradient) {
  passes::ClipConfig clip;
  clip.defaultRule = {passes::ClipKind::Norm, 0.05};
  passes::runClip(*graph, clip);
  passes::runSgd(*graph, {1, 0, false});
  expectNear("new.dense_1.kernel", {0.9776393, 2.0447214});
}
