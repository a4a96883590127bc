// JitVsInterpTrainTest.cpp - compiled training steps track the interpreter.
// SPDX-License-Identifier: MIT
//
// A small MLP regression graph goes through the real pass pipeline
// (autodiff, clip, optimizer, simplify) and is then stepped several times by
// the JIT's train_step and by the interpreter, each carrying its own
// parameters and optimizer state. Loss, gradient norms, clip factors and
// every updated buffer must agree at each step within 1e-5 relative.

#include "JitVsInterpSupport.h"


using namespace gradc;
using namespace gradc::test;

namespace {

const char *kMlp = R"(graph @mlp {
  %x = input : f32[B,20]
  %y = input : f32[B,1]
  %w1 = param {layer = "dense_1"} : f32[20,25]
  %b1 = param {layer = "dense_1"} : f32[25]
  %w2 = param {layer = "dense_2"} : f32[25,1]
  %b2 = param {layer = "dense_2"} : f32[1]
  %h = matmul %x, %w1 {transpose_a = 0, transpose_b = 0} : f32[B,25]
  %hb = add %h, %b1 : f32[B,25]
  %a = tanh %hb : f32[B,25]
  %o = matmul %a, %w2 {transpose_a = 0, transpose_b = 0} : f32[B,1]
  %p = add %o, %b2 : f32[B,1]
  %d = sub %p, %y : f32[B,1]
  %sq = square %d : f32[B,1]
  %sum = reduce_sum %sq {axes = [], keepdims = 0} : f32[]
  %n = batch_size : f32[]
  %loss = div %sum, %n : f32[]
  output "loss" = %loss
  output "prediction" = %p
})";

/// Buffers of one side of the comparison, by leaf name.
using Buffers = std::map<std::string, std::vector<float>>;

struct TrainCase {
  const char *clip, *optimizer, *optimizerOptions;
};

class JitVsInterpTrain : public ::testing::TestWithParam<TrainCase> {};

TEST_P(JitVsInterpTrain, StepsAgree) {
  const TrainCase &tc = GetParam();
  auto graph = parseVerified(kMlp);
  ASSERT_TRUE(graph);
  runPass(*graph, "autodiff", "");
  runPass(*graph, "clip", tc.clip);
  runPass(*graph, tc.optimizer, tc.optimizerOptions);
  runPass(*graph, "simplify", "");

  driver::ModelGraphs model;
  model.name = "mlp";
  model.configJson = "{}";
  model.train = graph.get();
  model.maxBatch = 16;
  model.metrics.push_back("loss");
  for (const ir::GraphOutput &out : graph->outputs())
    if (llvm::StringRef(out.name).starts_with("norm.") ||
        llvm::StringRef(out.name).starts_with("scale."))
      model.metrics.push_back(out.name);
  auto jit = driver::jitModel(model, driver::CodegenOptions());
  ASSERT_TRUE(bool(jit)) << llvm::toString(jit.takeError());

  // Both sides start from the same parameters and zero state.
  Buffers jitBufs, refBufs;
  std::vector<std::string> params, states;
  std::vector<float> hyper;
  for (const auto &node : graph->nodes()) {
    if (node->kind == ir::OpKind::Param)
      params.push_back(node->name);
    if (node->kind == ir::OpKind::State)
      states.push_back(node->name);
    if (node->kind == ir::OpKind::Hyper)
      hyper.push_back(float(node->realAttr("value")));
    if (node->kind == ir::OpKind::Param || node->kind == ir::OpKind::State)
      jitBufs[node->name] =
          node->kind == ir::OpKind::State
              ? std::vector<float>(node->type.numElements(1), 0.0f)
              : sample(node->type.numElements(1), params.size(), -0.5, 0.5);
  }
  refBufs = jitBufs;

  for (int64_t step = 1; step <= 6; ++step) {
    int64_t batch = step == 6 ? 5 : 16; // a short last batch
    std::vector<float> x = sample(batch * 20, 100 + step, -2, 2);
    std::vector<float> y = sample(batch, 200 + step, 50, 150);

    std::vector<float *> paramPtrs, statePtrs;
    for (auto &name : params)
      paramPtrs.push_back(jitBufs[name].data());
    for (auto &name : states)
      statePtrs.push_back(jitBufs[name].data());
    std::vector<float> metrics(model.metrics.size(), NAN);
    gradc_step_args args{
        paramPtrs.data(), statePtrs.data(), x.data(), y.data(), batch, step, 1,
        hyper.data(),     metrics.data()};
    (*jit)->model.train_step(nullptr, &args);

    interp::Interpreter interp(*graph);
    interp.setBatchSize(batch);
    interp.setStep(step);
    ASSERT_FALSE(bool(interp.setLeafData("x", widen(x))));
    ASSERT_FALSE(bool(interp.setLeafData("y", widen(y))));
    for (auto &[name, data] : refBufs)
      ASSERT_FALSE(bool(interp.setLeafData(name, widen(data))));
    auto ref = interp.run();
    ASSERT_TRUE(bool(ref)) << llvm::toString(ref.takeError());

    std::string at = " at step " + std::to_string(step);
    // Clip factors live in [0, 1]: compared absolutely, the rest relatively.
    for (size_t k = 0; k < model.metrics.size(); ++k) {
      double want = ref->at(model.metrics[k]).data[0];
      bool factor = llvm::StringRef(model.metrics[k]).starts_with("scale.");
      double scale = factor ? 1.0 : std::fabs(want);
      EXPECT_NEAR(metrics[k], want, 1e-5 * scale) << model.metrics[k] << at;
    }
    for (auto &[name, data] : refBufs) {
      const std::vector<double> &next = ref->at("new." + name).data;
      expectClose(jitBufs[name], next, 1e-5, name + at,
                  ToleranceKind::Normwise);
      data.assign(next.begin(), next.end());
    }
  }
}

/// A stable, readable test name ("norm_sgd"): ctest selects the cases by
/// name, so it must not depend on the addresses inside TrainCase.
std::string trainCaseName(const ::testing::TestParamInfo<TrainCase> &info) {
  llvm::StringRef kind = llvm::StringRef(info.param.clip).drop_front(5);
  return (kind.split(',').first + "_" + info.param.optimizer).str();
}

INSTANTIATE_TEST_SUITE_P(
    Optimizers, JitVsInterpTrain,
    ::testing::Values(TrainCase{"kind=norm,c=1.0", "sgd",
                                "lr=0.01,momentum=0.9"},
                      TrainCase{"kind=global_norm,c=5.0", "sgd",
                                "lr=0.01,momentum=0.9,nesterov=1"},
                      TrainCase{"kind=value,c=0.5", "adam", "lr=0.01"},
                      TrainCase{"kind=none", "sgd", "lr=0.001"}),
    trainCaseName);

} // namespace
