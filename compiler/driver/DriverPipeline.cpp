// DriverPipeline.cpp - the pass pipeline shared by gradc, gradi and tests.
// SPDX-License-Identifier: MIT
//
// The train graph runs lower -> simplify -> autodiff -> clip -> optimizer ->
// simplify and keeps only what the runtime reads: the loss, the gradient
// health outputs and the updated parameters and state. The eval and predict
// graphs are lowered without dropout and keep one output each.

#include "driver/DriverPipeline.h"
#include "driver/DriverConfig.h"

#include "ir/Verifier.h"
#include "passes/Autodiff.h"
#include "passes/Clip.h"
#include "passes/Lower.h"
#include "passes/Optimizer.h"
#include "passes/Simplify.h"

#include "llvm/ADT/StringRef.h"

#include <algorithm>

namespace gradc::driver {
namespace {

using passes::LowerModeKind;

passes::ClipRule clipRule(const ast::ClipSpec *spec) {
  if (!spec)
    return {};
  switch (spec->kind) {
  case ast::ClipKind::Norm:
    return {passes::ClipKind::Norm, spec->threshold};
  case ast::ClipKind::GlobalNorm:
    return {passes::ClipKind::GlobalNorm, spec->threshold};
  case ast::ClipKind::Value:
    return {passes::ClipKind::Value, spec->threshold};
  case ast::ClipKind::None:
    return {};
  }
  return {};
}

passes::ClipConfig clipConfig(const ast::TrainDecl &train) {
  passes::ClipConfig cfg;
  for (const ast::ClipSpec &spec : train.clips) {
    if (spec.layer.empty())
      cfg.defaultRule = clipRule(&spec);
    else
      cfg.layerRules[spec.layer] = clipRule(&spec);
  }
  return cfg;
}

void addOptimizer(ir::Graph &graph, const ast::Optimizer &opt) {
  if (opt.kind == ast::OptimizerKind::Adam) {
    passes::runAdam(graph, {opt.lr, opt.beta1, opt.beta2, opt.eps});
    return;
  }
  passes::runSgd(graph, {opt.lr, opt.momentum, opt.nesterov});
}

/// Keeps the outputs whose names satisfy `keep`, then drops dead nodes.
template <typename Pred> void keepOutputs(ir::Graph &graph, Pred keep) {
  auto &outs = graph.outputs();
  outs.erase(std::remove_if(outs.begin(), outs.end(),
                            [&](const ir::GraphOutput &out) {
                              return !keep(llvm::StringRef(out.name));
                            }),
             outs.end());
  graph.removeDeadNodes();
}

bool isStepOutput(llvm::StringRef name) {
  return name == "loss" || name.starts_with("norm.") ||
         name.starts_with("scale.") || name.starts_with("new.");
}

llvm::Expected<std::unique_ptr<ir::Graph>>
buildTrainGraph(const ast::ModelDecl &model, const ast::TrainDecl &train,
                PipelineStageKind stopAfter) {
  auto graph = passes::lowerModel(model, train, LowerModeKind::Training);
  if (stopAfter == PipelineStageKind::Forward)
    return std::move(graph);
  passes::runSimplify(*graph);
  if (llvm::Error err = passes::runAutodiff(*graph))
    return std::move(err);
  if (stopAfter == PipelineStageKind::Gradients)
    return std::move(graph);
  passes::runClip(*graph, clipConfig(train));
  addOptimizer(*graph, train.optimizer);
  keepOutputs(*graph, isStepOutput);
  passes::runSimplify(*graph);
  return std::move(graph);
}

std::unique_ptr<ir::Graph> buildInferenceGraph(const ast::ModelDecl &model,
                                               const ast::TrainDecl &train,
                                               llvm::StringRef output) {
  auto graph = passes::lowerModel(model, train, LowerModeKind::Inference);
  keepOutputs(*graph, [&](llvm::StringRef name) { return name == output; });
  passes::runSimplify(*graph);
  return graph;
}

/// "loss", then norm.<p> and scale.<p> for every parameter with a norm.
std::vector<std::string> metricNames(const ir::Graph &train) {
  std::vector<std::string> metrics{"loss"};
  for (const char *prefix : {"norm.", "scale."})
    for (const ir::Node *param : train.leaves(ir::OpKind::Param))
      if (train.output(prefix + param->name))
        metrics.push_back(prefix + param->name);
  return metrics;
}

const ast::TrainDecl *findTrainBlock(const ast::Program &program,
                                     const std::string &modelName) {
  if (modelName.empty())
    return program.trains.empty() ? nullptr : &program.trains.front();
  return program.findTrain(modelName);
}

} // namespace

codegen::ModelGraphs ModelPipeline::graphs() const {
  codegen::ModelGraphs view;
  view.name = name;
  view.configJson = configJson;
  view.train = train.get();
  view.eval = eval.get();
  view.predict = predict.get();
  view.metrics = metrics;
  view.maxBatch = batch;
  return view;
}

llvm::Expected<ModelPipeline> buildModelPipeline(const ast::Program &program,
                                                 PipelineStageKind stopAfter,
                                                 const std::string &modelName) {
  const ast::TrainDecl *train = findTrainBlock(program, modelName);
  if (!train)
    return llvm::createStringError(
        program.path + ": no train block" +
        (modelName.empty() ? std::string() : " for model '" + modelName + "'"));
  const ast::ModelDecl *model = program.findModel(train->modelName);
  assert(model && "sema checks that a train block names a model");

  ModelPipeline result;
  result.name = model->name;
  result.batch = train->batch;
  auto trainGraph = buildTrainGraph(*model, *train, stopAfter);
  if (!trainGraph)
    return trainGraph.takeError();
  result.train = std::move(*trainGraph);
  if (llvm::Error err = ir::verifyGraph(*result.train))
    return std::move(err);
  if (stopAfter != PipelineStageKind::Optimized)
    return std::move(result);

  result.eval = buildInferenceGraph(*model, *train, "loss");
  result.predict = buildInferenceGraph(*model, *train, "prediction");
  result.metrics = metricNames(*result.train);
  result.configJson = describeModelConfig(program, *model, *train, result);
  return std::move(result);
}

} // namespace gradc::driver
