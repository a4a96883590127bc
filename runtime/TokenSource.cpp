// TokenSource.cpp - read token-id sequences, one labelled example per line.
// SPDX-License-Identifier: MIT
//
// Format: "label<TAB>tok tok tok", the label a number (class index or 0/1),
// the tokens non-negative integer ids separated by spaces; blank lines are
// ignored. Sequences are fitted to the model's length as Keras
// pad_sequences does by default: short ones get leading zeros, long ones
// keep their last `length` tokens. Id 0 is therefore the padding id.
#include "Dataset.h"

#include "Error.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace gradc::rt {
namespace {

bool parseTokenId(const std::string &word, float &id) {
  char *end = nullptr;
  long long value = std::strtoll(word.c_str(), &end, 10);
  if (word.empty() || *end != '\0' || value < 0 || value > (1LL << 24))
    return false;
  id = float(value);
  return true;
}

std::vector<float> parseTokens(const std::string &text,
                               const std::string &where) {
  std::vector<float> ids;
  std::istringstream words(text);
  std::string word;
  while (words >> word) {
    float id = 0;
    if (!parseTokenId(word, id))
      throw UserError(where, fmt::format("token '{}' is not a non-negative "
                                         "integer id below 2^24",
                                         word));
    ids.push_back(id);
  }
  return ids;
}

void appendFitted(std::vector<float> &x, const std::vector<float> &ids,
                  int64_t length) {
  int64_t count = int64_t(ids.size());
  for (int64_t i = count; i < length; ++i)
    x.push_back(0.0f);
  int64_t first = count > length ? count - length : 0;
  x.insert(x.end(), ids.begin() + first, ids.end());
}

float parseLabel(const std::string &text, const std::string &where) {
  char *end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0')
    throw UserError(where, fmt::format("label '{}' is not a number", text));
  if (!std::isfinite(float(value)))
    throw UserError(where,
                    fmt::format("label '{}' is not a finite 32-bit number",
                                text));
  return float(value);
}

} // namespace

RawRows readTokens(const std::string &path, int64_t length) {
  rejectDirectory(path);
  std::ifstream in(path);
  if (!in)
    throw UserError(path, "cannot open the file");
  RawRows rows;
  rows.path = path;
  rows.width = length;
  std::string line;
  for (int64_t lineNo = 1; std::getline(in, line); ++lineNo) {
    if (line.find_first_not_of(" \t\r") == std::string::npos)
      continue;
    std::string where = fmt::format("{}:{}", path, lineNo);
    size_t tab = line.find('\t');
    if (tab == std::string::npos)
      throw UserError(where, "expected 'label<TAB>tokens'");
    rows.target.push_back(parseLabel(line.substr(0, tab), where));
    appendFitted(rows.x, parseTokens(line.substr(tab + 1), where), length);
    rows.line.push_back(lineNo);
  }
  if (rows.rows() == 0)
    throw UserError(path, "no examples in the file");
  return rows;
}

} // namespace gradc::rt
