// Lower.h - lowering of a checked model and its train block to graph IR.
// SPDX-License-Identifier: MIT
//
// The first pass of the pipeline: each layer of the AST expands into
// primitive ops of the graph IR (dense into matmul + add + activation, the
// LSTM into its cell unrolled over the static sequence length), and the loss
// of the train block is appended in its numerically stable fused form when
// the last activation allows it (softmax + categorical cross-entropy through
// log_softmax, sigmoid + binary cross-entropy through softplus).

#ifndef GRADC_PASSES_LOWER_H
#define GRADC_PASSES_LOWER_H

#include "frontend/AST.h"
#include "ir/Graph.h"

#include <memory>

namespace gradc::passes {

/// What the lowered graph is for: training applies dropout, evaluation and
/// prediction do not.
enum class LowerModeKind { Training, Inference };

/// Lowers `model` with the loss of `train` into a forward graph with leaves
/// "x" [B, input...], "y" [B, target...] and one Param per layer parameter
/// ("<layer>.<param>", attrs init, trainable, fan_in, fan_out), and outputs
/// "prediction" (the activated model output) and "loss" (the batch mean).
std::unique_ptr<ir::Graph> lowerModel(const ast::ModelDecl &model,
                                      const ast::TrainDecl &train,
                                      LowerModeKind mode);

/// The per-row shape of "y" for `train`'s loss on `model`: class labels
/// are one scalar per row for sparse categorical cross-entropy.
std::vector<int64_t> targetShape(const ast::ModelDecl &model,
                                 const ast::TrainDecl &train);

} // namespace gradc::passes

#endif // GRADC_PASSES_LOWER_H
