// Value.h - untyped statement arguments and their typed readers.
// SPDX-License-Identifier: MIT
//
// The grammar leaves values untyped (a number, name, string, dims like 3x3,
// a list, or a call like leaky_relu(0.1)); `$param` references are replaced
// by the param's value before anything reads them. The readers below give a
// value the type its position needs and report a precise error otherwise.

#ifndef GRADC_FRONTEND_VALUE_H
#define GRADC_FRONTEND_VALUE_H

#include "frontend/AST.h"
#include "frontend/Diagnostics.h"

#include <optional>
#include <string>
#include <vector>

namespace gradc::frontend {

/// Invalid stands for a value whose error is already reported (an unknown
/// $param): readers reject it without a second message.
enum class ValueKind { Number, Name, String, Dims, List, Call, Invalid };

/// One value as written (or as substituted from a param).
struct Value {
  ValueKind kind = ValueKind::Name;
  std::string text;         ///< source spelling; unquoted for strings
  std::vector<Value> items; ///< List elements, Dims parts, Call argument
  ast::SourceLoc loc;
  unsigned length = 1;     ///< characters to underline
  std::string fromParam;   ///< the param this came from, or empty
  ast::SourceLoc paramLoc; ///< where that param is declared
  bool fromDefine = false; ///< the param's value was set by -D

  /// "number 3", "name relu", ... for "found ..." in messages.
  std::string describe() const;
};

/// Classifies the text of a `-D name=text` override as a value.
Value valueFromText(const std::string &text);

/// Typed reading of values; each failure reports an error and gives
/// std::nullopt. `what` names the slot in messages ("learning rate").
class ValueReader {
public:
  explicit ValueReader(DiagnosticEngine &diags) : diags(diags) {}

  std::optional<double> number(const Value &v, const std::string &what);
  /// A whole number >= `min`.
  std::optional<int64_t> integer(const Value &v, const std::string &what,
                                 int64_t min);
  std::optional<std::string> name(const Value &v, const std::string &what);
  /// A string, or a bare name (as -D gives them).
  std::optional<std::string> string(const Value &v, const std::string &what);
  std::optional<bool> boolean(const Value &v, const std::string &what);
  /// `3`, `3x2` or `[3, 2]` as a height and width.
  std::optional<ast::Extent2> extent(const Value &v, const std::string &what);
  /// `[28, 28, 1]`, `28x28x1` or `20` as a per-row shape.
  std::optional<std::vector<int64_t>> shape(const Value &v,
                                            const std::string &what);

  /// Reports the value as an unknown `what`, with a suggestion.
  void unknown(const Value &v, const std::string &what,
               const std::vector<std::string> &known);
  /// Reports `message` at the value, noting the param it came from.
  void error(const Value &v, const std::string &message);

private:
  std::optional<std::vector<int64_t>> positiveList(const Value &v,
                                                   const std::string &what);
  DiagnosticEngine &diags;
};

} // namespace gradc::frontend

#endif // GRADC_FRONTEND_VALUE_H
