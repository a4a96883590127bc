// Simplify.cpp - the fixed-point driver of the simplify pass, and CSE.
// SPDX-License-Identifier: MIT
//
// Each round rewrites nodes one at a time (SimplifyRewrites.cpp), merges
// nodes that compute the same thing, and drops what no output needs. Every
// step keeps the node list topologically sorted: a node is only ever
// replaced by a node that comes before it, or edited in place.

#include "passes/Simplify.h"
#include "passes/SimplifyRewrites.h"

#include "ir/Printer.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace gradc::passes {
using ir::Node;
using ir::OpKind;

namespace {
// Rounds needed grow with chains of identities; this many is ample.
constexpr int kMaxRounds = 16;

using NodeKey = std::tuple<OpKind, std::vector<Node *>, std::string,
                           ir::ElemKind, std::vector<int64_t>>;

// Attributes compared as printed text: a NaN value is then equal to itself
// and ordered, which raw doubles in a std::map key are not.
std::string attrText(const ir::AttrMap &attrs) {
  std::string text;
  for (const auto &[key, value] : attrs)
    text += key + "=" + ir::formatAttr(value) + ";";
  return text;
}

NodeKey keyOf(const Node &node) {
  std::vector<Node *> operands = node.operands;
  bool commutative = node.kind == OpKind::Add || node.kind == OpKind::Mul;
  if (commutative)
    std::sort(operands.begin(), operands.end());
  return {node.kind, operands, attrText(node.attrs), node.type.elem,
          node.type.dims};
}

bool rewriteNodes(ir::Graph &graph) {
  bool changed = false;
  for (const auto &node : graph.nodes()) {
    if (foldConstant(*node)) {
      changed = true;
      continue;
    }
    Node *replacement = applyIdentity(*node);
    if (!replacement)
      continue;
    changed = true;
    if (replacement != node.get())
      graph.replaceAllUses(node.get(), replacement);
  }
  return changed;
}

// Leaves other than constants are distinct values even when they look
// alike (two params of one shape), so only constants and ops are merged.
bool mergeCommonNodes(ir::Graph &graph) {
  std::map<NodeKey, Node *> first;
  bool changed = false;
  for (const auto &node : graph.nodes()) {
    if (ir::isLeaf(node->kind) && node->kind != OpKind::Constant)
      continue;
    auto [it, inserted] = first.emplace(keyOf(*node), node.get());
    if (inserted)
      continue;
    graph.replaceAllUses(node.get(), it->second);
    changed = true;
  }
  return changed;
}
} // namespace

void runSimplify(ir::Graph &graph) {
  for (int round = 0; round < kMaxRounds; ++round) {
    bool changed = rewriteNodes(graph);
    changed |= mergeCommonNodes(graph);
    changed |= graph.removeDeadNodes() > 0;
    changed |= graph.removeUnusedConstants() > 0;
    if (!changed)
      return;
  }
}

} // namespace gradc::passes
