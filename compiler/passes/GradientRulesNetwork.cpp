// GradientRulesNetwork.cpp - adjoints of matmul, conv2d, pooling, gather.
// SPDX-License-Identifier: MIT
//
// matmul gradients are matmuls with transpose flags, never explicit
// transposes. Convolution, pooling and embedding lookups hand their gradient
// to dedicated gradient ops that reuse the forward attributes, so stride and
// padding are interpreted in one place (the shape rules and the kernels).

#include "passes/GradientRules.h"

namespace gradc::passes {
using ir::Node;
using ir::OpKind;

namespace {
// With C = op(A) op(B), where op transposes when the flag is set:
//   dA = dC op(B)^T, stored transposed when transpose_a is set;
//   dB = op(A)^T dC, stored transposed when transpose_b is set.
OperandGrads matmulGrad(const GradientInput &in) {
  ir::Builder &b = in.b;
  Node *x = in.operand(0), *y = in.operand(1), *dy = in.dy;
  bool ta = in.node.intAttr("transpose_a"), tb = in.node.intAttr("transpose_b");
  Node *dx = nullptr, *dw = nullptr;
  if (in.wants(0))
    dx = ta ? b.matmul(y, dy, tb, true) : b.matmul(dy, y, false, !tb);
  if (in.wants(1))
    dw = tb ? b.matmul(dy, x, true, ta) : b.matmul(x, dy, !ta, false);
  return {dx, dw};
}

OperandGrads conv2dGrad(const GradientInput &in) {
  ir::Builder &b = in.b;
  Node *x = in.operand(0), *kernel = in.operand(1);
  Node *dx = nullptr, *dk = nullptr;
  if (in.wants(0))
    dx = b.create(OpKind::Conv2DGradInput, {in.dy, kernel}, in.node.attrs,
                  &x->type);
  if (in.wants(1))
    dk = b.create(OpKind::Conv2DGradKernel, {x, in.dy}, in.node.attrs,
                  &kernel->type);
  return {dx, dk};
}

// The gradient goes to the first maximum of each window, as the
// maxpool2d_grad op defines.
OperandGrads maxPoolGrad(const GradientInput &in) {
  return {in.b.create(OpKind::MaxPool2DGrad, {in.operand(0), in.dy},
                      in.node.attrs)};
}

// Rows looked up more than once receive the sum of their gradients.
OperandGrads gatherGrad(const GradientInput &in) {
  Node *table = in.operand(0), *indices = in.operand(1);
  return {in.b.scatterAdd(indices, in.dy, table->type.dims[0]), nullptr};
}

const GradientRuleEntry kRules[] = {
    {OpKind::MatMul, matmulGrad},
    {OpKind::Conv2D, conv2dGrad},
    {OpKind::MaxPool2D, maxPoolGrad},
    {OpKind::Gather, gatherGrad},
};
} // namespace

llvm::ArrayRef<GradientRuleEntry> networkGradientRules() { return kRules; }

} // namespace gradc::passes
