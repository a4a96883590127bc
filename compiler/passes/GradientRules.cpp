// GradientRules.cpp - lookup in the adjoint rule table.
// SPDX-License-Identifier: MIT
//
// The table is the union of the per-family tables, indexed by OpKind once on
// first use. An op listed twice is a bug caught here rather than a silent
// choice between two rules.

#include "passes/GradientRules.h"

#include <array>
#include <cassert>

namespace gradc::passes {
using ir::OpKind;

namespace {
constexpr size_t kNumOps = 0
#define GIR_OP(Kind, Name, Arity, Category) +1
#include "ir/Ops.def"
    ;

using RuleTable = std::array<GradientRule, kNumOps>;

RuleTable buildTable() {
  RuleTable table{};
  for (auto family : {elementwiseGradientRules, activationGradientRules,
                      shapeGradientRules, networkGradientRules}) {
    for (const GradientRuleEntry &entry : family()) {
      GradientRule &slot = table[static_cast<size_t>(entry.kind)];
      assert(!slot && "an op has two gradient rules");
      slot = entry.rule;
    }
  }
  return table;
}
} // namespace

GradientRule findGradientRule(OpKind kind) {
  static const RuleTable table = buildTable();
  return table[static_cast<size_t>(kind)];
}

bool isNonDifferentiable(OpKind kind) {
  switch (kind) {
  case OpKind::Greater:
  case OpKind::IsFinite:
  case OpKind::OneHot:
  case OpKind::DropoutMask:
    return true;
  default:
    return ir::isLeaf(kind);
  }
}

} // namespace gradc::passes
