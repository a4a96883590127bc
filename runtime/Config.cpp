// Config.cpp - parse and check the JSON model description.
// SPDX-License-Identifier: MIT
//
// The compiler writes the description, so a failure here usually means the
// compiler and the runtime disagree on a key; the message names the key and
// the expected type so the disagreement is found quickly.
#include "Config.h"

#include "Error.h"

#include <algorithm>

#include <nlohmann/json.hpp>

using nlohmann::json;

namespace gradc::rt {
namespace {

[[noreturn]] void badKey(const std::string &key, const std::string &what) {
  throw UserError("", fmt::format("model config: '{}' must be {}", key, what));
}

const json &required(const json &obj, const std::string &key) {
  if (!obj.is_object() || !obj.contains(key))
    throw UserError("", fmt::format("model config: missing key '{}'", key));
  return obj.at(key);
}

std::string stringAt(const json &obj, const std::string &key) {
  const json &value = required(obj, key);
  if (!value.is_string())
    badKey(key, "a string");
  return value.get<std::string>();
}

std::string optionalString(const json &obj, const std::string &key) {
  if (!obj.contains(key) || obj.at(key).is_null())
    return "";
  return stringAt(obj, key);
}

Shape shapeOf(const json &value, const std::string &key) {
  if (!value.is_array())
    badKey(key, "an array of non-negative integers");
  Shape shape;
  for (const json &dim : value) {
    if (!dim.is_number_integer() || dim.get<int64_t>() < 0)
      badKey(key, "an array of non-negative integers");
    shape.push_back(dim.get<int64_t>());
  }
  return shape;
}

const json &arrayAt(const json &obj, const std::string &key) {
  const json &value = required(obj, key);
  if (!value.is_array())
    badKey(key, "an array");
  return value;
}

ParamSpec paramOf(const json &entry) {
  ParamSpec param;
  param.name = stringAt(entry, "name");
  param.shape = shapeOf(required(entry, "shape"), param.name + ".shape");
  param.init = entry.contains("init") ? stringAt(entry, "init") : "zeros";
  param.fanIn = entry.value("fan_in", int64_t(0));
  param.fanOut = entry.value("fan_out", int64_t(0));
  param.trainable = entry.value("trainable", true);
  param.vectorsPath = optionalString(entry, "vectors");
  return param;
}

SourceKind sourceKindOf(const std::string &kind) {
  if (kind == "csv")
    return SourceKind::Csv;
  if (kind == "idx")
    return SourceKind::Idx;
  if (kind == "tokens")
    return SourceKind::Tokens;
  badKey("data.kind", "one of csv, idx, tokens");
}

SourceSpec sourceOf(const json &value) {
  SourceSpec source;
  if (value.is_null())
    return source;
  if (value.is_object() && value.contains("split")) {
    if (!value.at("split").is_number())
      badKey("validate.split", "a number");
    source.kind = SourceKind::Split;
    source.split = value.at("split").get<double>();
    return source;
  }
  source.kind = sourceKindOf(stringAt(value, "kind"));
  source.path = optionalString(value, "path");
  source.target = optionalString(value, "target");
  source.images = optionalString(value, "images");
  source.labels = optionalString(value, "labels");
  return source;
}

void readLists(const json &root, ModelConfig &config) {
  for (const json &entry : arrayAt(root, "params"))
    config.params.push_back(paramOf(entry));
  for (const json &entry : arrayAt(root, "state"))
    config.state.push_back(
        {stringAt(entry, "name"), shapeOf(required(entry, "shape"), "state")});
  for (const json &entry : arrayAt(root, "hyper")) {
    if (!required(entry, "value").is_number())
      badKey("hyper.value", "a number");
    config.hyper.push_back(
        {stringAt(entry, "name"), entry.at("value").get<float>()});
  }
  for (const json &name : arrayAt(root, "metrics")) {
    if (!name.is_string())
      badKey("metrics", "an array of strings");
    config.metrics.push_back(name.get<std::string>());
  }
}

int64_t positiveInt(const json &root, const std::string &key, int64_t dflt) {
  if (!root.contains(key) || root.at(key).is_null())
    return dflt;
  const json &value = root.at(key);
  if (!value.is_number_integer() || value.get<int64_t>() <= 0)
    badKey(key, "a positive integer");
  return value.get<int64_t>();
}

void readTraining(const json &root, ModelConfig &config) {
  config.loss = stringAt(root, "loss");
  config.data = sourceOf(required(root, "data"));
  if (config.data.kind == SourceKind::None)
    badKey("data", "a data source");
  config.validate = sourceOf(root.value("validate", json()));
  config.batch = positiveInt(root, "batch", 32);
  config.maxBatch = positiveInt(root, "max_batch", 0);
  config.epochs = positiveInt(root, "epochs", 1);
  const json seed = root.value("seed", json(0));
  if (!seed.is_number_integer())
    badKey("seed", "an integer");
  config.seed = seed.get<uint64_t>();
  config.shuffle = root.value("shuffle", true);
  config.initFrom = optionalString(root, "init_from");
  config.inputIdLimit = root.value("input_id_limit", int64_t(0));
}

ModelConfig configOf(const json &root) {
  ModelConfig config;
  config.name = stringAt(root, "model");
  config.source = optionalString(root, "source");
  config.xShape = shapeOf(required(root, "x_shape"), "x_shape");
  config.yShape = shapeOf(required(root, "y_shape"), "y_shape");
  if (root.contains("output_shape") && !root.at("output_shape").is_null())
    config.outputShape = shapeOf(root.at("output_shape"), "output_shape");
  readLists(root, config);
  readTraining(root, config);
  return config;
}

} // namespace

int64_t elementCount(const Shape &shape) {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  return count;
}

std::string shapeText(const Shape &shape) {
  return fmt::format("[{}]", fmt::join(shape, ","));
}

int64_t batchLimit(const ModelConfig &config) {
  int64_t widest = 1;
  for (const Shape *shape : {&config.xShape, &config.yShape,
                             &config.outputShape})
    widest = std::max(widest, elementCount(*shape));
  int64_t limit = MaxTensorElements / widest;
  return config.maxBatch ? std::min(limit, config.maxBatch) : limit;
}

bool isClassificationLoss(const std::string &loss) {
  return loss == "binary_crossentropy" || loss == "categorical_crossentropy" ||
         loss == "sparse_categorical_crossentropy";
}

ModelConfig parseConfig(const std::string &text) {
  json root = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object())
    throw UserError("", "model config is not a JSON object");
  try {
    return configOf(root);
  } catch (const json::exception &error) {
    throw UserError("", fmt::format("model config: {}", error.what()));
  }
}

} // namespace gradc::rt
