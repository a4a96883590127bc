// Dataset.h - rows of inputs and targets in memory, and the loaders.
// SPDX-License-Identifier: MIT
//
// A source file is first read into RawRows (features plus one target value
// per row, with the line each row came from), then laid out as the model's
// y_shape asks: [1] keeps the target, [] keeps the class label as a float,
// [C] builds a one-hot row from the label.
#ifndef GRADC_RUNTIME_DATASET_H
#define GRADC_RUNTIME_DATASET_H

#include "Config.h"

#include <cstdint>
#include <string>
#include <vector>

namespace gradc::rt {

/// What a source file yields before the targets are laid out.
struct RawRows {
  std::string path;          ///< file the targets came from (for messages)
  int64_t width = 0;         ///< features per row
  std::vector<float> x;      ///< rows * width
  std::vector<float> target; ///< one per row
  std::vector<int64_t> line; ///< 1-based source line per row; empty for idx
  int64_t targetOffset = 0;  ///< idx: byte offset of the first label
  Shape itemShape;           ///< idx: [H, W] of one image; empty otherwise
  int64_t items = 0;         ///< idx: image count in the header
  std::string xPath;         ///< idx: the images file (for messages)
  int64_t rows() const { return int64_t(target.size()); }
};

/// Rows ready for batching: x is [rows, xWidth], y is [rows, yWidth].
struct Dataset {
  int64_t rows = 0;
  int64_t xWidth = 0;
  int64_t yWidth = 0;
  std::vector<float> x;
  std::vector<float> y;
};

/// The feature columns of a CSV file, by name, in file order.
struct CsvColumns {
  std::string path;
  std::vector<std::string> features;
};

/// Reads the header of the CSV file `path` only: its feature columns.
CsvColumns readCsvColumns(const std::string &path, const std::string &target);

/// CSV with a header line; `target` names the target column, every other
/// column is a feature, in file order. With `reference`, the features must
/// be the reference's columns (by name, in any order) and are read in the
/// reference's order: a validation file matched to its training file.
RawRows readCsv(const std::string &path, const std::string &target,
                const CsvColumns *reference = nullptr);

/// IDX images (u8, N x H x W, scaled to [0, 1]) and labels (u8, N); gzip or
/// raw files.
RawRows readIdx(const std::string &images, const std::string &labels);

/// One example per line, "label<TAB>tok tok ...", token ids padded with 0 or
/// truncated at the front to `length` (Keras pad_sequences defaults).
RawRows readTokens(const std::string &path, int64_t length);

/// Throws a UserError when `path` names a directory: a stream opened on one
/// reads nothing, which would be reported as a file without content.
void rejectDirectory(const std::string &path);

/// Reads `source` and lays out its targets for `config`; throws UserError.
Dataset loadDataset(const SourceSpec &source, const ModelConfig &config);

/// Moves the last `fraction` of `train`'s rows into the returned set, as
/// Keras validation_split does (the first floor(rows * (1 - f)) stay).
Dataset splitValidation(Dataset &train, double fraction);

} // namespace gradc::rt

#endif // GRADC_RUNTIME_DATASET_H
