// LowerLoss.h - the loss of a train block as graph IR.
// SPDX-License-Identifier: MIT
//
// Losses follow Keras: a mean over the last axis per row, then a mean over
// the real rows of the batch (the batch_size leaf, never the compiled
// maximum). Where the model's last activation allows it the loss is taken
// from the logits in a stable fused form; otherwise probabilities are
// clipped to [1e-7, 1 - 1e-7] before the logarithm.

#ifndef GRADC_PASSES_LOWERLOSS_H
#define GRADC_PASSES_LOWERLOSS_H

#include "frontend/AST.h"
#include "ir/Builder.h"

namespace gradc::passes {

/// The batch-mean loss. `logits` is the value before the last activation
/// `lastActivation` (the prediction itself when that is linear).
ir::Node *lowerLoss(ir::Builder &b, ast::LossKind loss,
                    ast::ActivationKind lastActivation, ir::Node *logits,
                    ir::Node *prediction, ir::Node *y);

} // namespace gradc::passes

#endif // GRADC_PASSES_LOWERLOSS_H
