// Value.cpp - typed reading of untyped statement arguments.
// SPDX-License-Identifier: MIT
//
// Messages name the slot and what was found: "expected a number for the
// learning rate, found name 'fast'". A value that came from a param says so
// in a note, since the mistake may be in the param or in its -D override.

#include "frontend/Value.h"

#include "llvm/ADT/StringRef.h"

#include <cmath>

using namespace gradc;
using namespace gradc::frontend;

std::string Value::describe() const {
  switch (kind) {
  case ValueKind::Number:
    return "number " + text;
  case ValueKind::Name:
    return "name '" + text + "'";
  case ValueKind::String:
    return "string \"" + text + "\"";
  case ValueKind::Dims:
    return "dimensions " + text;
  case ValueKind::List:
    return "a list";
  case ValueKind::Call:
    return "'" + text + "(...)'";
  case ValueKind::Invalid:
    return "an invalid value";
  }
  return text;
}

Value frontend::valueFromText(const std::string &text) {
  Value v;
  v.text = text;
  v.length = std::max<unsigned>(1, text.size());
  llvm::StringRef ref(text);
  double number;
  if (!ref.empty() && !ref.getAsDouble(number)) {
    v.kind = ValueKind::Number;
    return v;
  }
  if (ref.size() >= 2 && ref.starts_with("\"") && ref.ends_with("\"")) {
    v.kind = ValueKind::String;
    v.text = ref.drop_front().drop_back().str();
    return v;
  }
  v.kind = ValueKind::Name;
  return v;
}

void ValueReader::error(const Value &v, const std::string &message) {
  if (v.kind == ValueKind::Invalid)
    return;
  diags.error(v.loc, message, v.length);
  if (v.fromParam.empty())
    return;
  std::string param = "param '" + v.fromParam + "'";
  if (v.fromDefine)
    diags.note(v.paramLoc,
               param + " is set to '" + v.text + "' by -D" + v.fromParam + "=" +
                   v.text,
               v.fromParam.size());
  else
    diags.note(v.paramLoc, param + " is declared here", v.fromParam.size());
}

void ValueReader::unknown(const Value &v, const std::string &what,
                          const std::vector<std::string> &known) {
  error(v, "unknown " + what + " '" + v.text + "'" + didYouMean(v.text, known));
}

std::optional<double> ValueReader::number(const Value &v,
                                          const std::string &what) {
  double result;
  bool parsed = v.kind == ValueKind::Number &&
                !llvm::StringRef(v.text).getAsDouble(result);
  if (parsed && std::isfinite(result))
    return result;
  if (parsed)
    error(v, "expected a number for " + what + ", found '" + v.text +
                 "', which is not a finite number");
  else
    error(v, "expected a number for " + what + ", found " + v.describe());
  return std::nullopt;
}

std::optional<int64_t>
ValueReader::integer(const Value &v, const std::string &what, int64_t min) {
  int64_t result;
  if (v.kind != ValueKind::Number ||
      llvm::StringRef(v.text).getAsInteger(10, result)) {
    error(v, "expected a whole number for " + what + ", found " + v.describe());
    return std::nullopt;
  }
  if (result < min) {
    error(v, what + " must be at least " + std::to_string(min) + ", found " +
                 v.text);
    return std::nullopt;
  }
  return result;
}

std::optional<std::string> ValueReader::name(const Value &v,
                                             const std::string &what) {
  if (v.kind == ValueKind::Name)
    return v.text;
  error(v, "expected a name for " + what + ", found " + v.describe());
  return std::nullopt;
}

std::optional<std::string> ValueReader::string(const Value &v,
                                               const std::string &what) {
  if (v.kind == ValueKind::String || v.kind == ValueKind::Name)
    return v.text;
  error(v, "expected a string for " + what + ", found " + v.describe());
  return std::nullopt;
}

std::optional<bool> ValueReader::boolean(const Value &v,
                                         const std::string &what) {
  if (v.kind == ValueKind::Name && (v.text == "true" || v.text == "false"))
    return v.text == "true";
  error(v, "expected true or false for " + what + ", found " + v.describe());
  return std::nullopt;
}

std::optional<std::vector<int64_t>>
ValueReader::positiveList(const Value &v, const std::string &what) {
  if (v.kind == ValueKind::Number) {
    std::optional<int64_t> n = integer(v, what, 1);
    if (!n)
      return std::nullopt;
    return std::vector<int64_t>{*n};
  }
  if (v.kind != ValueKind::List && v.kind != ValueKind::Dims) {
    error(v, "expected dimensions for " + what + ", found " + v.describe());
    return std::nullopt;
  }
  std::vector<int64_t> dims;
  for (const Value &item : v.items) {
    std::optional<int64_t> n = integer(item, what, 1);
    if (!n)
      return std::nullopt;
    dims.push_back(*n);
  }
  return dims;
}

std::optional<ast::Extent2> ValueReader::extent(const Value &v,
                                                const std::string &what) {
  std::optional<std::vector<int64_t>> dims = positiveList(v, what);
  if (!dims)
    return std::nullopt;
  if (dims->size() == 1)
    return ast::Extent2{(*dims)[0], (*dims)[0]};
  if (dims->size() == 2)
    return ast::Extent2{(*dims)[0], (*dims)[1]};
  error(v, "expected one or two dimensions for " + what + ", found " +
               std::to_string(dims->size()));
  return std::nullopt;
}

std::optional<std::vector<int64_t>>
ValueReader::shape(const Value &v, const std::string &what) {
  return positiveList(v, what);
}
