// Graph.cpp - op table queries, node attributes and graph editing.
// SPDX-License-Identifier: MIT
//
// The op-table functions are generated from Ops.def. Graph editing keeps the
// invariants passes rely on: names are unique (fresh names are numbers that
// no node uses yet), leaves are never removed, and sortTopologically keeps
// the existing order wherever it is already valid.

#include "ir/Graph.h"
#include "ir/Printer.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cassert>
#include <functional>
#include <set>
#include <unordered_set>

namespace gradc::ir {

namespace {
struct OpInfo {
  const char *name;
  int arity;
  OpCategoryKind category;
};

const OpInfo kOpTable[] = {
#define GIR_OP(Kind, Name, Arity, Category)                                    \
  {Name, Arity, OpCategoryKind::Category},
#include "ir/Ops.def"
};
} // namespace

const char *opName(OpKind kind) {
  return kOpTable[static_cast<size_t>(kind)].name;
}

bool opKindFromName(const std::string &name, OpKind &kind) {
  for (size_t i = 0; i < std::size(kOpTable); ++i) {
    if (name != kOpTable[i].name)
      continue;
    kind = static_cast<OpKind>(i);
    return true;
  }
  return false;
}

int opArity(OpKind kind) { return kOpTable[static_cast<size_t>(kind)].arity; }

OpCategoryKind opCategory(OpKind kind) {
  return kOpTable[static_cast<size_t>(kind)].category;
}

bool isLeaf(OpKind kind) { return opCategory(kind) == OpCategoryKind::Leaf; }

bool isElementwise(OpKind kind) {
  OpCategoryKind category = opCategory(kind);
  return category == OpCategoryKind::ElementwiseUnary ||
         category == OpCategoryKind::ElementwiseBinary;
}

int64_t Type::numElements(int64_t batch) const {
  int64_t count = 1;
  for (int64_t d : dims)
    count *= d == kBatchDim ? batch : d;
  return count;
}

int64_t Node::intAttr(const std::string &key, int64_t fallback) const {
  auto it = attrs.find(key);
  if (it == attrs.end())
    return fallback;
  if (auto *i = std::get_if<int64_t>(&it->second))
    return *i;
  if (auto *d = std::get_if<double>(&it->second))
    return static_cast<int64_t>(*d);
  return fallback;
}

double Node::realAttr(const std::string &key, double fallback) const {
  auto it = attrs.find(key);
  if (it == attrs.end())
    return fallback;
  if (auto *d = std::get_if<double>(&it->second))
    return *d;
  if (auto *i = std::get_if<int64_t>(&it->second))
    return static_cast<double>(*i);
  return fallback;
}

std::string Node::strAttr(const std::string &key, std::string fallback) const {
  auto it = attrs.find(key);
  if (it == attrs.end())
    return fallback;
  if (auto *s = std::get_if<std::string>(&it->second))
    return *s;
  return fallback;
}

std::vector<int64_t> Node::listAttr(const std::string &key) const {
  auto it = attrs.find(key);
  if (it == attrs.end())
    return {};
  if (auto *l = std::get_if<std::vector<int64_t>>(&it->second))
    return *l;
  if (auto *i = std::get_if<int64_t>(&it->second))
    return {*i};
  return {};
}

void Node::dump() const {
  printNode(*this, llvm::errs());
  llvm::errs() << "\n";
}

Node *Graph::create(OpKind kind, std::vector<Node *> operands, Type type,
                    AttrMap attrs, std::string name, std::string layer) {
  // Fresh names are numbers; skip any a parsed or renamed node already uses.
  while (name.empty()) {
    std::string candidate = std::to_string(nextId_++);
    if (!find(candidate))
      name = candidate;
  }
  assert(!find(name) && "node names must be unique within a graph");
  auto node = std::make_unique<Node>();
  node->kind = kind;
  node->operands = std::move(operands);
  node->type = std::move(type);
  node->attrs = std::move(attrs);
  node->name = std::move(name);
  node->layer = std::move(layer);
  nodes_.push_back(std::move(node));
  return nodes_.back().get();
}

Node *Graph::find(const std::string &name) const {
  for (const auto &node : nodes_)
    if (node->name == name)
      return node.get();
  return nullptr;
}

Node *Graph::output(const std::string &name) const {
  for (const GraphOutput &out : outputs_)
    if (out.name == name)
      return out.value;
  return nullptr;
}

void Graph::setOutput(const std::string &name, Node *value) {
  for (GraphOutput &out : outputs_) {
    if (out.name != name)
      continue;
    out.value = value;
    return;
  }
  outputs_.push_back({name, value});
}

std::vector<Node *> Graph::leaves(OpKind kind) const {
  std::vector<Node *> result;
  for (const auto &node : nodes_)
    if (node->kind == kind)
      result.push_back(node.get());
  return result;
}

// `to` itself keeps its operands, so `y = f(x); replaceAllUses(x, y)` inserts
// y between x and x's former users instead of building a cycle.
void Graph::replaceAllUses(Node *from, Node *to) {
  for (const auto &node : nodes_) {
    if (node.get() == to)
      continue;
    for (Node *&operand : node->operands)
      if (operand == from)
        operand = to;
  }
  for (GraphOutput &out : outputs_)
    if (out.value == from)
      out.value = to;
}

unsigned Graph::removeDeadNodes() {
  std::unordered_set<const Node *> live;
  std::vector<const Node *> work;
  for (const GraphOutput &out : outputs_)
    work.push_back(out.value);
  while (!work.empty()) {
    const Node *node = work.back();
    work.pop_back();
    if (!live.insert(node).second)
      continue;
    work.insert(work.end(), node->operands.begin(), node->operands.end());
  }

  size_t before = nodes_.size();
  llvm::erase_if(nodes_, [&](const std::unique_ptr<Node> &node) {
    return !isLeaf(node->kind) && !live.count(node.get());
  });
  return static_cast<unsigned>(before - nodes_.size());
}

unsigned Graph::removeUnusedConstants() {
  std::unordered_set<const Node *> used;
  for (const auto &node : nodes_)
    used.insert(node->operands.begin(), node->operands.end());
  for (const GraphOutput &out : outputs_)
    used.insert(out.value);
  size_t before = nodes_.size();
  llvm::erase_if(nodes_, [&](const std::unique_ptr<Node> &node) {
    return node->kind == OpKind::Constant && !used.count(node.get());
  });
  return static_cast<unsigned>(before - nodes_.size());
}

// Depth-first post-order in the current node order: a graph that is already
// sorted comes out unchanged.
void Graph::sortTopologically() {
  std::vector<std::unique_ptr<Node>> sorted;
  std::map<Node *, std::unique_ptr<Node> *> slot;
  for (auto &node : nodes_)
    slot[node.get()] = &node;

  std::set<Node *> onPath;
  std::function<void(Node *)> visit = [&](Node *node) {
    auto it = slot.find(node);
    if (it == slot.end() || !*it->second)
      return;
    assert(!onPath.count(node) && "graph has a cycle");
    onPath.insert(node);
    for (Node *operand : node->operands)
      visit(operand);
    onPath.erase(node);
    sorted.push_back(std::move(*it->second));
  };
  for (auto &node : nodes_)
    if (node)
      visit(node.get());
  nodes_ = std::move(sorted);
}

void Graph::dump() const { printGraph(*this, llvm::errs()); }

} // namespace gradc::ir
