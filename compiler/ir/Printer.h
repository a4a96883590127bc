// Printer.h - the textual form of the graph IR (.gir).
// SPDX-License-Identifier: MIT
//
// The printer writes the syntax the parser reads, so print(parse(text)) is
// the identity on printed text. docs/ir.md describes the syntax.

#ifndef GRADC_IR_PRINTER_H
#define GRADC_IR_PRINTER_H

#include "ir/Graph.h"

#include "llvm/Support/raw_ostream.h"

#include <string>

namespace gradc::ir {

/// Prints a whole graph: `graph @name { ... }` and a final newline.
void printGraph(const Graph &graph, llvm::raw_ostream &os);
/// Prints one node without indentation or newline: `%3 = add %1, %2 : f32[4]`.
void printNode(const Node &node, llvm::raw_ostream &os);
/// `f32[B,20]`, `f64[]`.
std::string formatType(const Type &type);
/// `[B,20]`: the dimensions alone, as used in shape messages.
std::string formatDims(const std::vector<int64_t> &dims);
/// An attribute value as it appears in the text: 3, 0.5, "same", [1, 2].
std::string formatAttr(const Attr &attr);
/// The shortest decimal text that reads back as exactly `value`; always has
/// a '.', an exponent or is inf/nan, so it never reads back as an integer.
std::string formatReal(double value);

} // namespace gradc::ir

#endif // GRADC_IR_PRINTER_H
