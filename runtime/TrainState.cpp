// TrainState.cpp - initialization, init_from and checkpoints.
// SPDX-License-Identifier: MIT
//
// Parameters draw from one init stream in config order, so adding a
// parameter at the end leaves the earlier ones unchanged.
#include "TrainState.h"

#include "Error.h"
#include "Initializers.h"
#include "Rng.h"
#include "Safetensors.h"

#include <cstdlib>

namespace gradc::rt {
namespace {

std::string shapeText(const Shape &shape) {
  return fmt::format("[{}]", fmt::join(shape, ","));
}

/// Copies the tensor `name` of `file` into `out`; false if it is absent.
bool takeTensor(const TensorFile &file, const std::string &path,
                const std::string &name, const Shape &shape,
                std::vector<float> &out) {
  const Tensor *tensor = file.find(name);
  if (!tensor)
    return false;
  if (tensor->shape != shape)
    throw UserError(path, fmt::format("tensor '{}' has shape {}, the model "
                                      "expects {}",
                                      name, shapeText(tensor->shape),
                                      shapeText(shape)));
  out = tensor->data;
  return true;
}

uint64_t metadataNumber(const TensorFile &file, const std::string &path,
                        const std::string &key) {
  auto found = file.metadata.find(key);
  char *end = nullptr;
  if (found != file.metadata.end()) {
    unsigned long long value = std::strtoull(found->second.c_str(), &end, 10);
    if (!found->second.empty() && *end == '\0')
      return value;
  }
  throw UserError(path, fmt::format("not a gradc checkpoint: metadata '{}' "
                                    "is missing or not a number",
                                    key));
}

} // namespace

std::vector<float *> TrainState::paramPointers() {
  std::vector<float *> pointers;
  for (std::vector<float> &buffer : params)
    pointers.push_back(buffer.data());
  return pointers;
}

std::vector<float *> TrainState::statePointers() {
  std::vector<float *> pointers;
  for (std::vector<float> &buffer : state)
    pointers.push_back(buffer.data());
  return pointers;
}

TrainState initialState(const ModelConfig &config, uint64_t seed,
                        const std::string &initFrom) {
  TrainState state;
  state.seed = seed;
  state.rng = shuffleStreamSeed(seed);
  SplitMix64 rng(initStreamSeed(seed));
  for (const ParamSpec &param : config.params) {
    state.params.emplace_back(elementCount(param.shape));
    initializeParam(param, rng, state.params.back().data());
  }
  for (const StateSpec &slot : config.state)
    state.state.emplace_back(elementCount(slot.shape), 0.0f);
  if (!initFrom.empty())
    loadParamsFrom(config, initFrom, state);
  return state;
}

void loadParamsFrom(const ModelConfig &config, const std::string &path,
                    TrainState &state) {
  TensorFile file = readSafetensors(path);
  int loaded = 0;
  for (size_t i = 0; i < config.params.size(); ++i) {
    const ParamSpec &param = config.params[i];
    if (takeTensor(file, path, param.name, param.shape, state.params[i])) {
      ++loaded;
      continue;
    }
    if (param.init == "file")
      throw UserError(path, fmt::format("no tensor named '{}'", param.name));
  }
  if (loaded == 0)
    throw UserError(path, fmt::format("no tensor named like a parameter of "
                                      "model '{}'",
                                      config.name));
}

void saveCheckpoint(const ModelConfig &config, const TrainState &state,
                    const std::string &path) {
  TensorFile file;
  for (size_t i = 0; i < config.params.size(); ++i)
    file.tensors.push_back(
        {config.params[i].name, config.params[i].shape, state.params[i]});
  for (size_t i = 0; i < config.state.size(); ++i)
    file.tensors.push_back(
        {config.state[i].name, config.state[i].shape, state.state[i]});
  file.metadata = {{"format", "gradc"},
                   {"model", config.name},
                   {"epoch", std::to_string(state.epoch)},
                   {"step", std::to_string(state.step)},
                   {"seed", std::to_string(state.seed)},
                   {"rng", std::to_string(state.rng)}};
  writeSafetensors(path, file);
}

TrainState loadCheckpoint(const ModelConfig &config, const std::string &path) {
  TensorFile file = readSafetensors(path);
  auto model = file.metadata.find("model");
  if (model == file.metadata.end() || model->second != config.name)
    throw UserError(path,
                    fmt::format("not a checkpoint of model '{}'", config.name));
  TrainState state;
  state.epoch = int64_t(metadataNumber(file, path, "epoch"));
  state.step = int64_t(metadataNumber(file, path, "step"));
  state.seed = metadataNumber(file, path, "seed");
  state.rng = metadataNumber(file, path, "rng");
  state.params.resize(config.params.size());
  state.state.resize(config.state.size());
  for (size_t i = 0; i < config.params.size(); ++i)
    if (!takeTensor(file, path, config.params[i].name, config.params[i].shape,
                    state.params[i]))
      throw UserError(
          path, fmt::format("no tensor named '{}'", config.params[i].name));
  for (size_t i = 0; i < config.state.size(); ++i)
    if (!takeTensor(file, path, config.state[i].name, config.state[i].shape,
                    state.state[i]))
      throw UserError(
          path, fmt::format("no tensor named '{}'", config.state[i].name));
  return state;
}

} // namespace gradc::rt
