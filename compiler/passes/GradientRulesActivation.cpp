// GradientRulesActivation.cpp - adjoints of activations and log_softmax.
// SPDX-License-Identifier: MIT
//
// Derivatives at a kink follow the semantics in DESIGN.md: relu'(0) = 0,
// leaky_relu'(0) = alpha, elu'(0) = alpha. Rules are written so that a
// finite upstream gradient never meets an infinite factor: a branch that is
// not taken is masked with select, never multiplied by 0.

#include "passes/GradientRules.h"

namespace gradc::passes {
using ir::Node;
using ir::OpKind;

namespace {
// 1 where x > 0, in x's shape.
Node *positive(const GradientInput &in) {
  return in.b.greater(in.operand(0), in.scalar(0));
}

OperandGrads tanhGrad(const GradientInput &in) {
  ir::Builder &b = in.b;
  Node *slope = b.sub(in.scalar(1), b.square(&in.node));
  return {b.mul(in.dy, slope)};
}

// sigma(x) * sigma(-x) is symmetric in x and never rounds 1 - sigma to 0.
OperandGrads sigmoidGrad(const GradientInput &in) {
  ir::Builder &b = in.b;
  Node *mirror = b.sigmoid(b.neg(in.operand(0)));
  return {b.mul(in.dy, b.mul(&in.node, mirror))};
}

OperandGrads softplusGrad(const GradientInput &in) {
  return {in.b.mul(in.dy, in.b.sigmoid(in.operand(0)))};
}

OperandGrads reluGrad(const GradientInput &in) {
  return {in.b.select(positive(in), in.dy, in.scalar(0))};
}

OperandGrads leakyReluGrad(const GradientInput &in) {
  Node *alpha = in.scalar(in.node.realAttr("alpha"));
  return {in.b.select(positive(in), in.dy, in.b.mul(in.dy, alpha))};
}

// For x <= 0, elu(x) + alpha = alpha * exp(x): finite, so no 0 * inf.
OperandGrads eluGrad(const GradientInput &in) {
  ir::Builder &b = in.b;
  Node *alpha = in.scalar(in.node.realAttr("alpha"));
  Node *slope = b.add(&in.node, alpha);
  return {b.select(positive(in), in.dy, b.mul(in.dy, slope))};
}

// The gradient passes where lo <= x <= hi, bounds included (as in PyTorch's
// clamp): a value resting exactly on a bound still learns.
OperandGrads clampGrad(const GradientInput &in) {
  ir::Builder &b = in.b;
  Node *x = in.operand(0), *zero = in.scalar(0);
  Node *lo = in.scalar(in.node.realAttr("lo"));
  Node *hi = in.scalar(in.node.realAttr("hi"));
  Node *belowHi = b.select(b.greater(x, hi), zero, in.dy);
  return {b.select(b.greater(lo, x), zero, belowHi)};
}

// dx = dy - softmax(x) * sum(dy) over the last axis.
OperandGrads logSoftmaxGrad(const GradientInput &in) {
  ir::Builder &b = in.b;
  int64_t last = static_cast<int64_t>(in.node.type.dims.size()) - 1;
  Node *total = b.reduceSum(in.dy, {last}, /*keepdims=*/true);
  return {b.sub(in.dy, b.mul(b.exp(&in.node), total))};
}

const GradientRuleEntry kRules[] = {
    {OpKind::Tanh, tanhGrad},           {OpKind::Sigmoid, sigmoidGrad},
    {OpKind::Softplus, softplusGrad},   {OpKind::Relu, reluGrad},
    {OpKind::LeakyRelu, leakyReluGrad}, {OpKind::Elu, eluGrad},
    {OpKind::Clamp, clampGrad},         {OpKind::LogSoftmax, logSoftmaxGrad},
};
} // namespace

llvm::ArrayRef<GradientRuleEntry> activationGradientRules() { return kRules; }

} // namespace gradc::passes
