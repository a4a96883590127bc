// SimplifyRewrites.h - the node-local rewrites of the simplify pass.
// SPDX-License-Identifier: MIT
//
// Not part of the pass interface: Simplify.cpp applies these to every node
// and then merges and removes nodes graph-wide.

#ifndef GRADC_PASSES_SIMPLIFYREWRITES_H
#define GRADC_PASSES_SIMPLIFYREWRITES_H

#include "ir/Graph.h"

namespace gradc::passes {

/// Turns `node` into a Constant in place when all its operands are
/// constants and its value is one number. Returns true when it did.
bool foldConstant(ir::Node &node);

/// Applies one algebraic identity to `node`: either edits it in place and
/// returns it, or returns an existing value that can replace it. Returns
/// null when no identity applies.
ir::Node *applyIdentity(ir::Node &node);

} // namespace gradc::passes

#endif // GRADC_PASSES_SIMPLIFYREWRITES_H
