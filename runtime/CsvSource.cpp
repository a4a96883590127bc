// CsvSource.cpp - read a numeric CSV file with a header line.
// SPDX-License-Identifier: MIT
//
// The format is deliberately plain: comma-separated, no quoting, every data
// cell a decimal number (not hexadecimal, which strtod would also read),
// blank lines ignored, column names unique. Every row must have as many
// cells as the header; errors name the file and line.
#include "Dataset.h"

#include "Error.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <unordered_map>

namespace gradc::rt {
namespace {

std::string trim(const std::string &text) {
  size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos)
    return "";
  size_t end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

std::vector<std::string> splitCells(const std::string &line) {
  std::vector<std::string> cells;
  size_t start = 0;
  for (;;) {
    size_t comma = line.find(',', start);
    cells.push_back(trim(line.substr(start, comma - start)));
    if (comma == std::string::npos)
      return cells;
    start = comma + 1;
  }
}

/// Is `cell` a C hexadecimal number ("0x1A", "-0X1p3")? strtod reads them,
/// but numpy, pandas and Keras loaders do not: a CSV holds decimals.
bool isHexadecimal(const std::string &cell) {
  size_t digits = cell.find_first_not_of("+-");
  return digits != std::string::npos && cell.size() > digits + 1 &&
         cell[digits] == '0' && (cell[digits + 1] | 0x20) == 'x';
}

bool parseNumber(const std::string &cell, float &value) {
  if (cell.empty())
    return false;
  char *end = nullptr;
  errno = 0;
  double parsed = std::strtod(cell.c_str(), &end);
  if (*end != '\0' || errno == ERANGE)
    return false;
  value = float(parsed);
  return true;
}

/// Rejects a name used by two columns: which one is the target, or which
/// feature goes where, would depend on the order of the search.
void checkUniqueNames(const std::vector<std::string> &header,
                      const std::string &where) {
  std::unordered_map<std::string, size_t> firstColumn;
  for (size_t i = 0; i < header.size(); ++i) {
    auto [first, isNew] = firstColumn.emplace(header[i], i);
    if (!isNew)
      throw UserError(where, fmt::format("column name '{}' is used twice, "
                                         "by columns {} and {}",
                                         header[i], first->second + 1, i + 1));
  }
}

size_t targetColumn(const std::vector<std::string> &header,
                    const std::string &target, const std::string &where) {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == target)
      return i;
  throw UserError(where,
                  fmt::format("no column named '{}' in the header", target));
}

/// The columns of `header` that hold features, in the order the model reads
/// them: file order, or the order of `reference`'s names when given.
std::vector<size_t> featureColumns(const std::vector<std::string> &header,
                                   size_t targetIndex,
                                   const CsvColumns *reference,
                                   const std::string &where) {
  std::vector<size_t> columns;
  if (!reference) {
    for (size_t i = 0; i < header.size(); ++i)
      if (i != targetIndex)
        columns.push_back(i);
    return columns;
  }
  for (const std::string &name : reference->features) {
    size_t i = std::find(header.begin(), header.end(), name) - header.begin();
    if (i == header.size() || i == targetIndex)
      throw UserError(where, fmt::format("no column named '{}', a feature "
                                         "of the training file {}",
                                         name, reference->path));
    columns.push_back(i);
  }
  for (size_t i = 0; i < header.size(); ++i)
    if (i != targetIndex &&
        std::find(columns.begin(), columns.end(), i) == columns.end())
      throw UserError(where, fmt::format("column '{}' is not a feature of "
                                         "the training file {} (its "
                                         "features: {})",
                                         header[i], reference->path,
                                         fmt::join(reference->features,
                                                   ", ")));
  return columns;
}

std::vector<std::string> readHeader(std::ifstream &in,
                                    const std::string &path) {
  std::string line;
  if (!std::getline(in, line) || trim(line).empty())
    throw UserError(path + ":1", "expected a header line");
  std::vector<std::string> header = splitCells(line);
  checkUniqueNames(header, path + ":1");
  return header;
}

std::ifstream openCsv(const std::string &path) {
  rejectDirectory(path);
  std::ifstream in(path);
  if (!in)
    throw UserError(path, "cannot open the file");
  return in;
}

void addRow(RawRows &rows, const std::vector<std::string> &cells,
            const std::vector<std::string> &header, size_t targetIndex,
            const std::vector<size_t> &features, const std::string &where) {
  if (cells.size() != header.size())
    throw UserError(where, fmt::format("row has {} cells, the header has {}",
                                       cells.size(), header.size()));
  std::vector<float> values;
  for (size_t i = 0; i < cells.size(); ++i) {
    float value = 0;
    if (!parseNumber(cells[i], value))
      throw UserError(where, fmt::format("cell '{}' in column '{}' is not a "
                                         "number",
                                         cells[i], header[i]));
    if (isHexadecimal(cells[i]))
      throw UserError(where, fmt::format("cell '{}' in column '{}' is "
                                         "hexadecimal, expected a decimal "
                                         "number",
                                         cells[i], header[i]));
    // NaN, infinity and numbers beyond the float range would only show up
    // later as a diverged run.
    if (!std::isfinite(value))
      throw UserError(where, fmt::format("cell '{}' in column '{}' is not a "
                                         "finite 32-bit number",
                                         cells[i], header[i]));
    values.push_back(value);
  }
  rows.target.push_back(values[targetIndex]);
  for (size_t column : features)
    rows.x.push_back(values[column]);
}

} // namespace

CsvColumns readCsvColumns(const std::string &path,
                          const std::string &target) {
  std::ifstream in = openCsv(path);
  std::vector<std::string> header = readHeader(in, path);
  size_t targetIndex = targetColumn(header, target, path + ":1");
  CsvColumns columns{path, {}};
  for (size_t i = 0; i < header.size(); ++i)
    if (i != targetIndex)
      columns.features.push_back(header[i]);
  return columns;
}

RawRows readCsv(const std::string &path, const std::string &target,
                const CsvColumns *reference) {
  std::ifstream in = openCsv(path);
  std::string line;
  int64_t lineNo = 1;
  std::vector<std::string> header = readHeader(in, path);
  size_t targetIndex = targetColumn(header, target, path + ":1");
  std::vector<size_t> features =
      featureColumns(header, targetIndex, reference, path + ":1");

  RawRows rows;
  rows.path = path;
  rows.width = int64_t(features.size());
  while (std::getline(in, line)) {
    ++lineNo;
    if (trim(line).empty())
      continue;
    std::string where = fmt::format("{}:{}", path, lineNo);
    addRow(rows, splitCells(line), header, targetIndex, features, where);
    rows.line.push_back(lineNo);
  }
  if (rows.rows() == 0)
    throw UserError(path, "no data rows after the header");
  return rows;
}

} // namespace gradc::rt
