// Simplify.h - CSE, constant folding, algebraic identities and DCE.
// SPDX-License-Identifier: MIT
//
// The clean-up pass of the pipeline. Autodiff, clipping and the optimizer
// build their IR plainly (one scalar constant per use, gradients of ones,
// reshapes of reshapes) and rely on this pass to tidy it, so each of them
// stays simple.

#ifndef GRADC_PASSES_SIMPLIFY_H
#define GRADC_PASSES_SIMPLIFY_H

#include "ir/Graph.h"

namespace gradc::passes {

/// Simplifies `graph` to a fixed point without changing any output value:
/// folds ops whose operands are all constants (with the reference
/// interpreter's arithmetic), applies identities (x*1, x/1, x+0, x-0,
/// neg(neg(x)), select on a constant, reshape of reshape, transpose of
/// transpose, no-op reshapes, broadcasts and transposes, broadcast_to feeding
/// an op that broadcasts the same way itself), merges nodes with the same kind,
/// operands, attributes and type, and removes nodes and constants no output
/// needs. It keeps IEEE semantics: x*0 and x-x are not folded unless x is a
/// constant, since x may be inf or NaN; the one liberty is that x+0 gives x
/// where IEEE gives +0 for x = -0. It runs before autodiff as well as after.
void runSimplify(ir::Graph &graph);

} // namespace gradc::passes

#endif // GRADC_PASSES_SIMPLIFY_H
