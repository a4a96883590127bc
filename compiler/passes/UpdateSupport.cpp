// UpdateSupport.cpp - leaf look-up and scalar reductions for update passes.
// SPDX-License-Identifier: MIT
//
// A leaf name already taken by a node of another kind is a bug in whoever
// built the graph, so it is asserted, not reported.

#include "passes/UpdateSupport.h"

#include <cassert>
#include <numeric>

namespace gradc::passes {

using ir::Node;
using ir::OpKind;

std::vector<ParamGrad> paramGradients(const ir::Graph &g) {
  std::vector<ParamGrad> result;
  for (Node *param : g.leaves(OpKind::Param))
    if (Node *grad = g.output("grad." + param->name))
      result.push_back({param, grad});
  return result;
}

namespace {
Node *existingLeaf(const ir::Graph &g, const std::string &name, OpKind kind) {
  Node *node = g.find(name);
  assert((!node || node->kind == kind) && "leaf name taken by another node");
  return node;
}
} // namespace

Node *hyperLeaf(ir::Builder &b, const std::string &name, double value,
                ir::ElemKind elem) {
  if (Node *existing = existingLeaf(b.graph(), name, OpKind::Hyper))
    return existing;
  return b.hyper(name, value, elem);
}

Node *stateLeaf(ir::Builder &b, const Node *param, const std::string &slot) {
  std::string name = param->name + "." + slot;
  if (Node *existing = existingLeaf(b.graph(), name, OpKind::State))
    return existing;
  Node *state = b.state(name, param->type);
  state->layer = param->layer;
  return state;
}

Node *stepLeaf(ir::Builder &b, ir::ElemKind elem) {
  std::vector<Node *> steps = b.graph().leaves(OpKind::StepCounter);
  if (!steps.empty())
    return steps.front();
  ir::Type type{elem, {}};
  return b.create(OpKind::StepCounter, {}, {}, &type, "step");
}

Node *sumAll(ir::Builder &b, Node *x) {
  if (x->type.isScalar())
    return x;
  std::vector<int64_t> axes(x->type.dims.size());
  std::iota(axes.begin(), axes.end(), 0);
  return b.reduceSum(x, axes);
}

Node *normOfScalars(ir::Builder &b, const std::vector<Node *> &xs) {
  std::vector<Node *> pieces;
  for (Node *x : xs)
    pieces.push_back(b.reshape(x, {1}));
  return b.norm2(b.concat(pieces, 0));
}

} // namespace gradc::passes
