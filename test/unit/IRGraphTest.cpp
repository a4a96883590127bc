// IRGraphTest.cpp - graph editing, builder shapes, printer/parser round trip.
// SPDX-License-Identifier: MIT
//
// The graph operations passes rely on (fresh names, replaceAllUses,
// removeDeadNodes, sortTopologically), the shapes the builder infers, and the
// guarantee that parse(print(g)) prints the same text.

#include "ir/Builder.h"
#include "ir/Parser.h"
#include "ir/Printer.h"
#include "ir/ShapeRules.h"
#include "ir/Verifier.h"

#include <gtest/gtest.h>

using namespace gradc::ir;

namespace {
std::string print(const Graph &g) {
  std::string text;
  llvm::raw_string_ostream os(text);
  printGraph(g, os);
  return text;
}

// A two-layer network with every family of op the builder offers.
std::unique_ptr<Graph> sampleGraph() {
  auto g = std::make_unique<Graph>("sample");
  Builder b(*g);
  Node *x = b.input("x", Type{ElemKind::F32, {kBatchDim, 4, 4, 1}});
  b.setLayer("conv");
  Node *k =
      b.param("conv.kernel", Type{ElemKind::F32, {3, 3, 1, 2}}, "he_uniform");
  Node *c = b.relu(b.conv2d(x, k, {1, 1}, "same"));
  Node *p = b.maxPool2D(c, {2, 2}, {2, 2}, "valid");
  b.setLayer("dense");
  Node *flat = b.reshape(p, {kBatchDim, 8});
  Node *w = b.param("dense.kernel", Type{ElemKind::F32, {8, 3}});
  Node *logits = b.matmul(flat, w);
  b.setLayer("");
  Node *y = b.input("y", Type{ElemKind::F32, {kBatchDim}});
  Node *nll = b.neg(b.mul(b.logSoftmax(logits), b.oneHot(y, 3)));
  Node *loss = b.div(b.reduceSum(nll, {}, false), b.batchSize());
  g->setOutput("loss", loss);
  g->setOutput("prediction", logits);
  return g;
}

TEST(IRGraph, BuilderInfersShapes) {
  auto g = sampleGraph();
  EXPECT_EQ(formatType(g->output("prediction")->type), "f32[B,3]");
  EXPECT_EQ(formatType(g->output("loss")->type), "f32[]");
  EXPECT_EQ(g->output("prediction")->layer, "dense");
  EXPECT_TRUE(verifyGraphMessages(*g).empty());
}

TEST(IRGraph, PrintParsePrintIsIdentity) {
  auto g = sampleGraph();
  std::string text = print(*g);
  auto parsed = parseGraph(text, "sample.gir");
  ASSERT_TRUE(!!parsed) << llvm::toString(parsed.takeError());
  EXPECT_EQ(print(**parsed), text);
  EXPECT_TRUE(verifyGraphMessages(**parsed).empty());
}

TEST(IRGraph, FreshNamesSkipNamesInUse) {
  auto parsed = parseGraph("graph @g {\n  %0 = input : f32[]\n}\n", "g.gir");
  ASSERT_TRUE(!!parsed);
  Builder b(**parsed);
  Node *n = b.neg((*parsed)->find("0"));
  EXPECT_EQ(n->name, "1");
}

TEST(IRGraph, ReplaceAllUsesInsertsAfterTheValue) {
  Graph g("g");
  Builder b(g);
  Node *x = b.input("x", Type{ElemKind::F32, {2}});
  Node *e = b.exp(x);
  g.setOutput("out", e);
  Node *s = b.square(x);
  g.replaceAllUses(x, s);
  EXPECT_EQ(e->operands[0], s);
  EXPECT_EQ(s->operands[0], x);
  EXPECT_FALSE(verifyGraphMessages(g).empty()); // exp now precedes square
  g.sortTopologically();
  EXPECT_TRUE(verifyGraphMessages(g).empty());
  EXPECT_EQ(g.nodes().back().get(), e);
}

TEST(IRGraph, RemoveDeadNodesKeepsLeavesAndLiveNodes) {
  Graph g("g");
  Builder b(g);
  Node *x = b.input("x", Type{ElemKind::F32, {2}});
  b.param("unused", Type{ElemKind::F32, {2}});
  b.tanh(b.exp(x));
  g.setOutput("out", b.abs(x));
  EXPECT_EQ(g.removeDeadNodes(), 2u);
  EXPECT_EQ(g.nodes().size(), 3u);
  EXPECT_NE(g.find("unused"), nullptr);
}

TEST(IRGraph, VerifierCollectsEveryError) {
  Graph g("g");
  Builder b(g);
  Node *x = b.input("x", Type{ElemKind::F32, {2}});
  g.create(OpKind::Add, {x}, Type{ElemKind::F32, {2}}, {}, "a");
  g.create(OpKind::Exp, {x}, Type{ElemKind::F32, {3}}, {}, "e");
  std::vector<std::string> messages = verifyGraphMessages(g);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0], "%a = add: expected 2 operands, got 1");
  EXPECT_EQ(messages[1],
            "%e = exp: result type is f32[3] but the shape rule gives f32[2]");
}

TEST(IRGraph, ShapeRuleRejectsWhatTheBuilderWouldNotBuild) {
  Type a{ElemKind::F32, {2, 3}}, w{ElemKind::F32, {4, 5}};
  auto type = inferType(OpKind::MatMul, {&a, &w}, {});
  ASSERT_FALSE(!!type);
  EXPECT_EQ(llvm::toString(type.takeError()),
            "matmul inner dimensions differ: f32[2,3] x f32[4,5]");
}

TEST(IRGraph, SamePaddingFollowsKeras) {
  EXPECT_EQ(convOutputSize(5, 3, 2, true), 3);
  EXPECT_EQ(samePadBefore(5, 3, 2), 1);
  EXPECT_EQ(samePadBefore(6, 3, 2), 0); // total 1: the extra goes after
  EXPECT_EQ(convOutputSize(5, 3, 2, false), 2);
}

// The category column agrees with the arity column: leaves take no operand,
// elementwise unary ops one, elementwise binary ops two (select three).
TEST(IRGraph, OpCategoriesAgreeWithArity) {
  const OpKind everyKind[] = {
#define GIR_OP(Kind, Name, Arity, Category) OpKind::Kind,
#include "ir/Ops.def"
  };
  for (OpKind kind : everyKind) {
    OpCategoryKind category = opCategory(kind);
    int arity = opArity(kind);
    EXPECT_EQ(isLeaf(kind), arity == 0) << opName(kind);
    if (category == OpCategoryKind::ElementwiseUnary)
      EXPECT_EQ(arity, 1) << opName(kind);
    if (category == OpCategoryKind::ElementwiseBinary)
      EXPECT_TRUE(arity == 2 || arity == 3) << opName(kind);
  }
  EXPECT_TRUE(isElementwise(OpKind::Select));
  EXPECT_FALSE(isElementwise(OpKind::BroadcastTo));
}
} // namespace
