// Verifier.cpp - structural and shape checks of a graph.
// SPDX-License-Identifier: MIT
//
// Rules, in the order they are checked for each node: the name is unique; the
// operand count matches the op table; every operand is a node of this graph
// defined earlier; the result type is what the op's shape rule gives. Outputs
// must name nodes of the graph, each output name once. A node whose operands
// are wrong skips the shape check, which would only repeat the problem.

#include "ir/Verifier.h"
#include "ir/Printer.h"
#include "ir/ShapeRules.h"

#include <map>
#include <set>

namespace gradc::ir {

namespace {
class Verifier {
public:
  explicit Verifier(const Graph &graph) : graph_(graph) {}

  std::vector<std::string> run() {
    size_t index = 0;
    for (const auto &node : graph_.nodes())
      position_[node.get()] = index++;
    for (const auto &node : graph_.nodes())
      checkNode(*node);
    checkOutputs();
    return messages_;
  }

private:
  void report(const Node &node, const std::string &rule) {
    messages_.push_back("%" + node.name + " = " + opName(node.kind) + ": " +
                        rule);
  }

  void checkNode(const Node &node) {
    if (!names_.insert(node.name).second)
      report(node, "the name %" + node.name + " is defined more than once");
    if (!checkOperands(node))
      return;
    auto type = inferType(node);
    if (!type) {
      report(node, llvm::toString(type.takeError()));
      return;
    }
    if (*type != node.type)
      report(node, "result type is " + formatType(node.type) +
                       " but the shape rule gives " + formatType(*type));
  }

  bool checkOperands(const Node &node) {
    int arity = opArity(node.kind);
    size_t count = node.operands.size();
    bool arityOk = arity < 0 ? count > 0 : count == size_t(arity);
    if (!arityOk)
      report(node, "expected " +
                       (arity < 0 ? "at least 1" : std::to_string(arity)) +
                       " operands, got " + std::to_string(count));
    bool ok = arityOk;
    for (size_t i = 0; i < count; ++i)
      ok = checkOperand(node, i) && ok;
    return ok;
  }

  bool checkOperand(const Node &node, size_t i) {
    const Node *operand = node.operands[i];
    auto it = position_.find(operand);
    if (!operand || it == position_.end()) {
      report(node, "operand " + std::to_string(i) + " is not in the graph");
      return false;
    }
    if (it->second >= position_[&node]) {
      report(node, "operand %" + operand->name + " is used before its " +
                       "definition");
      return false;
    }
    return true;
  }

  void checkOutputs() {
    std::set<std::string> seen;
    for (const GraphOutput &out : graph_.outputs()) {
      if (!seen.insert(out.name).second)
        messages_.push_back("output \"" + out.name + "\" is given twice");
      if (!out.value || !position_.count(out.value))
        messages_.push_back("output \"" + out.name +
                            "\" is not a node of the graph");
    }
  }

  const Graph &graph_;
  std::map<const Node *, size_t> position_;
  std::set<std::string> names_;
  std::vector<std::string> messages_;
};
} // namespace

std::vector<std::string> verifyGraphMessages(const Graph &graph) {
  return Verifier(graph).run();
}

llvm::Error verifyGraph(const Graph &graph) {
  std::vector<std::string> messages = verifyGraphMessages(graph);
  if (messages.empty())
    return llvm::Error::success();
  std::string text;
  for (const std::string &message : messages)
    text += (text.empty() ? "error: " : "\nerror: ") + message;
  return llvm::createStringError(llvm::inconvertibleErrorCode(), text);
}

} // namespace gradc::ir
