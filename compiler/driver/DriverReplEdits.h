// DriverReplEdits.h - one-line changes to a gradi session's program text.
// SPDX-License-Identifier: MIT
//
// Outside a block, a train statement (`clip norm 0.5`, `optimizer adam
// lr=0.001`, `epochs 20`, ...) replaces the statement of the same kind in
// the current train block, or is added to it; `layer dense_1
// activation=tanh` rewrites the options of one layer line of the trained
// model. Only the text changes here: the front end then checks the whole
// program again, so a bad value gets the usual diagnostic.

#ifndef GRADC_DRIVER_DRIVERREPLEDITS_H
#define GRADC_DRIVER_DRIVERREPLEDITS_H

#include "driver/DriverReplSource.h"
#include "frontend/AST.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace gradc::driver {

/// True when `line` starts with a train statement keyword or `layer`.
bool isEditStatement(const std::string &line);

/// Applies the edit `line` to `source`, whose current text checks as
/// `checked`. Fails with a message (without location) when there is no
/// train block, model or layer to change.
llvm::Error applyEdit(ReplSource &source, const ast::Program &checked,
                      const SourceLine &line);

/// Splits a statement at blanks outside strings, brackets and parentheses;
/// a trailing comment is dropped.
std::vector<std::string> splitWords(const std::string &text);

/// The statement keywords of a train block.
const std::vector<std::string> &trainStatementWords();

} // namespace gradc::driver

#endif // GRADC_DRIVER_DRIVERREPLEDITS_H
