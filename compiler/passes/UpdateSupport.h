// UpdateSupport.h - what the clip and optimizer passes build alike.
// SPDX-License-Identifier: MIT
//
// Both passes walk the parameters that have a gradient, look up or create
// run-time leaves by name (hyper-parameters, optimizer state, the step
// counter) and reduce tensors to scalars. Leaves are found by name before
// they are created, so two passes that both need "lr", or one pass run
// twice, share one leaf.

#ifndef GRADC_PASSES_UPDATESUPPORT_H
#define GRADC_PASSES_UPDATESUPPORT_H

#include "ir/Builder.h"

#include <string>
#include <vector>

namespace gradc::passes {

/// A parameter and its gradient output "grad.<param>".
struct ParamGrad {
  ir::Node *param;
  ir::Node *grad;
};

/// Every parameter that has a "grad.<param>" output, in graph order: the
/// trainable ones, since autodiff differentiates no frozen parameter.
std::vector<ParamGrad> paramGradients(const ir::Graph &g);

/// The `hyper` leaf named `name`; created with attr value = `value` when the
/// graph has none, otherwise returned unchanged.
ir::Node *hyperLeaf(ir::Builder &b, const std::string &name, double value,
                    ir::ElemKind elem);

/// The `state` leaf "<param>.<slot>", shaped like the parameter and in its
/// layer; created on first use.
ir::Node *stateLeaf(ir::Builder &b, const ir::Node *param,
                    const std::string &slot);

/// The 1-based step counter leaf, created as "step" on first use.
ir::Node *stepLeaf(ir::Builder &b, ir::ElemKind elem);

/// The sum of every element of `x`, a scalar.
ir::Node *sumAll(ir::Builder &b, ir::Node *x);

/// sqrt(sum of squares) of scalars, computed as one norm2 so the squares
/// are accumulated in f64 and cannot overflow.
ir::Node *normOfScalars(ir::Builder &b, const std::vector<ir::Node *> &xs);

} // namespace gradc::passes

#endif // GRADC_PASSES_UPDATESUPPORT_H
