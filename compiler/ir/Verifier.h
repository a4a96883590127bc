// Verifier.h - checks that a graph obeys every rule of the IR.
// SPDX-License-Identifier: MIT
//
// The verifier is the boundary between text (or a buggy pass) and the rest of
// the compiler: after it succeeds, passes, the interpreter and codegen may
// assert instead of checking. It collects every broken rule rather than
// stopping at the first.

#ifndef GRADC_IR_VERIFIER_H
#define GRADC_IR_VERIFIER_H

#include "ir/Graph.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace gradc::ir {

/// Every broken rule, one message each, in graph order. A message names the
/// op and the rule: "%3 = add: operand shapes [3] and [4] do not broadcast".
std::vector<std::string> verifyGraphMessages(const Graph &graph);

/// Success, or one error whose text is every message, one per line, each
/// prefixed with "error: ".
llvm::Error verifyGraph(const Graph &graph);

} // namespace gradc::ir

#endif // GRADC_IR_VERIFIER_H
