// GradientRulesShape.cpp - adjoints of reductions and shape operations.
// SPDX-License-Identifier: MIT
//
// Each shape op has an exact inverse in the IR (reshape back, the inverse
// permutation, pad for slice, slice for pad and concat), so these rules only
// move gradients around. broadcast_to hands its gradient through unchanged:
// the driver's broadcast reduction sums it back to the operand's shape.

#include "passes/GradientRules.h"

namespace gradc::passes {
using ir::Node;
using ir::OpKind;

namespace {
// The reduced axes of a reduce_* node, non-negative; empty means all.
std::vector<int64_t> reducedAxes(const Node &node) {
  int64_t rank = static_cast<int64_t>(node.operands[0]->type.dims.size());
  std::vector<int64_t> axes = node.listAttr("axes");
  if (axes.empty())
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  for (int64_t &axis : axes)
    axis = axis < 0 ? axis + rank : axis;
  return axes;
}

// `v`, a reduce_* result, broadcast back to the operand's shape.
Node *expandReduced(const GradientInput &in, Node *v) {
  const std::vector<int64_t> &inDims = in.operand(0)->type.dims;
  std::vector<int64_t> kept = inDims;
  for (int64_t axis : reducedAxes(in.node))
    kept[axis] = 1;
  if (v->type.dims != kept)
    v = in.b.reshape(v, kept);
  return in.b.broadcastTo(v, inDims);
}

OperandGrads reduceSumGrad(const GradientInput &in) {
  return {expandReduced(in, in.dy)};
}

// Tied maxima share the gradient equally, so the total passed down is dy.
OperandGrads reduceMaxGrad(const GradientInput &in) {
  ir::Builder &b = in.b;
  Node *x = in.operand(0);
  Node *below = b.greater(expandReduced(in, &in.node), x);
  Node *isMax = b.select(below, in.scalar(0), in.scalar(1));
  Node *ties = b.reduceSum(isMax, reducedAxes(in.node), /*keepdims=*/true);
  return {b.div(b.mul(isMax, expandReduced(in, in.dy)), ties)};
}

OperandGrads reshapeGrad(const GradientInput &in) {
  return {in.b.reshape(in.dy, in.operand(0)->type.dims)};
}

OperandGrads transposeGrad(const GradientInput &in) {
  std::vector<int64_t> perm = in.node.listAttr("perm");
  std::vector<int64_t> inverse(perm.size());
  for (size_t i = 0; i < perm.size(); ++i)
    inverse[perm[i]] = static_cast<int64_t>(i);
  return {in.b.transpose(in.dy, inverse)};
}

OperandGrads broadcastToGrad(const GradientInput &in) { return {in.dy}; }

OperandGrads sliceGrad(const GradientInput &in) {
  int64_t axis = in.node.intAttr("axis"), begin = in.node.intAttr("begin");
  int64_t size = in.operand(0)->type.dims[axis];
  return {in.b.pad(in.dy, axis, begin, size)};
}

OperandGrads padGrad(const GradientInput &in) {
  int64_t axis = in.node.intAttr("axis"), begin = in.node.intAttr("begin");
  int64_t size = in.operand(0)->type.dims[axis];
  return {in.b.slice(in.dy, axis, begin, size)};
}

OperandGrads concatGrad(const GradientInput &in) {
  int64_t axis = in.node.intAttr("axis"), begin = 0;
  OperandGrads grads;
  for (unsigned i = 0; i < in.node.operands.size(); ++i) {
    int64_t size = in.operand(i)->type.dims[axis];
    grads.push_back(in.wants(i) ? in.b.slice(in.dy, axis, begin, size)
                                : nullptr);
    begin += size;
  }
  return grads;
}

const GradientRuleEntry kRules[] = {
    {OpKind::ReduceSum, reduceSumGrad},
    {OpKind::ReduceMax, reduceMaxGrad},
    {OpKind::Reshape, reshapeGrad},
    {OpKind::Transpose, transposeGrad},
    {OpKind::BroadcastTo, broadcastToGrad},
    {OpKind::Slice, sliceGrad},
    {OpKind::Pad, padGrad},
    {OpKind::Concat, concatGrad},
};
} // namespace

llvm::ArrayRef<GradientRuleEntry> shapeGradientRules() { return kRules; }

} // namespace gradc::passes
