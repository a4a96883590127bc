// DataLoader.cpp - turn a source into a Dataset shaped for the model.
// SPDX-License-Identifier: MIT
//
// The feature count of the file must equal the element count of x_shape.
// Targets are laid out per y_shape: [1] as read, [] as class labels, [C] as
// one-hot rows; labels must then be integers in [0, C). Binary cross-entropy
// targets must be probabilities in [0, 1] (PyTorch's BCELoss refuses others;
// a soft label such as 0.9 is allowed, as in Keras).
#include "Dataset.h"

#include "Error.h"

#include <cassert>
#include <cmath>

#include <sys/stat.h>

namespace gradc::rt {
namespace {

/// A validation CSV file is read by the training file's column names, so a
/// file whose columns come in another order or under other names is not
/// matched by position. `source` is the validation source when it is the
/// config's own `validate` member.
RawRows readSource(const SourceSpec &source, const ModelConfig &config) {
  bool validation = &source == &config.validate;
  switch (source.kind) {
  case SourceKind::Csv:
    if (validation && config.data.kind == SourceKind::Csv) {
      CsvColumns training =
          readCsvColumns(config.data.path, config.data.target);
      return readCsv(source.path, source.target, &training);
    }
    return readCsv(source.path, source.target);
  case SourceKind::Idx:
    return readIdx(source.images, source.labels);
  case SourceKind::Tokens:
    return readTokens(source.path, elementCount(config.xShape));
  case SourceKind::None:
  case SourceKind::Split:
    break;
  }
  assert(false && "only file sources are read");
  return {};
}

std::string rowLocation(const RawRows &raw, int64_t row) {
  if (raw.line.empty())
    return raw.path;
  return fmt::format("{}:{}", raw.path, raw.line[row]);
}

/// Inputs that index an embedding must be ids inside its vocabulary: the
/// compiled gather reads the table without a bounds check.
void checkInputIds(const RawRows &raw, int64_t limit) {
  if (limit <= 0)
    return;
  for (int64_t i = 0; i < int64_t(raw.x.size()); ++i) {
    float id = raw.x[i];
    if (id == std::floor(id) && id >= 0 && id < float(limit))
      continue;
    throw UserError(rowLocation(raw, i / raw.width),
                    fmt::format("input id {} is outside the embedding's "
                                "vocabulary [0, {})",
                                id, limit));
  }
}

/// How a message names a row: "row 3" of a text file (1-based, as lines
/// are) or "item 2 (byte 10)" of IDX labels (0-based, as offsets are; they
/// count the bytes of the decompressed file).
std::string rowName(const RawRows &raw, int64_t row) {
  if (!raw.line.empty())
    return fmt::format("row {}", row + 1);
  return fmt::format("item {} (byte {})", row, raw.targetOffset + row);
}

void checkLabel(const RawRows &raw, int64_t row, int64_t classes) {
  float label = raw.target[row];
  if (label != std::floor(label) || label < 0 || label >= float(classes))
    throw UserError(rowLocation(raw, row),
                    fmt::format("label {} of {} is not a class in [0, {})",
                                label, rowName(raw, row), classes));
}

void checkProbability(const RawRows &raw, int64_t row) {
  float label = raw.target[row];
  if (label < 0 || label > 1)
    throw UserError(rowLocation(raw, row),
                    fmt::format("label {} of {} is not a probability in "
                                "[0, 1] (loss binary_crossentropy)",
                                label, rowName(raw, row)));
}

/// Class labels kept as one value per row (y_shape []) index the model's
/// output classes: sparse categorical cross-entropy.
int64_t sparseClasses(const ModelConfig &config) {
  if (!config.yShape.empty() || config.outputShape.size() != 1 ||
      config.loss != "sparse_categorical_crossentropy")
    return 0;
  return config.outputShape[0];
}

/// Targets kept as one value per row must suit the loss: classes of the
/// output layer for sparse categorical cross-entropy, probabilities for
/// binary cross-entropy.
void checkTargets(const RawRows &raw, const ModelConfig &config) {
  int64_t classes = sparseClasses(config);
  bool binary = config.loss == "binary_crossentropy";
  for (int64_t row = 0; row < raw.rows(); ++row) {
    if (classes)
      checkLabel(raw, row, classes);
    if (binary)
      checkProbability(raw, row);
  }
}

/// Can images of `item` ([H, W]) feed an input of shape `x`? As [H, W, 1]
/// (channels-last) or [H, W]; a flat input of H*W elements has no image
/// shape of its own to compare with, so any H x W of that size fits it.
bool imagesFit(const Shape &item, const Shape &x) {
  if (x.size() == 1)
    return x[0] == item[0] * item[1];
  return (x.size() == 2 || (x.size() == 3 && x[2] == 1)) && x[0] == item[0] &&
         x[1] == item[1];
}

/// Every item of the file must have the model's input shape: a row of the
/// same element count but another height and width would be read with the
/// wrong neighbours, silently.
void checkInputShape(const RawRows &raw, const ModelConfig &config) {
  if (!raw.itemShape.empty() && !imagesFit(raw.itemShape, config.xShape))
    throw UserError(raw.xPath,
                    fmt::format("images are {}x{} (the file's shape is "
                                "{}x{}x{}), the model input {} expects {}",
                                raw.itemShape[0], raw.itemShape[1], raw.items,
                                raw.itemShape[0], raw.itemShape[1],
                                shapeText(config.xShape),
                                config.xShape.size() == 1
                                    ? fmt::format("{} pixels",
                                                  config.xShape[0])
                                    : fmt::format("{}x{}", config.xShape[0],
                                                  config.xShape[1])));
  int64_t width = elementCount(config.xShape);
  if (raw.width != width)
    throw UserError(raw.path, fmt::format("rows have {} features, the model "
                                          "input {} has {}",
                                          raw.width, shapeText(config.xShape),
                                          width));
  // A file holds one target value per item: a class label or a number.
  if (config.yShape.size() > 1)
    throw UserError(raw.path, fmt::format("the model's targets have shape {}, "
                                          "the file has one value per item",
                                          shapeText(config.yShape)));
}

void appendOneHot(Dataset &set, const RawRows &raw, int64_t row,
                  int64_t classes) {
  checkLabel(raw, row, classes);
  float label = raw.target[row];
  for (int64_t c = 0; c < classes; ++c)
    set.y.push_back(c == int64_t(label) ? 1.0f : 0.0f);
}

} // namespace

void rejectDirectory(const std::string &path) {
  struct stat info;
  if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode))
    throw UserError(path, "expected a data file, found a directory");
}

