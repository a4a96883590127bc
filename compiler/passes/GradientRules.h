// GradientRules.h - the table of adjoint rules used by autodiff.
// SPDX-License-Identifier: MIT
//
// One rule per differentiable OpKind. A rule sees one forward node and the
// gradient flowing into it, and builds the gradient of each operand with the
// ordinary IR builder. Rules stay small because the driver (Autodiff.cpp)
// does everything they have in common: summing gradients of shared values,
// reducing a gradient over broadcast axes, pruning, and reporting ops that
// have no rule. docs/autodiff.md says how to add a rule.

#ifndef GRADC_PASSES_GRADIENTRULES_H
#define GRADC_PASSES_GRADIENTRULES_H

#include "ir/Builder.h"

#include "llvm/ADT/ArrayRef.h"

#include <vector>

namespace gradc::passes {

/// What a rule is given: the builder, the forward node, the upstream
/// gradient `dy` (the node's type) and which operands need a gradient.
struct GradientInput {
  ir::Builder &b;
  ir::Node &node;
  ir::Node *dy;
  std::vector<bool> wanted;

  ir::Node *operand(unsigned i) const { return node.operands[i]; }
  /// False for operands that lead to no trainable param: a rule may skip
  /// building their gradient and return null instead.
  bool wants(unsigned i) const { return wanted[i]; }
  /// A scalar constant of the node's element type.
  ir::Node *scalar(double value) const {
    return b.scalar(value, node.type.elem);
  }
};

/// One gradient per operand, in operand order; null where none flows. A
/// gradient may keep the node's (broadcast) shape: the driver sums it down
/// to the operand's shape.
using OperandGrads = std::vector<ir::Node *>;
using GradientRule = OperandGrads (*)(const GradientInput &in);

struct GradientRuleEntry {
  ir::OpKind kind;
  GradientRule rule;
};

/// The rule of `kind`, or null when the op has none.
GradientRule findGradientRule(ir::OpKind kind);

/// True for ops whose result carries no gradient by definition: leaves,
/// comparisons, finiteness tests, one_hot and dropout masks. Autodiff stops
/// at them without an error.
bool isNonDifferentiable(ir::OpKind kind);

// The rule tables, one per op family.
llvm::ArrayRef<GradientRuleEntry> elementwiseGradientRules();
llvm::ArrayRef<GradientRuleEntry> activationGradientRules();
llvm::ArrayRef<GradientRuleEntry> shapeGradientRules();
llvm::ArrayRef<GradientRuleEntry> networkGradientRules();

} // namespace gradc::passes

#endif // GRADC_PASSES_GRADIENTRULES_H
