// UpdateEmitter.cpp - node construction for the clip and optimizer passes.
// SPDX-License-Identifier: MIT
//
// Result types follow from the operands without the general shape rules:
// the formulas only mix a tensor with scalars or with tensors of the same
// type, so the operand of highest rank is the result type.

#include "passes/UpdateEmitter.h"

#include <cassert>
#include <numeric>

namespace gradc::passes {

using ir::Node;
using ir::OpKind;

namespace {
ir::Type widestType(const std::vector<Node *> &operands) {
  ir::Type result = operands.front()->type;
  for (const Node *operand : operands)
    if (operand->type.dims.size() > result.dims.size())
      result = operand->type;
  return result;
}
} // namespace

std::vector<ParamGrad> paramGradients(const ir::Graph &g) {
  std::vector<ParamGrad> result;
  for (Node *param : g.leaves(OpKind::Param))
    if (Node *grad = g.output("grad." + param->name))
      result.push_back({param, grad});
  return result;
}

Node *stateLeaf(ir::Graph &g, const Node *param, const std::string &slot) {
  std::string name = param->name + "." + slot;
  if (Node *existing = g.find(name)) {
    assert(existing->kind == OpKind::State && "name taken by a non-state");
    return existing;
  }
  return g.create(OpKind::State, {}, param->type, {}, name, param->layer);
}

Node *UpdateEmitter::leaf(OpKind kind, const std::string &name, double value) {
  if (Node *existing = graph_.find(name)) {
    assert(existing->kind == kind && "name taken by a different node");
    return existing;
  }
  return graph_.create(kind, {}, scalarType(), {{"value", value}}, name);
}

Node *UpdateEmitter::hyper(const std::string &name, double value) {
  return leaf(OpKind::Hyper, name, value);
}

Node *UpdateEmitter::step() {
  std::vector<Node *> steps = graph_.leaves(OpKind::StepCounter);
  if (!steps.empty())
    return steps.front();
  return graph_.create(OpKind::StepCounter, {}, scalarType(), {}, "step");
}

Node *UpdateEmitter::constant(double value) {
  return graph_.create(OpKind::Constant, {}, scalarType(), {{"value", value}},
                       "", layer_);
}

Node *UpdateEmitter::unary(OpKind kind, Node *x) {
  return graph_.create(kind, {x}, x->type, {}, "", layer_);
}

Node *UpdateEmitter::binary(OpKind kind, Node *a, Node *b) {
  return graph_.create(kind, {a, b}, widestType({a, b}), {}, "", layer_);
}

Node *UpdateEmitter::select(Node *cond, Node *a, Node *b) {
  return graph_.create(OpKind::Select, {cond, a, b}, widestType({cond, a, b}),
                       {}, "", layer_);
}

Node *UpdateEmitter::norm(Node *x) {
  return graph_.create(OpKind::Norm2, {x}, ir::Type{x->type.elem, {}}, {}, "",
                       layer_);
}

Node *UpdateEmitter::sumAll(Node *x) {
  if (x->type.isScalar())
    return x;
  std::vector<int64_t> axes(x->type.dims.size());
  std::iota(axes.begin(), axes.end(), 0);
  ir::AttrMap attrs{{"axes", axes}, {"keepdims", int64_t(0)}};
  return graph_.create(OpKind::ReduceSum, {x}, ir::Type{x->type.elem, {}},
                       std::move(attrs), "", layer_);
}

// Squaring the norms in the element type could overflow (1e21^2 in f32), so
// the scalars become one vector and norm2 accumulates their squares in f64.
Node *UpdateEmitter::normOfScalars(const std::vector<Node *> &scalars) {
  std::vector<Node *> pieces;
  for (Node *scalar : scalars)
    pieces.push_back(graph_.create(OpKind::Reshape, {scalar},
                                   ir::Type{elem_, {1}}, {}, "", layer_));
  int64_t count = static_cast<int64_t>(pieces.size());
  Node *vector = graph_.create(OpKind::Concat, pieces, ir::Type{elem_, {count}},
                               {{"axis", int64_t(0)}}, "", layer_);
  return norm(vector);
}

} // namespace gradc::passes
