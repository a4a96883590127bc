// DriverConfig.cpp - writes the runtime config from the train graph and AST.
// SPDX-License-Identifier: MIT
//
// Buffers are listed in the order of the train graph's Param, State and
// Hyper leaves, which is the order the compiled entry points index them.

#include "driver/DriverConfig.h"
#include "driver/DriverPipeline.h"

#include "frontend/Sema.h"
#include "passes/Lower.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace gradc::driver {
namespace {

using nlohmann::json;

json describeParam(const ir::Node &param) {
  json spec = {{"name", param.name},
               {"shape", param.type.dims},
               {"init", param.strAttr("init", "zeros")},
               {"fan_in", param.intAttr("fan_in")},
               {"fan_out", param.intAttr("fan_out")},
               {"trainable", param.intAttr("trainable", 1) != 0}};
  if (std::string vectors = param.strAttr("vectors"); !vectors.empty())
    spec["vectors"] = vectors;
  return spec;
}

json describeLeaves(const ir::Graph &graph) {
  json params = json::array(), state = json::array(), hyper = json::array();
  for (const ir::Node *node : graph.leaves(ir::OpKind::Param))
    params.push_back(describeParam(*node));
  for (const ir::Node *node : graph.leaves(ir::OpKind::State))
    state.push_back({{"name", node->name}, {"shape", node->type.dims}});
  for (const ir::Node *node : graph.leaves(ir::OpKind::Hyper))
    hyper.push_back({{"name", node->name}, {"value", node->realAttr("value")}});
  return {{"params", params}, {"state", state}, {"hyper", hyper}};
}

json describeSource(const ast::DataSource &source) {
  switch (source.kind) {
  case ast::DataKind::Csv:
    return {{"kind", "csv"},
            {"path", source.paths.at(0)},
            {"target", source.target}};
  case ast::DataKind::Idx:
    return {{"kind", "idx"},
            {"images", source.paths.at(0)},
            {"labels", source.paths.at(1)}};
  case ast::DataKind::Tokens:
    return {{"kind", "tokens"}, {"path", source.paths.at(0)}};
  }
  return nullptr;
}

json describeValidation(const ast::Validation &validate) {
  switch (validate.kind) {
  case ast::ValidateKind::None:
    return nullptr;
  case ast::ValidateKind::File:
    return describeSource(validate.data);
  case ast::ValidateKind::Split:
    return {{"split", validate.split}};
  }
  return nullptr;
}

/// The largest batch the compiled code takes: the one at which the widest
/// row (the input or a layer's output) reaches the front end's limit on the
/// elements of one tensor, the bound the model's own batch was checked
/// against.
int64_t maxBatch(const ast::ModelDecl &model) {
  int64_t widest = frontend::elementCount(model.inputShape).value_or(1);
  for (const ast::Layer &layer : model.layers)
    widest = std::max(widest,
                      frontend::elementCount(layer.outputShape).value_or(1));
  return frontend::MaxTensorElements / std::max<int64_t>(widest, 1);
}

} // namespace

std::string describeModelConfig(const ast::Program &program,
                                const ast::ModelDecl &model,
                                const ast::TrainDecl &train,
                                const ModelPipeline &pipeline) {
  json config = describeLeaves(*pipeline.train);
  config["model"] = model.name;
  config["source"] = program.path;
  config["x_shape"] = model.inputShape;
  config["y_shape"] = passes::targetShape(model, train);
  config["output_shape"] = model.outputShape;
  config["metrics"] = pipeline.metrics;
  config["loss"] = ast::lossKindName(train.loss);
  config["data"] = describeSource(train.data);
  config["validate"] = describeValidation(train.validate);
  config["batch"] = train.batch;
  config["max_batch"] = maxBatch(model);
  config["epochs"] = train.epochs;
  config["seed"] = train.seed;
  config["shuffle"] = train.shuffle;
  if (model.layers.front().kind == ast::LayerKind::Embedding)
    config["input_id_limit"] = model.layers.front().vocab;
  config["init_from"] =
      train.initFrom.empty() ? json(nullptr) : json(train.initFrom);
  return config.dump(2);
}

} // namespace gradc::driver
