// DriverInterpModel.cpp - runtime entry points backed by the interpreter.
// SPDX-License-Identifier: MIT
//
// Each call copies the runtime's f32 buffers into interpreter leaves by
// leaf name and order (the order the config lists them), runs the graph,
// and copies outputs back: "new.<p>" into the buffer of <p>, metrics into
// out_metrics in the config's order.

#include "driver/DriverInterpModel.h"

#include "interp/Interpreter.h"

#include "llvm/Support/ErrorHandling.h"

namespace gradc::driver {
namespace {

using interp::Interpreter;
using interp::Tensor;

std::vector<double> toDoubles(const float *data, int64_t count) {
  return std::vector<double>(data, data + count);
}

void setBuffer(Interpreter &interp, const ir::Node &leaf, const float *data,
               int64_t batch) {
  int64_t count = leaf.type.numElements(batch);
  Tensor t{leaf.type, batch, toDoubles(data, count)};
  interp.setLeaf(leaf.name, std::move(t));
}

void copyOut(const Tensor &t, float *out) {
  for (size_t i = 0; i < t.data.size(); ++i)
    out[i] = static_cast<float>(t.data[i]);
}

/// Binds every Param leaf of `graph` to `params`, in leaf order.
void bindParams(Interpreter &interp, const ir::Graph &graph, float **params) {
  std::vector<ir::Node *> leaves = graph.leaves(ir::OpKind::Param);
  for (size_t i = 0; i < leaves.size(); ++i)
    setBuffer(interp, *leaves[i], params[i], 1);
}

void bindBatch(Interpreter &interp, const ir::Graph &graph, const float *x,
               const float *y, int64_t batch) {
  interp.setBatchSize(batch);
  if (const ir::Node *leaf = graph.find("x"))
    setBuffer(interp, *leaf, x, batch);
  if (const ir::Node *leaf = graph.find("y"); leaf && y)
    setBuffer(interp, *leaf, y, batch);
}

std::map<std::string, Tensor> runOrDie(Interpreter &interp) {
  auto outputs = interp.run();
  if (!outputs)
    llvm::report_fatal_error(llvm::Twine("interpreter: ") +
                             llvm::toString(outputs.takeError()));
  return std::move(*outputs);
}

/// Writes "new.<leaf>" of every leaf of `kind` back into its buffer.
void storeUpdates(const std::map<std::string, Tensor> &outputs,
                  const ir::Graph &graph, ir::OpKind kind, float **buffers) {
  std::vector<ir::Node *> leaves = graph.leaves(kind);
  for (size_t i = 0; i < leaves.size(); ++i) {
    auto it = outputs.find("new." + leaves[i]->name);
    if (it != outputs.end())
      copyOut(it->second, buffers[i]);
  }
}

void trainStep(void *context, const gradc_step_args *args) {
  const auto &pipeline = *static_cast<const ModelPipeline *>(context);
  const ir::Graph &graph = *pipeline.train;
  Interpreter interp(graph);
  bindParams(interp, graph, args->params);
  std::vector<ir::Node *> state = graph.leaves(ir::OpKind::State);
  for (size_t i = 0; i < state.size(); ++i)
    setBuffer(interp, *state[i], args->state[i], 1);
  std::vector<ir::Node *> hyper = graph.leaves(ir::OpKind::Hyper);
  for (size_t i = 0; i < hyper.size(); ++i)
    setBuffer(interp, *hyper[i], &args->hyper[i], 1);
  bindBatch(interp, graph, args->x, args->y, args->batch);
  interp.setStep(args->step);
  interp.setSeed(args->seed);

  std::map<std::string, Tensor> outputs = runOrDie(interp);
  for (size_t i = 0; i < pipeline.metrics.size(); ++i)
    args->metrics[i] = float(outputs.at(pipeline.metrics[i]).data.at(0));
  storeUpdates(outputs, graph, ir::OpKind::Param, args->params);
  storeUpdates(outputs, graph, ir::OpKind::State, args->state);
}

void evalStep(void *context, float **params, const float *x, const float *y,
              int64_t batch, float *out) {
  const auto &pipeline = *static_cast<const ModelPipeline *>(context);
  Interpreter interp(*pipeline.eval);
  bindParams(interp, *pipeline.eval, params);
  bindBatch(interp, *pipeline.eval, x, y, batch);
  out[0] = float(runOrDie(interp).at("loss").data.at(0));
}

void predict(void *context, float **params, const float *x, int64_t batch,
             float *out) {
  const auto &pipeline = *static_cast<const ModelPipeline *>(context);
  Interpreter interp(*pipeline.predict);
  bindParams(interp, *pipeline.predict, params);
  bindBatch(interp, *pipeline.predict, x, nullptr, batch);
  copyOut(runOrDie(interp).at("prediction"), out);
}

} // namespace

gradc_model makeInterpretedModel(const ModelPipeline &pipeline) {
  gradc_model model{};
  model.config_json = pipeline.configJson.c_str();
  model.context = const_cast<ModelPipeline *>(&pipeline);
  model.train_step = trainStep;
  model.eval_step = evalStep;
  model.predict = predict;
  return model;
}

} // namespace gradc::driver
