// GradCheckDriverTest.cpp - what the autodiff driver does beyond the rules.
// SPDX-License-Identifier: MIT
//
// The per-rule checks live in GradCheckOpsTest.cpp. These cases pin down the
// driver: pruning of frozen params and inputs, the order and presence of the
// gradient outputs, the errors it reports, and that the checker itself
// notices a wrong gradient.

#include "GradCheck.h"

#include <gtest/gtest.h>

namespace gradc::test {
namespace {
using ir::Builder;
using ir::Node;
using ir::OpKind;

const ir::Type kVec{ir::ElemKind::F64, {3}};

unsigned countKind(const ir::Graph &g, OpKind kind) {
  unsigned count = 0;
  for (const auto &node : g.nodes())
    count += node->kind == kind;
  return count;
}

std::vector<std::string> outputNames(const ir::Graph &g) {
  std::vector<std::string> names;
  for (const ir::GraphOutput &out : g.outputs())
    names.push_back(out.name);
  return names;
}

TEST(GradCheckSelf, NoticesAWrongGradient) {
  ir::Graph g("wrong");
  Builder b(g);
  Node *x = b.param("x", kVec), *w = b.input("w", kVec);
  g.setOutput("loss", b.reduceSum(b.mul(b.square(x), w), {}));
  g.setOutput("grad.x", b.mul(x, w)); // the factor 2 is missing
  LeafData data{{"x", {0.5, -1.0, 2.0}}, {"w", {1.0, 2.0, -1.0}}};
  GradCheckResult result = compareWithDifferences(g, data);
  ASSERT_TRUE(result.failure.empty()) << result.failure;
  EXPECT_GT(result.worstError, 0.1);
}

TEST(AutodiffDriver, FrozenParamsAndInputsGetNoGradient) {
  ir::Graph g("frozen");
  Builder b(g);
  ir::Type matrix{ir::ElemKind::F64, {3, 3}};
  Node *frozen = b.param("frozen", matrix);
  frozen->attrs["trainable"] = int64_t(0);
  Node *x = b.param("x", kVec);
  Node *in = b.input("in", ir::Type{ir::ElemKind::F64, {-1, 3}});
  Node *fixedPart = b.reduceSum(b.matmul(in, frozen), {});
  g.setOutput("loss", b.add(fixedPart, b.reduceSum(b.square(x), {})));

  ASSERT_FALSE(bool(passes::runAutodiff(g)));
  EXPECT_EQ(outputNames(g), (std::vector<std::string>{"loss", "grad.x"}));
  EXPECT_EQ(countKind(g, OpKind::MatMul), 1u) << "nothing flows to frozen";
}

TEST(AutodiffDriver, OutputsFollowParamOrderAndUnusedParamsGetZero) {
  ir::Graph g("order");
  Builder b(g);
  Node *first = b.param("first", kVec);
  Node *unused = b.param("unused", kVec);
  Node *last = b.param("last", kVec);
  g.setOutput("loss", b.reduceSum(b.mul(last, first), {}));

  ASSERT_FALSE(bool(passes::runAutodiff(g)));
  EXPECT_EQ(outputNames(g),
            (std::vector<std::string>{"loss", "grad.first", "grad.unused",
                                      "grad.last"}));
  Node *zero = g.output("grad.unused");
  EXPECT_EQ(zero->kind, OpKind::Constant);
  EXPECT_EQ(zero->realAttr("value", 1), 0.0);
  EXPECT_EQ(zero->type, unused->type);
}

TEST(AutodiffDriver, OpWithoutRuleOnThePathIsAnError) {
  ir::Graph g("norm");
  Builder b(g);
  Node *x = b.param("x", kVec);
  g.setOutput("loss", b.norm2(x));
  llvm::Error err = passes::runAutodiff(g);
  ASSERT_TRUE(bool(err));
  EXPECT_NE(llvm::toString(std::move(err))
                .find("no gradient rule for op "
                      "'norm2'"),
            std::string::npos);
}

TEST(AutodiffDriver, OpWithoutRuleOffThePathIsFine) {
  ir::Graph g("norm_aside");
  Builder b(g);
  Node *x = b.param("x", kVec);
  g.setOutput("norm", b.norm2(x));
  g.setOutput("loss", b.reduceSum(x, {}));
  EXPECT_FALSE(bool(passes::runAutodiff(g)));
}

TEST(AutodiffDriver, MissingLossIsAnError) {
  ir::Graph g("no_loss");
  Builder b(g);
  g.setOutput("prediction", b.param("x", kVec));
  llvm::Error err = passes::runAutodiff(g);
  ASSERT_TRUE(bool(err));
  EXPECT_NE(llvm::toString(std::move(err)).find("'loss'"), std::string::npos);
}

} // namespace
} // namespace gradc::test
