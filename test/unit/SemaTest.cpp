// SemaTest.cpp - shapes, parameter lists, defaults and limits of the front end.
// SPDX-License-Identifier: MIT
//
// Each case loads a small .model text through loadProgramFromText, the
// front end's public entry point, and reads the checked AST: inferred
// per-row shapes, Keras parameter shapes, fans and initializers, train
// defaults, and the errors for a missing dropout rate and a size over the
// limits. The lit tests check the printed diagnostics; these check the AST.

#include "frontend/Sema.h"
#include "frontend/Frontend.h"

#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace gradc;
using Shape = std::vector<int64_t>;

namespace {
/// The front end's result for `text`, with its diagnostics.
struct Loaded {
  std::optional<ast::Program> program;
  std::string diagnostics;
};

Loaded load(const std::string &text) {
  Loaded result;
  llvm::raw_string_ostream diags(result.diagnostics);
  llvm::Expected<ast::Program> program = frontend::loadProgramFromText(
      "test.model", text, frontend::FrontendOptions(), diags);
  if (program)
    result.program = std::move(*program);
  else
    llvm::consumeError(program.takeError());
  return result;
}

/// Model m with the statements `model`, and its train block (csv data, mse)
/// with the statements `train` added.
std::string withTrain(const std::string &model, const std::string &train) {
  return "model m {\n" + model + "}\ntrain m {\n  data csv \"d.csv\" " +
         "target=y\n  loss mse\n" + train + "}\n";
}

const ast::ParamSpec &param(const ast::Layer &layer, size_t index) {
  EXPECT_LT(index, layer.params.size()) << layer.name;
  return layer.params.at(index);
}
} // namespace

// valid conv: (28 - 3) / 1 + 1 = 26; a 2x2 pool strides by its size: 13;
// flatten: 13 * 13 * 8 = 1352. Kernel fans: 3*3*1 in, 3*3*8 out.
TEST(SemaTest, ConvPoolFlattenShapes) {
  Loaded r = load(withTrain("  input [28, 28, 1]\n  conv2d 8 3x3 relu\n"
                            "  maxpool2d\n  flatten\n  dense 10\n",
                            ""));
  ASSERT_TRUE(r.program) << r.diagnostics;
  const ast::ModelDecl &m = r.program->models.at(0);
  ASSERT_EQ(m.layers.size(), 4u);
  EXPECT_EQ(m.layers[0].outputShape, (Shape{26, 26, 8}));
  EXPECT_EQ(m.layers[1].outputShape, (Shape{13, 13, 8}));
  EXPECT_EQ(m.layers[2].outputShape, (Shape{1352}));
  EXPECT_EQ(m.outputShape, (Shape{10}));

  const ast::ParamSpec &kernel = param(m.layers[0], 0);
  EXPECT_EQ(kernel.shape, (Shape{3, 3, 1, 8}));
  EXPECT_EQ(kernel.fanIn, 9);
  EXPECT_EQ(kernel.fanOut, 72);
  EXPECT_EQ(m.paramCount, (72 + 8) + (1352 * 10 + 10));
}

// same padding gives ceil(in / s): ceil(28 / 3) = 10 on each axis.
TEST(SemaTest, SamePaddingRoundsUp) {
  Loaded r = load(withTrain("  input [28, 28, 3]\n"
                            "  conv2d 4 5x5 stride=3 same\n  flatten\n"
                            "  dense 1\n",
                            ""));
  ASSERT_TRUE(r.program) << r.diagnostics;
  EXPECT_EQ(r.program->models[0].layers[0].outputShape, (Shape{10, 10, 4}));
}

// Keras defaults: glorot_uniform kernels, zero biases, automatic names per
// kind; an LSTM has an orthogonal recurrent kernel and the forget-gate bias.
TEST(SemaTest, EmbeddingLstmParamsAndDefaults) {
  Loaded r = load(withTrain("  input [12]\n  embedding 100 8\n  lstm 5\n"
                            "  dense 1\n",
                            ""));
  ASSERT_TRUE(r.program) << r.diagnostics;
  const ast::ModelDecl &m = r.program->models[0];
  EXPECT_EQ(m.layers[0].name, "embedding_1");
  EXPECT_EQ(m.layers[0].outputShape, (Shape{12, 8}));
  EXPECT_EQ(param(m.layers[0], 0).init, "uniform");

  const ast::Layer &lstm = m.layers[1];
  EXPECT_EQ(lstm.name, "lstm_1");
  EXPECT_EQ(lstm.outputShape, (Shape{5}));
  EXPECT_EQ(param(lstm, 0).shape, (Shape{8, 20}));
  EXPECT_EQ(param(lstm, 0).init, "glorot_uniform");
  EXPECT_EQ(param(lstm, 1).shape, (Shape{5, 20}));
  EXPECT_EQ(param(lstm, 1).init, "orthogonal");
  EXPECT_EQ(param(lstm, 2).init, "forget_bias");

  EXPECT_EQ(param(m.layers[2], 1).name, "bias");
  EXPECT_EQ(param(m.layers[2], 1).init, "zeros");
}

TEST(SemaTest, TrainDefaults) {
  Loaded r = load(withTrain("  input [4]\n  dropout 0.25\n  dense 1\n", ""));
  ASSERT_TRUE(r.program) << r.diagnostics;
  EXPECT_DOUBLE_EQ(r.program->models[0].layers[0].rate, 0.25);
  const ast::TrainDecl &t = r.program->trains.at(0);
  EXPECT_EQ(t.batch, 32);
  EXPECT_EQ(t.epochs, 1);
  EXPECT_EQ(t.seed, 0u);
  EXPECT_TRUE(t.shuffle);
  EXPECT_EQ(t.optimizer.kind, ast::OptimizerKind::SGD);
  EXPECT_DOUBLE_EQ(t.optimizer.lr, 0.01);
  EXPECT_TRUE(t.clips.empty());

  Loaded adam =
      load(withTrain("  input [4]\n  dense 1\n", "  optimizer adam\n"));
  ASSERT_TRUE(adam.program) << adam.diagnostics;
  EXPECT_DOUBLE_EQ(adam.program->trains[0].optimizer.lr, 0.001);
}

TEST(SemaTest, DropoutNeedsRate) {
  Loaded r = load(withTrain("  input [4]\n  dropout\n  dense 1\n", ""));
  EXPECT_FALSE(r.program);
  EXPECT_NE(r.diagnostics.find("test.model:3:3: error: dropout needs a rate"),
            std::string::npos)
      << r.diagnostics;
}

// Up to the limit is accepted; one element more, or a product past int64,
// is an error rather than a wrapped size.
TEST(SemaTest, TensorSizeLimit) {
  Loaded atLimit = load(withTrain(
      "  input [1]\n  dense 2147483648 use_bias=false\n", "  batch 1\n"));
  ASSERT_TRUE(atLimit.program) << atLimit.diagnostics;
  EXPECT_EQ(atLimit.program->models[0].paramCount, frontend::MaxModelParams);

  Loaded over = load(withTrain("  input [1]\n  dense 2147483649\n", ""));
  EXPECT_FALSE(over.program);
  EXPECT_NE(over.diagnostics.find("has 2147483649 elements, over the limit"),
            std::string::npos)
      << over.diagnostics;

  EXPECT_EQ(frontend::elementCount({1LL << 32, 1LL << 31}), std::nullopt);
  EXPECT_EQ(frontend::elementCount({1LL << 31, 1LL << 31}), 1LL << 62);
}