Dataset loadDataset(const SourceSpec &source, const ModelConfig &config) {
  RawRows raw = readSource(source, config);
  checkInputIds(raw, config.inputIdLimit);
  checkInputShape(raw, config);
  int64_t width = elementCount(config.xShape);
  Dataset set;
  set.rows = raw.rows();
  set.xWidth = width;
  set.x = std::move(raw.x);
  bool oneHot = config.yShape.size() == 1 && config.yShape[0] > 1;
  set.yWidth = oneHot ? config.yShape[0] : 1;
  if (!oneHot) {
    checkTargets(raw, config);
    set.y = raw.target;
    return set;
  }
  set.y.reserve(set.rows * set.yWidth);
  for (int64_t row = 0; row < set.rows; ++row)
    appendOneHot(set, raw, row, set.yWidth);
  return set;
}

Dataset splitValidation(Dataset &train, double fraction) {
  if (!(fraction > 0 && fraction < 1))
    throw UserError(
        "", fmt::format("validation split {} is not in (0, 1)", fraction));
  int64_t keep = int64_t(double(train.rows) * (1.0 - fraction));
  if (keep == 0 || keep == train.rows)
    throw UserError("", fmt::format("validation split {} of {} rows leaves "
                                    "an empty set",
                                    fraction, train.rows));
  Dataset val;
  val.rows = train.rows - keep;
  val.xWidth = train.xWidth;
  val.yWidth = train.yWidth;
  val.x.assign(train.x.begin() + keep * train.xWidth, train.x.end());
  val.y.assign(train.y.begin() + keep * train.yWidth, train.y.end());
  train.rows = keep;
  train.x.resize(keep * train.xWidth);
  train.y.resize(keep * train.yWidth);
  return val;
}

} // namespace gradc::rt
