// Autodiff.h - symbolic reverse-mode differentiation of a training graph.
// SPDX-License-Identifier: MIT
//
// The pass appends the backward pass to a forward graph, in the same graph,
// as ordinary IR nodes, so everything after it (clipping, the optimizer,
// simplification, code generation) sees one graph and one language.

#ifndef GRADC_PASSES_AUTODIFF_H
#define GRADC_PASSES_AUTODIFF_H

#include "ir/Graph.h"

#include "llvm/Support/Error.h"

namespace gradc::passes {

/// Differentiates the output "loss" with respect to every trainable Param
/// (attribute `trainable` missing or non-zero) and adds one output
/// "grad.<param>" per trainable param, in graph param order. The walk goes
/// once over the nodes in reverse topological order: it sums the gradients of
/// values used more than once, sums a gradient over the axes an operand was
/// broadcast along, and computes only what leads to a trainable param, so
/// inputs, frozen params and labels cost nothing. A trainable param the loss
/// does not use gets a zero gradient. Fails, leaving the graph unusable, when
/// "loss" is missing or not a scalar, or an op on the path has no gradient
/// rule.
llvm::Error runAutodiff(ir::Graph &graph);

} // namespace gradc::passes

#endif // GRADC_PASSES_AUTODIFF_H
