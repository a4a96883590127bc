// GradCheckModelsTest.cpp - finite-difference checks of whole small models.
// SPDX-License-Identifier: MIT
//
// Hand-built f64 training graphs in the shapes the front end produces: an
// MLP with mean squared error, a convolutional classifier with sparse
// categorical cross-entropy, an embedding and two LSTM steps with binary
// cross-entropy through softplus, and a softmax classifier on clipped
// probabilities. Together they use every activation and every loss form.
// Each model is also checked to give the same outputs after simplify.

#include "GradCheck.h"
#include "passes/Simplify.h"

#include <gtest/gtest.h>

namespace gradc::test {
namespace {
using ir::Node;

constexpr ir::ElemKind kF64 = ir::ElemKind::F64;

/// Builds a model graph and the data of its leaves together.
struct ModelBuilder {
  ir::Graph g;
  ir::Builder b{g};
  ValueSource values{7};
  LeafData data;

  explicit ModelBuilder(std::string name) : g(std::move(name)) {}

  Node *input(const std::string &name, std::vector<int64_t> dims) {
    Node *x = b.input(name, ir::Type{kF64, std::move(dims)});
    data[name] = values.draw(x->type.numElements(kCheckBatch), -1, 1, {});
    return x;
  }
  Node *labels(const std::string &name, std::vector<int64_t> dims,
               std::vector<double> fixed) {
    data[name] = std::move(fixed);
    return b.input(name, ir::Type{kF64, std::move(dims)});
  }
  Node *param(const std::string &name, std::vector<int64_t> dims) {
    Node *p = b.param(name, ir::Type{kF64, std::move(dims)});
    data[name] = values.draw(p->type.numElements(), -0.8, 0.8, {});
    return p;
  }
  /// x W + b with a [in, out] kernel, as the dense layer lowers.
  Node *dense(const std::string &layer, Node *x, int64_t out) {
    Node *w = param(layer + ".kernel", {x->type.dims.back(), out});
    Node *bias = param(layer + ".bias", {out});
    return b.add(b.matmul(x, w), bias);
  }
  Node *scalar(double v) { return b.scalar(v, kF64); }
  Node *batchMean(Node *perRow) {
    return b.div(b.reduceSum(perRow, {}), b.batchSize(kF64));
  }
  Node *selu(Node *x) {
    return b.mul(b.elu(x, 1.6732632423543772), scalar(1.0507009873554805));
  }
  /// -mean over rows of sum(onehot * log p), from log-probabilities.
  Node *crossEntropy(Node *oneHot, Node *logp) {
    return b.neg(batchMean(b.mul(oneHot, logp)));
  }
};

void expectGradientsMatch(ModelBuilder &m) {
  GradCheckResult result = checkGradients(m.g, m.data);
  ASSERT_TRUE(result.failure.empty()) << result.failure;
  EXPECT_GT(result.checkedValues, 0);
  EXPECT_LT(result.worstError, 1e-6) << result.where;
}

// Simplify must not change any output, gradients included.
void expectSimplifyKeepsOutputs(ModelBuilder &m) {
  auto before = evaluate(m.g, m.data);
  ASSERT_TRUE(bool(before)) << llvm::toString(before.takeError());
  size_t nodesBefore = m.g.nodes().size();
  passes::runSimplify(m.g);
  EXPECT_LT(m.g.nodes().size(), nodesBefore);
  auto after = evaluate(m.g, m.data);
  ASSERT_TRUE(bool(after)) << llvm::toString(after.takeError());
  for (const auto &[name, tensor] : *before)
    for (size_t i = 0; i < tensor.data.size(); ++i)
      EXPECT_NEAR(after->at(name).data[i], tensor.data[i],
                  1e-12 * std::max(1.0, std::fabs(tensor.data[i])))
          << name << "[" << i << "]";
}

TEST(GradCheckModels, MlpWithMeanSquaredError) {
  ModelBuilder m("mlp");
  ir::Builder &b = m.b;
  Node *x = m.input("x", {-1, 4}), *y = m.input("y", {-1, 1});
  Node *h = b.relu(m.dense("dense_1", x, 5));
  h = b.elu(m.dense("dense_2", h, 4), 0.7);
  h = b.leakyRelu(m.dense("dense_3", h, 3), 0.2);
  Node *p = m.dense("dense_4", h, 1);
  m.g.setOutput("loss", m.batchMean(b.square(b.sub(p, y))));
  m.g.setOutput("prediction", p);
  expectGradientsMatch(m);
  expectSimplifyKeepsOutputs(m);
}

TEST(GradCheckModels, ConvPoolWithSparseCategoricalCrossEntropy) {
  ModelBuilder m("conv");
  ir::Builder &b = m.b;
  Node *x = m.input("x", {-1, 5, 5, 1});
  Node *y = m.labels("y", {-1}, {2, 0});
  Node *kernel = m.param("conv_1.kernel", {3, 3, 1, 2});
  Node *conv = b.conv2d(x, kernel, {1, 1}, "same");
  Node *h = m.selu(b.add(conv, m.param("conv_1.bias", {2})));
  h = b.maxPool2D(h, {2, 2}, {2, 2}, "valid");
  h = b.reshape(h, {-1, 8});
  Node *logp = b.logSoftmax(m.dense("dense_1", h, 3));
  m.g.setOutput("loss", m.crossEntropy(b.oneHot(y, 3), logp));
  expectGradientsMatch(m);
  expectSimplifyKeepsOutputs(m);
}

// One LSTM step in Keras gate order (input, forget, cell, output).
struct LstmState {
  Node *h = nullptr, *c = nullptr;
};

LstmState lstmStep(ModelBuilder &m, Node *xt, LstmState s, Node *kernel,
                   Node *recurrent, Node *bias, int64_t units) {
  ir::Builder &b = m.b;
  Node *z = b.add(b.matmul(xt, kernel), bias);
  if (s.h)
    z = b.add(z, b.matmul(s.h, recurrent));
  auto gate = [&](int64_t k) { return b.slice(z, 1, k * units, units); };
  Node *i = b.sigmoid(gate(0)), *f = b.sigmoid(gate(1));
  Node *g = b.tanh(gate(2)), *o = b.sigmoid(gate(3));
  Node *c = b.mul(i, g);
  if (s.c)
    c = b.add(b.mul(f, s.c), c);
  return {b.mul(o, b.tanh(c)), c};
}

TEST(GradCheckModels, EmbeddingLstmWithBinaryCrossEntropy) {
  ModelBuilder m("lstm");
  ir::Builder &b = m.b;
  const int64_t units = 3, dim = 2, steps = 2;
  Node *tokens = m.labels("tokens", {-1, steps}, {4, 1, 1, 0});
  Node *y = m.labels("y", {-1, 1}, {1, 0});
  Node *table = m.param("embedding_1.embeddings", {5, dim});
  Node *kernel = m.param("lstm_1.kernel", {dim, 4 * units});
  Node *recurrent = m.param("lstm_1.recurrent_kernel", {units, 4 * units});
  Node *bias = m.param("lstm_1.bias", {4 * units});
  Node *emb = b.gather(table, tokens);
  LstmState s;
  for (int64_t t = 0; t < steps; ++t) {
    Node *xt = b.reshape(b.slice(emb, 1, t, 1), {-1, dim});
    s = lstmStep(m, xt, s, kernel, recurrent, bias, units);
  }
  Node *logit = m.dense("dense_1", s.h, 1);
  // Binary cross-entropy from logits: softplus(z) - y z.
  Node *perRow = b.sub(b.softplus(logit), b.mul(y, logit));
  m.g.setOutput("loss", m.batchMean(perRow));
  expectGradientsMatch(m);
  expectSimplifyKeepsOutputs(m);
}

TEST(GradCheckModels, SoftmaxOnClippedProbabilities) {
  ModelBuilder m("probs");
  ir::Builder &b = m.b;
  Node *x = m.input("x", {-1, 3});
  Node *y = m.labels("y", {-1, 3}, {0, 1, 0, 1, 0, 0});
  Node *h = b.tanh(m.dense("dense_1", x, 4));
  h = b.sigmoid(m.dense("dense_2", h, 4));
  Node *probs = b.exp(b.logSoftmax(m.dense("dense_3", h, 3)));
  Node *clipped = b.clamp(probs, 1e-7, 1 - 1e-7);
  m.g.setOutput("loss", m.crossEntropy(y, b.log(clipped)));
  expectGradientsMatch(m);
  expectSimplifyKeepsOutputs(m);
}

} // namespace
} // namespace gradc::test
