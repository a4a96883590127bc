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

#include <cmath>
#include <set>

namespace gradc::rt {
namespace {

/// Parameters and optimizer state that are NaN or infinite would only show
/// up as a run that diverges at its first step.
void checkFinite(const Tensor &tensor, const std::string &path) {
  for (size_t i = 0; i < tensor.data.size(); ++i)
    if (!std::isfinite(tensor.data[i]))
      throw UserError(path, fmt::format("tensor '{}' has the non-finite "
                                        "value {} at element {}",
                                        tensor.name, tensor.data[i], i));
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
  checkFinite(*tensor, path);
  out = tensor->data;
  return true;
}

/// Parses a decimal number of digits only (no sign, no spaces) up to
/// `limit`; false on anything else, including a value that overflows.
bool parseCount(const std::string &text, uint64_t limit, uint64_t &value) {
  value = 0;
  if (text.empty() || text.size() > 20)
    return false;
  for (char digit : text) {
    if (digit < '0' || digit > '9' ||
        __builtin_mul_overflow(value, uint64_t(10), &value) ||
        __builtin_add_overflow(value, uint64_t(digit - '0'), &value))
      return false;
  }
  return value <= limit;
}

uint64_t metadataNumber(const TensorFile &file, const std::string &path,
                        const std::string &key, uint64_t limit = UINT64_MAX) {
  auto found = file.metadata.find(key);
  if (found == file.metadata.end())
    throw UserError(path, fmt::format("not a gradc checkpoint: metadata '{}' "
                                      "is missing",
                                      key));
  uint64_t value = 0;
  if (!parseCount(found->second, limit, value))
    throw UserError(path, fmt::format("metadata '{}' is '{}', expected an "
                                      "integer in [0, {}]",
                                      key, found->second, limit));
  return value;
}

/// A step count must fit its epoch count: no step before the first epoch
/// ends, and at most one step per row (2^31 rows at most) in each epoch.
void checkStepFitsEpoch(const TrainState &state, const std::string &path) {
  constexpr int64_t maxStepsPerEpoch = int64_t(1) << 31;
  bool fits = state.step == 0 ||
              (state.epoch > 0 && (state.step - 1) / maxStepsPerEpoch <
                                      state.epoch);
  if (!fits)
    throw UserError(path, fmt::format("metadata step {} cannot follow epoch "
                                      "{}",
                                      state.step, state.epoch));
}

/// The tensors of `file` that name nothing of `config`: neither a
/// parameter nor an optimizer-state slot.
std::vector<std::string> unusedTensors(const ModelConfig &config,
                                       const TensorFile &file) {
  std::set<std::string> known;
  for (const ParamSpec &param : config.params)
    known.insert(param.name);
  for (const StateSpec &slot : config.state)
    known.insert(slot.name);
  std::vector<std::string> unused;
  for (const Tensor &tensor : file.tensors)
    if (!known.count(tensor.name))
      unused.push_back(tensor.name);
  return unused;
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
  std::vector<std::string> missing;
  for (size_t i = 0; i < config.params.size(); ++i) {
    const ParamSpec &param = config.params[i];
    if (!takeTensor(file, path, param.name, param.shape, state.params[i]))
      missing.push_back(param.name);
  }
  // As a strict load_state_dict: every parameter comes from the file, and
  // every tensor of the file is used (optimizer slots of a checkpoint are
  // known names, kept for --resume).
  std::vector<std::string> unused = unusedTensors(config, file);
  if (missing.empty() && unused.empty())
    return;
  std::string message =
      missing.empty() ? ""
                      : fmt::format("no tensor for parameter{} {} of model "
                                    "'{}'",
                                    missing.size() > 1 ? "s" : "",
                                    fmt::join(missing, ", "), config.name);
  if (!unused.empty())
    message += fmt::format("{}tensor{} {} {} of model '{}'",
                           missing.empty() ? "" : "; ",
                           unused.size() > 1 ? "s" : "",
                           fmt::join(unused, ", "),
                           unused.size() > 1 ? "are not parameters"
                                             : "is not a parameter",
                           config.name);
  throw UserError(path, message);
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
  state.epoch = int64_t(metadataNumber(file, path, "epoch", INT64_MAX));
  state.step = int64_t(metadataNumber(file, path, "step", INT64_MAX));
  checkStepFitsEpoch(state, path);
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
