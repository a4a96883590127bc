// GradientRulesElementwise.cpp - adjoints of arithmetic and select.
// SPDX-License-Identifier: MIT
//
// Binary rules return gradients in the broadcast result shape; the driver
// sums them down to each operand. Where an op is not differentiable at a
// point (ties of maximum and minimum, abs at 0) the rule picks one
// subgradient and says which.

#include "passes/GradientRules.h"

namespace gradc::passes {
using ir::Node;
using ir::OpKind;

namespace {
OperandGrads addGrad(const GradientInput &in) { return {in.dy, in.dy}; }

OperandGrads subGrad(const GradientInput &in) {
  return {in.dy, in.wants(1) ? in.b.neg(in.dy) : nullptr};
}

OperandGrads mulGrad(const GradientInput &in) {
  Node *x = in.operand(0), *y = in.operand(1);
  return {in.wants(0) ? in.b.mul(in.dy, y) : nullptr,
          in.wants(1) ? in.b.mul(in.dy, x) : nullptr};
}

// d(x/y)/dy = -(x/y)/y: reusing the quotient avoids squaring y.
OperandGrads divGrad(const GradientInput &in) {
  Node *dx = in.b.div(in.dy, in.operand(1));
  Node *dy = in.wants(1) ? in.b.neg(in.b.mul(dx, &in.node)) : nullptr;
  return {in.wants(0) ? dx : nullptr, dy};
}

// `secondWins` is 1 where the second operand alone is the result; on ties
// (and NaN) the first operand takes the whole gradient.
OperandGrads pickGrad(const GradientInput &in, Node *secondWins) {
  ir::Builder &b = in.b;
  Node *zero = in.scalar(0);
  return {in.wants(0) ? b.select(secondWins, zero, in.dy) : nullptr,
          in.wants(1) ? b.select(secondWins, in.dy, zero) : nullptr};
}

OperandGrads maximumGrad(const GradientInput &in) {
  return pickGrad(in, in.b.greater(in.operand(1), in.operand(0)));
}

OperandGrads minimumGrad(const GradientInput &in) {
  return pickGrad(in, in.b.greater(in.operand(0), in.operand(1)));
}

OperandGrads selectGrad(const GradientInput &in) {
  ir::Builder &b = in.b;
  Node *cond = in.operand(0), *zero = in.scalar(0);
  return {nullptr, in.wants(1) ? b.select(cond, in.dy, zero) : nullptr,
          in.wants(2) ? b.select(cond, zero, in.dy) : nullptr};
}

OperandGrads negGrad(const GradientInput &in) { return {in.b.neg(in.dy)}; }

OperandGrads expGrad(const GradientInput &in) {
  return {in.b.mul(in.dy, &in.node)};
}

OperandGrads logGrad(const GradientInput &in) {
  return {in.b.div(in.dy, in.operand(0))};
}

OperandGrads sqrtGrad(const GradientInput &in) {
  ir::Builder &b = in.b;
  return {b.div(in.dy, b.mul(&in.node, in.scalar(2)))};
}

OperandGrads squareGrad(const GradientInput &in) {
  ir::Builder &b = in.b;
  return {b.mul(in.dy, b.mul(in.operand(0), in.scalar(2)))};
}

// abs'(0) = 0: the gradient is dy where x > 0, -dy where x < 0, else 0.
OperandGrads absGrad(const GradientInput &in) {
  ir::Builder &b = in.b;
  Node *x = in.operand(0), *zero = in.scalar(0);
  Node *negative = b.select(b.greater(zero, x), b.neg(in.dy), zero);
  return {b.select(b.greater(x, zero), in.dy, negative)};
}

const GradientRuleEntry kRules[] = {
    {OpKind::Add, addGrad},         {OpKind::Sub, subGrad},
    {OpKind::Mul, mulGrad},         {OpKind::Div, divGrad},
    {OpKind::Maximum, maximumGrad}, {OpKind::Minimum, minimumGrad},
    {OpKind::Select, selectGrad},   {OpKind::Neg, negGrad},
    {OpKind::Exp, expGrad},         {OpKind::Log, logGrad},
    {OpKind::Sqrt, sqrtGrad},       {OpKind::Square, squareGrad},
    {OpKind::Abs, absGrad},
};
} // namespace

llvm::ArrayRef<GradientRuleEntry> elementwiseGradientRules() { return kRules; }

} // namespace gradc::passes
