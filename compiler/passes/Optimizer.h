// Optimizer.h - the parameter update of one training step: SGD and Adam.
// SPDX-License-Identifier: MIT
//
// The optimizer pass runs after clipping. For every parameter p with a
// "grad.<p>" output it adds the optimizer state as `state` leaves
// ("<p>.velocity", or "<p>.m" and "<p>.v"), the hyper-parameters as `hyper`
// leaves ("lr", "momentum", "beta1", "beta2", "eps"; their attr value is the
// configured value, the runtime may change it without a recompile) and the
// outputs "new.<p>" and "new.<state>". docs/clip-and-optimizers.md states
// the update rules.

#ifndef GRADC_PASSES_OPTIMIZER_H
#define GRADC_PASSES_OPTIMIZER_H

#include "ir/Graph.h"

namespace gradc::passes {

struct SgdConfig {
  double lr = 0.01;
  /// 0 means plain SGD, w <- w - lr*g, with no state at all.
  double momentum = 0;
  bool nesterov = false;
};

struct AdamConfig {
  double lr = 0.001;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-7;
};

/// SGD as in Keras: v <- momentum*v - lr*g; w <- w + v. With nesterov,
/// w <- w + momentum*v - lr*g using the new v.
void runSgd(ir::Graph &g, const SgdConfig &cfg);

/// Adam, Kingma & Ba (2015) algorithm 1, with bias correction from the
/// 1-based `step` leaf and eps added to sqrt(v_hat):
/// m <- b1*m + (1-b1)*g; v <- b2*v + (1-b2)*g^2;
/// w <- w - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
void runAdam(ir::Graph &g, const AdamConfig &cfg);

} // namespace gradc::passes

#endif // GRADC_PASSES_OPTIMIZER_H
