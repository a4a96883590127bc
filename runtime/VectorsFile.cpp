// VectorsFile.cpp - embedding tables read from a text file of vectors.
// SPDX-License-Identifier: MIT
//
// An embedding declared with `vectors="file"` starts from pretrained rows:
// line i of the file holds the vector of token id i, as whitespace-separated
// numbers, one line per id of the vocabulary. Every mismatch (a missing
// line, a short or long row, a cell that is not a finite number) is a user
// error naming the file and line.

#include "Dataset.h"
#include "Error.h"
#include "Initializers.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace gradc::rt {
namespace {

/// Parses one row of `width` finite numbers into `out`.
void parseRow(const std::string &text, int64_t width, const std::string &where,
              float *out) {
  std::istringstream cells(text);
  std::string cell;
  int64_t count = 0;
  while (cells >> cell) {
    char *end = nullptr;
    double value = std::strtod(cell.c_str(), &end);
    if (*end != '\0' || !std::isfinite(value))
      throw UserError(where, fmt::format("'{}' is not a finite number", cell));
    if (count < width)
      out[count] = float(value);
    ++count;
  }
  if (count != width)
    throw UserError(where, fmt::format("expected {} numbers per vector, "
                                       "found {}",
                                       width, count));
}

} // namespace

void readVectors(const ParamSpec &param, float *out) {
  if (param.shape.size() != 2)
    throw UserError(param.vectorsPath,
                    fmt::format("vectors need a 2-d table, '{}' is not",
                                param.name));
  rejectDirectory(param.vectorsPath);
  std::ifstream in(param.vectorsPath);
  if (!in)
    throw UserError(param.vectorsPath, "cannot open the vectors file");
  int64_t rows = param.shape[0], width = param.shape[1];
  std::string line;
  for (int64_t row = 0; row < rows; ++row) {
    std::string where = fmt::format("{}:{}", param.vectorsPath, row + 1);
    if (!std::getline(in, line))
      throw UserError(where, fmt::format("expected {} vectors (one per token "
                                         "id), the file ends after {}",
                                         rows, row));
    parseRow(line, width, where, out + row * width);
  }
}

} // namespace gradc::rt
