// Config.h - the model description (JSON "config") read into plain structs.
// SPDX-License-Identifier: MIT
//
// gradc_runtime.h documents the JSON keys. parseConfig checks the types and
// presence of every key the runtime reads, so the rest of the runtime works
// on validated values; a malformed description is reported as a UserError
// naming the key.
#ifndef GRADC_RUNTIME_CONFIG_H
#define GRADC_RUNTIME_CONFIG_H

#include <cstdint>
#include <string>
#include <vector>

namespace gradc::rt {

using Shape = std::vector<int64_t>;

/// Number of elements of a tensor of `shape` (1 for a scalar).
int64_t elementCount(const Shape &shape);

/// `shape` as messages print it: "[28,28,1]".
std::string shapeText(const Shape &shape);

struct ParamSpec {
  std::string name;
  Shape shape;
  std::string init;
  int64_t fanIn = 0;
  int64_t fanOut = 0;
  bool trainable = true;
  std::string vectorsPath; ///< init "vectors": rows of the table, as text
};

struct StateSpec {
  std::string name;
  Shape shape;
};

struct HyperSpec {
  std::string name;
  float value = 0;
};

/// Where rows come from: a file source, a split of the training rows, or
/// nothing (no validation).
enum class SourceKind { None, Csv, Idx, Tokens, Split };

struct SourceSpec {
  SourceKind kind = SourceKind::None;
  std::string path;   ///< csv and tokens
  std::string target; ///< csv: name of the target column
  std::string images; ///< idx
  std::string labels; ///< idx
  double split = 0;   ///< Split: fraction of rows kept for validation
};

struct ModelConfig {
  std::string name;
  std::string source;
  Shape xShape;
  Shape yShape;
  Shape outputShape; ///< optional; empty when the config does not give it
  std::vector<ParamSpec> params;
  std::vector<StateSpec> state;
  std::vector<HyperSpec> hyper;
  std::vector<std::string> metrics;
  std::string loss;
  SourceSpec data;
  SourceSpec validate;
  int64_t batch = 32;
  int64_t maxBatch = 0; ///< "max_batch"; 0 when the config does not give it
  int64_t epochs = 1;
  uint64_t seed = 0;
  bool shuffle = true;
  std::string initFrom;
  /// When the input indexes an embedding: every input value must be an
  /// integer id in [0, inputIdLimit); 0 means the input is not ids.
  int64_t inputIdLimit = 0;
};

/// Reads and checks a JSON model description; throws UserError.
ModelConfig parseConfig(const std::string &json);

/// The most elements of one tensor the compiler plans for, a whole batch
/// of rows included (the front end's limit).
constexpr int64_t MaxTensorElements = int64_t(1) << 31;

/// The largest batch the compiled code of `config` takes: its max_batch,
/// and never more than keeps a batch of x, y or outputs within
/// MaxTensorElements.
int64_t batchLimit(const ModelConfig &config);

/// True for the losses whose targets are classes (accuracy is reported).
bool isClassificationLoss(const std::string &loss);

} // namespace gradc::rt

#endif // GRADC_RUNTIME_CONFIG_H
