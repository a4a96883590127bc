// Parser.h - reads the .gir text syntax back into a Graph.
// SPDX-License-Identifier: MIT
//
// The parser accepts exactly what the printer writes (plus comments and free
// spacing) and checks only syntax and name resolution; shape and arity
// checks belong to the verifier. Operands may name values defined later in
// the text, so that the verifier can report the ordering error.

#ifndef GRADC_IR_PARSER_H
#define GRADC_IR_PARSER_H

#include "ir/Graph.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace gradc::ir {

/// Parses one graph. Errors read `file:line:col: error: message`.
llvm::Expected<std::unique_ptr<Graph>> parseGraph(llvm::StringRef text,
                                                  llvm::StringRef fileName);

} // namespace gradc::ir

#endif // GRADC_IR_PARSER_H
