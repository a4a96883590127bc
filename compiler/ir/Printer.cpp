// Printer.cpp - writes graphs in the .gir text syntax.
// SPDX-License-Identifier: MIT
//
// One node per line, operands by name, attributes sorted by key with the
// node's layer printed as the attribute `layer`, the result type last. Reals
// print in their shortest exact form so a round trip loses no bit.

#include "ir/Printer.h"

#include <charconv>
#include <cmath>

namespace gradc::ir {

std::string formatReal(double value) {
  if (std::isnan(value))
    return "nan";
  if (std::isinf(value))
    return value < 0 ? "-inf" : "inf";
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  std::string text(buffer, result.ptr);
  if (text.find_first_of(".e") == std::string::npos)
    text += ".0";
  return text;
}

std::string formatDims(const std::vector<int64_t> &dims) {
  std::string text = "[";
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i)
      text += ",";
    text += dims[i] == kBatchDim ? "B" : std::to_string(dims[i]);
  }
  return text + "]";
}

std::string formatType(const Type &type) {
  return (type.elem == ElemKind::F32 ? "f32" : "f64") + formatDims(type.dims);
}

namespace {
std::string quote(const std::string &text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

struct AttrFormatter {
  std::string operator()(int64_t value) const { return std::to_string(value); }
  std::string operator()(double value) const { return formatReal(value); }
  std::string operator()(const std::string &value) const {
    return quote(value);
  }
  std::string operator()(const std::vector<int64_t> &values) const {
    std::string text = "[";
    for (size_t i = 0; i < values.size(); ++i)
      text += (i ? ", " : "") + std::to_string(values[i]);
    return text + "]";
  }
};

void printAttrs(const Node &node, llvm::raw_ostream &os) {
  AttrMap shown = node.attrs;
  if (!node.layer.empty())
    shown["layer"] = node.layer;
  if (shown.empty())
    return;
  os << " {";
  bool first = true;
  for (const auto &[key, value] : shown) {
    os << (first ? "" : ", ") << key << " = " << formatAttr(value);
    first = false;
  }
  os << "}";
}
} // namespace

std::string formatAttr(const Attr &attr) {
  return std::visit(AttrFormatter(), attr);
}

void printNode(const Node &node, llvm::raw_ostream &os) {
  os << "%" << node.name << " = " << opName(node.kind);
  for (size_t i = 0; i < node.operands.size(); ++i)
    os << (i ? ", %" : " %") << node.operands[i]->name;
  printAttrs(node, os);
  os << " : " << formatType(node.type);
}

void printGraph(const Graph &graph, llvm::raw_ostream &os) {
  os << "graph @" << graph.name() << " {\n";
  for (const auto &node : graph.nodes()) {
    os << "  ";
    printNode(*node, os);
    os << "\n";
  }
  for (const GraphOutput &out : graph.outputs())
    os << "  output " << quote(out.name) << " = %" << out.value->name << "\n";
  os << "}\n";
}

} // namespace gradc::ir
