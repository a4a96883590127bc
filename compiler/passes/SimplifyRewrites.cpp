// SimplifyRewrites.cpp - constant folding and algebraic identities.
// SPDX-License-Identifier: MIT
//
// Folding evaluates the node with the reference interpreter's kernel, so a
// folded constant is exactly what the interpreter would compute, NaN rules
// and f32 rounding included. Identities only replace a node by a value of
// the same type that is equal for every input, inf and NaN included.

#include "passes/SimplifyRewrites.h"

#include "interp/Kernels.h"
#include "ir/ShapeRules.h"

#include <algorithm>
#include <cmath>

namespace gradc::passes {
using ir::Node;
using ir::OpKind;

namespace {
// Folding materializes splat tensors; larger ones are left alone.
constexpr int64_t kMaxFoldElements = int64_t(1) << 20;

bool isConstant(const Node *node) { return node->kind == OpKind::Constant; }

bool isConstant(const Node *node, double value) {
  return isConstant(node) && node->realAttr("value", NAN) == value;
}

bool foldable(const Node &node) {
  if (ir::isLeaf(node.kind) || node.operands.empty() || node.type.hasBatchDim())
    return false;
  for (const Node *operand : node.operands)
    if (!isConstant(operand) || operand->type.hasBatchDim() ||
        operand->type.numElements() > kMaxFoldElements)
      return false;
  return node.type.numElements() <= kMaxFoldElements;
}

bool isSplat(const interp::Tensor &t) {
  for (double v : t.data)
    if (v != t.data[0] && !(std::isnan(v) && std::isnan(t.data[0])))
      return false;
  return !t.data.empty();
}

// `x` can stand for `node` only when nothing was broadcast.
Node *ifSameType(const Node &node, Node *x) {
  return x->type == node.type ? x : nullptr;
}

Node *arithmeticIdentity(Node &node) {
  Node *a = node.operands[0], *b = node.operands[1];
  switch (node.kind) {
  case OpKind::Add:
    if (isConstant(a, 0))
      return ifSameType(node, b);
    return isConstant(b, 0) ? ifSameType(node, a) : nullptr;
  case OpKind::Mul:
    if (isConstant(a, 1))
      return ifSameType(node, b);
    return isConstant(b, 1) ? ifSameType(node, a) : nullptr;
  case OpKind::Sub:
    return isConstant(b, 0) ? ifSameType(node, a) : nullptr;
  case OpKind::Div:
    return isConstant(b, 1) ? ifSameType(node, a) : nullptr;
  default:
    return nullptr;
  }
}

Node *selectIdentity(Node &node) {
  Node *cond = node.operands[0];
  if (!isConstant(cond))
    return nullptr;
  Node *taken =
      cond->realAttr("value") != 0 ? node.operands[1] : node.operands[2];
  return ifSameType(node, taken);
}

// reshape(reshape(x)) reads x directly; the same holds for broadcast_to.
Node *collapseChain(Node &node) {
  Node *inner = node.operands[0];
  if (Node *same = ifSameType(node, inner))
    return same;
  if (inner->kind != node.kind)
    return nullptr;
  node.operands[0] = inner->operands[0];
  return &node;
}

// Dimensions without their leading 1s: reshapes between two such shapes
// keep numpy broadcasting (which aligns trailing dimensions) unchanged.
std::vector<int64_t> withoutLeadingOnes(const std::vector<int64_t> &dims) {
  auto first =
      std::find_if(dims.begin(), dims.end(), [](int64_t d) { return d != 1; });
  return {first, dims.end()};
}

// broadcast_to(reshape(x)) broadcasts x itself when the reshape only added
// or removed leading 1s.
Node *broadcastIdentity(Node &node) {
  if (Node *same = collapseChain(node))
    return same;
  Node *inner = node.operands[0];
  if (inner->kind != OpKind::Reshape)
    return nullptr;
  Node *source = inner->operands[0];
  if (withoutLeadingOnes(source->type.dims) !=
      withoutLeadingOnes(inner->type.dims))
    return nullptr;
  node.operands[0] = source;
  return &node;
}

// The broadcast shape of the operands is still the node's shape.
bool keepsResultShape(const Node &node) {
  std::vector<int64_t> dims, next;
  for (const Node *operand : node.operands) {
    if (!ir::broadcastDims(dims, operand->type.dims, next))
      return false;
    dims.swap(next);
  }
  return dims == node.type.dims;
}

// An explicit broadcast_to feeding a broadcasting op is redundant when the
// op's result shape is the same without it.
Node *dropExplicitBroadcasts(Node &node) {
  bool changed = false;
  for (Node *&operand : node.operands) {
    if (operand->kind != OpKind::BroadcastTo)
      continue;
    Node *explicitBroadcast = operand;
    operand = explicitBroadcast->operands[0];
    if (keepsResultShape(node))
      changed = true;
    else
      operand = explicitBroadcast;
  }
  return changed ? &node : nullptr;
}

Node *transposeIdentity(Node &node) {
  Node *inner = node.operands[0];
  std::vector<int64_t> perm = node.listAttr("perm");
  if (inner->kind == OpKind::Transpose) {
    std::vector<int64_t> innerPerm = inner->listAttr("perm");
    for (int64_t &axis : perm)
      axis = innerPerm[axis];
    node.operands[0] = inner->operands[0];
    node.attrs["perm"] = perm;
  }
  bool identity = true;
  for (size_t i = 0; i < perm.size(); ++i)
    identity = identity && perm[i] == static_cast<int64_t>(i);
  if (identity)
    return node.operands[0];
  return inner->kind == OpKind::Transpose ? &node : nullptr;
}

// The identities that belong to one op kind.
Node *kindIdentity(Node &node) {
  switch (node.kind) {
  case OpKind::Add:
  case OpKind::Sub:
  case OpKind::Mul:
  case OpKind::Div:
    return arithmeticIdentity(node);
  case OpKind::Neg:
    if (node.operands[0]->kind == OpKind::Neg)
      return node.operands[0]->operands[0];
    return nullptr;
  case OpKind::Select:
    return selectIdentity(node);
  case OpKind::Reshape:
    return collapseChain(node);
  case OpKind::BroadcastTo:
    return broadcastIdentity(node);
  case OpKind::Transpose:
    return transposeIdentity(node);
  default:
    return nullptr;
  }
}
} // namespace

bool foldConstant(Node &node) {
  if (!foldable(node))
    return false;
  std::vector<interp::Tensor> values;
  for (const Node *operand : node.operands) {
    values.push_back(
        interp::Tensor::filled(operand->type, 1, operand->realAttr("value")));
    values.back().roundToElemType();
  }
  std::vector<const interp::Tensor *> args;
  for (const interp::Tensor &value : values)
    args.push_back(&value);

  auto result = interp::kernelFor(node.kind)(node, args, interp::RunContext());
  if (!result) {
    llvm::consumeError(result.takeError());
    return false;
  }
  result->roundToElemType();
  if (!isSplat(*result))
    return false;
  node.kind = OpKind::Constant;
  node.operands.clear();
  node.attrs = {{"value", result->data[0]}};
  return true;
}

Node *applyIdentity(Node &node) {
  if (Node *replacement = kindIdentity(node))
    return replacement;
  if (ir::opCategory(node.kind) == ir::OpCategoryKind::ElementwiseBinary)
    return dropExplicitBroadcasts(node);
  return nullptr;
}

} // namespace gradc::passes
