// GradCheckOpsTest.cpp - a finite-difference check of every gradient rule.
// SPDX-License-Identifier: MIT
//
// One case per rule (more where attributes change the rule): a tiny f64
// graph applies the op to random params, the loss is the sum of the result
// times random weights, and the symbolic gradient must match central
// differences to a relative error below 1e-6. Inputs are drawn away from
// kinks, where a one-sided rule and a difference quotient legitimately
// disagree.

#include "GradCheck.h"
#include "passes/GradientRules.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>

namespace gradc::test {
namespace {
using ir::Builder;
using ir::Node;

struct LeafSpec {
  std::string name;
  std::vector<int64_t> dims;
  bool trainable = true;
  double lo = -2, hi = 2;
  std::vector<double> kinks = {0.0};
  double margin = 0.1;
  std::vector<double> fixed = {}; ///< used instead of random values
};

using Leaves = std::vector<Node *>;
using BuildFn = std::function<Node *(Builder &, const Leaves &)>;

struct OpCase {
  std::string name;
  std::vector<LeafSpec> leaves;
  BuildFn build;
};

void PrintTo(const OpCase &c, std::ostream *os) { *os << c.name; }

LeafSpec param(std::string name, std::vector<int64_t> dims) {
  return {std::move(name), std::move(dims)};
}

LeafSpec positive(std::string name, std::vector<int64_t> dims) {
  return {std::move(name), std::move(dims), true, 0.5, 2.0, {}};
}

LeafSpec input(std::string name, std::vector<int64_t> dims) {
  return {std::move(name), std::move(dims), false};
}

LeafSpec indices(std::vector<int64_t> dims, std::vector<double> values) {
  return {"ids", std::move(dims), false, 0, 0, {}, 0, std::move(values)};
}

// Unary op on one [2,3] param with kinks at 0.
OpCase unary(std::string name, std::function<Node *(Builder &, Node *)> op,
             LeafSpec x = param("x", {2, 3})) {
  return {std::move(name), {std::move(x)}, [op](Builder &b, const Leaves &l) {
            return op(b, l[0]);
          }};
}

// Binary op on two params of the given shapes.
OpCase binary(std::string name, ir::OpKind kind, LeafSpec x, LeafSpec y) {
  return {std::move(name),
          {std::move(x), std::move(y)},
          [kind](Builder &b, const Leaves &l) {
            return b.create(kind, {l[0], l[1]});
          }};
}

std::vector<OpCase> elementwiseCases() {
  using ir::OpKind;
  LeafSpec wide = param("y", {2, 3});
  wide.kinks = {0.0}, wide.margin = 1.2; // |y| >= 1.2 > |x|
  LeafSpec narrow = param("x", {2, 3});
  narrow.lo = -1, narrow.hi = 1;
  LeafSpec divisor = param("y", {2, 3});
  divisor.margin = 0.5;
  return {
      binary("add_broadcast", OpKind::Add, param("x", {2, 3}), param("y", {3})),
      binary("sub_broadcast", OpKind::Sub, param("x", {2, 3}),
             param("y", {2, 1})),
      binary("mul", OpKind::Mul, param("x", {2, 3}), param("y", {2, 3})),
      binary("mul_batch", OpKind::Mul, input("x", {-1, 3}), param("y", {3})),
      binary("add_batch_row", OpKind::Add, input("x", {-1, 3}),
             param("y", {1, 3})),
      binary("div", OpKind::Div, param("x", {2, 3}), divisor),
      binary("maximum", OpKind::Maximum, narrow, wide),
      binary("minimum", OpKind::Minimum, narrow, wide),
      {"select",
       {input("c", {2, 3}), param("x", {2, 3}), param("y", {3})},
       [](Builder &b, const Leaves &l) {
         return b.select(b.greater(l[0], b.scalar(0, ir::ElemKind::F64)), l[1],
                         l[2]);
       }},
      {"fan_out",
       {param("x", {2, 3})},
       [](Builder &b, const Leaves &l) { return b.mul(b.tanh(l[0]), l[0]); }},
      unary("neg", [](Builder &b, Node *x) { return b.neg(x); }),
      unary("exp", [](Builder &b, Node *x) { return b.exp(x); }),
      unary(
          "log", [](Builder &b, Node *x) { return b.log(x); },
          positive("x", {2, 3})),
      unary(
          "sqrt", [](Builder &b, Node *x) { return b.sqrt(x); },
          positive("x", {2, 3})),
      unary("square", [](Builder &b, Node *x) { return b.square(x); }),
      unary("abs", [](Builder &b, Node *x) { return b.abs(x); }),
  };
}

std::vector<OpCase> activationCases() {
  LeafSpec bounded = param("x", {2, 3});
  bounded.lo = -1, bounded.hi = 1, bounded.kinks = {-0.5, 0.5};
  return {
      unary("tanh", [](Builder &b, Node *x) { return b.tanh(x); }),
      unary("sigmoid", [](Builder &b, Node *x) { return b.sigmoid(x); }),
      unary("softplus", [](Builder &b, Node *x) { return b.softplus(x); }),
      unary("relu", [](Builder &b, Node *x) { return b.relu(x); }),
      unary("leaky_relu",
            [](Builder &b, Node *x) { return b.leakyRelu(x, 0.2); }),
      unary("elu", [](Builder &b, Node *x) { return b.elu(x, 1.0); }),
      unary("elu_alpha", [](Builder &b, Node *x) { return b.elu(x, 0.4); }),
      unary(
          "clamp", [](Builder &b, Node *x) { return b.clamp(x, -0.5, 0.5); },
          bounded),
      unary(
          "log_softmax", [](Builder &b, Node *x) { return b.logSoftmax(x); },
          param("x", {2, 4})),
  };
}

std::vector<OpCase> shapeCases() {
  auto x23 = param("x", {2, 3});
  return {
      unary("reduce_sum_axis",
            [](Builder &b, Node *x) { return b.reduceSum(x, {1}); }),
      unary("reduce_sum_keepdims",
            [](Builder &b, Node *x) { return b.reduceSum(x, {0}, true); }),
      unary("reduce_sum_all",
            [](Builder &b, Node *x) { return b.reduceSum(x, {}); }),
      unary("reduce_max_axis",
            [](Builder &b, Node *x) { return b.reduceMax(x, {-1}); }),
      unary("reduce_max_keepdims",
            [](Builder &b, Node *x) { return b.reduceMax(x, {0}, true); }),
      unary("reshape",
            [](Builder &b, Node *x) {
              return b.reshape(x, {3, 2});
            }),
      unary(
          "transpose",
          [](Builder &b, Node *x) {
            return b.transpose(x, {2, 0, 1});
          },
          param("x", {2, 3, 4})),
      unary(
          "broadcast_to",
          [](Builder &b, Node *x) {
            return b.broadcastTo(x, {2, 3});
          },
          param("x", {3})),
      unary(
          "broadcast_to_column",
          [](Builder &b, Node *x) {
            return b.broadcastTo(x, {2, 4});
          },
          param("x", {2, 1})),
      unary(
          "slice", [](Builder &b, Node *x) { return b.slice(x, 0, 1, 2); },
          param("x", {4, 3})),
      unary("pad", [](Builder &b, Node *x) { return b.pad(x, 1, 1, 5); }),
      {"concat",
       {param("x", {2, 3}), param("y", {2, 2}), param("z", {2, 1})},
       [](Builder &b, const Leaves &l) { return b.concat(l, 1); }},
  };
}

OpCase matmulCase(bool ta, bool tb) {
  std::string name =
      std::string("matmul_") + (ta ? "t" : "n") + (tb ? "t" : "n");
  std::vector<int64_t> a =
      ta ? std::vector<int64_t>{3, 2} : std::vector<int64_t>{2, 3};
  std::vector<int64_t> w =
      tb ? std::vector<int64_t>{4, 3} : std::vector<int64_t>{3, 4};
  return {name,
          {param("a", a), param("w", w)},
          [ta, tb](Builder &b, const Leaves &l) {
            return b.matmul(l[0], l[1], ta, tb);
          }};
}

OpCase convCase(std::string name, std::vector<int64_t> stride,
                std::string padding) {
  return {std::move(name),
          {param("x", {2, 5, 5, 2}), param("k", {3, 3, 2, 3})},
          [stride, padding](Builder &b, const Leaves &l) {
            return b.conv2d(l[0], l[1], stride, padding);
          }};
}

std::vector<OpCase> networkCases() {
  return {
      matmulCase(false, false),
      matmulCase(false, true),
      matmulCase(true, false),
      matmulCase(true, true),
      {"matmul_batch",
       {input("x", {-1, 3}), param("w", {3, 4})},
       [](Builder &b, const Leaves &l) { return b.matmul(l[0], l[1]); }},
      convCase("conv2d_valid", {1, 1}, "valid"),
      convCase("conv2d_same_stride2", {2, 2}, "same"),
      unary(
          "maxpool2d_valid",
          [](Builder &b, Node *x) {
            return b.maxPool2D(x, {2, 2}, {2, 2}, "valid");
          },
          param("x", {2, 4, 4, 2})),
      unary(
          "maxpool2d_same_overlap",
          [](Builder &b, Node *x) {
            return b.maxPool2D(x, {3, 3}, {2, 2}, "same");
          },
          param("x", {1, 5, 5, 2})),
      {"gather_repeated",
       {param("table", {5, 3}), indices({4}, {1, 3, 1, 0})},
       [](Builder &b, const Leaves &l) { return b.gather(l[0], l[1]); }},
      {"gather_batch",
       {param("table", {5, 3}), indices({-1, 3}, {4, 0, 4, 2, 2, 1})},
       [](Builder &b, const Leaves &l) { return b.gather(l[0], l[1]); }},
  };
}

std::vector<OpCase> allCases() {
  std::vector<OpCase> cases;
  for (auto family :
       {elementwiseCases, activationCases, shapeCases, networkCases})
    for (OpCase &c : family())
      cases.push_back(std::move(c));
  return cases;
}

// Builds the graph of `c` (without data) and returns the kinds it uses.
std::set<ir::OpKind> kindsUsed(const OpCase &c) {
  ir::Graph g(c.name);
  Builder b(g);
  Leaves leaves;
  for (const LeafSpec &spec : c.leaves)
    leaves.push_back(b.input(spec.name, {ir::ElemKind::F64, spec.dims}));
  c.build(b, leaves);
  std::set<ir::OpKind> kinds;
  for (const auto &node : g.nodes())
    kinds.insert(node->kind);
  return kinds;
}

TEST(GradCheckOpsCoverage, EveryRuleHasACase) {
  std::set<ir::OpKind> checked;
  for (const OpCase &c : allCases())
    for (ir::OpKind kind : kindsUsed(c))
      checked.insert(kind);
  const ir::OpKind everyKind[] = {
#define GIR_OP(Kind, Name, Arity, Category) ir::OpKind::Kind,
#include "ir/Ops.def"
  };
  for (ir::OpKind kind : everyKind)
    if (passes::findGradientRule(kind))
      EXPECT_TRUE(checked.count(kind)) << ir::opName(kind) << " has no case";
}

class GradCheckOps : public ::testing::TestWithParam<OpCase> {};

TEST_P(GradCheckOps, MatchesCentralDifferences) {
  const OpCase &c = GetParam();
  ir::Graph g(c.name);
  Builder b(g);
  ValueSource values(std::hash<std::string>()(c.name));
  LeafData data;
  Leaves leaves;
  for (const LeafSpec &spec : c.leaves) {
    ir::Type type{ir::ElemKind::F64, spec.dims};
    leaves.push_back(spec.trainable ? b.param(spec.name, type)
                                    : b.input(spec.name, type));
    data[spec.name] = spec.fixed.empty()
                          ? values.draw(type.numElements(kCheckBatch), spec.lo,
                                        spec.hi, spec.kinks, spec.margin)
                          : spec.fixed;
  }
  Node *y = c.build(b, leaves);
  Node *w = b.input("loss_weights", y->type);
  data["loss_weights"] =
      values.draw(y->type.numElements(kCheckBatch), -1, 1, {});
  g.setOutput("loss", b.reduceSum(b.mul(y, w), {}));

  GradCheckResult result = checkGradients(g, data);
  ASSERT_TRUE(result.failure.empty()) << result.failure;
  EXPECT_GT(result.checkedValues, 0);
  EXPECT_LT(result.worstError, 1e-6) << result.where;
}

INSTANTIATE_TEST_SUITE_P(EveryRule, GradCheckOps,
                         ::testing::ValuesIn(allCases()),
                         [](const ::testing::TestParamInfo<OpCase> &info) {
                           return info.param.name;
                         });

} // namespace
} // namespace gradc::test
