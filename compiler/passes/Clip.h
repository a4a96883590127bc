// Clip.h - gradient clipping and gradient-health outputs.
// SPDX-License-Identifier: MIT
//
// The clip pass runs after autodiff, on the batch-mean gradients, before the
// optimizer. For every parameter with a "grad.<param>" output it adds
// "norm.<param>" (the L2 norm before clipping, accumulated in f64) and
// "scale.<param>" (what clipping did), and rebinds "grad.<param>" to the
// clipped gradient. Thresholds are `hyper` leaves, so a new c needs no
// recompile. docs/clip-and-optimizers.md states the semantics.

#ifndef GRADC_PASSES_CLIP_H
#define GRADC_PASSES_CLIP_H

#include "ir/Graph.h"

#include <map>
#include <string>

namespace gradc::passes {

enum class ClipKind {
  None,       ///< measure the norm, leave the gradient alone
  Norm,       ///< each tensor rescaled to norm <= c on its own (clipnorm)
  GlobalNorm, ///< one factor for all tensors of the rule (clip_grad_norm_)
  Value       ///< each element clamped to [-c, c], NaN stays NaN
};

struct ClipRule {
  ClipKind kind = ClipKind::None;
  double threshold = 0; ///< c > 0 unless kind is None
};

struct ClipConfig {
  ClipRule defaultRule;
  /// Overrides by layer name (Node::layer of the parameter).
  std::map<std::string, ClipRule> layerRules;

  /// The rule for parameters of `layer`: its override, else the default.
  const ClipRule &ruleFor(const std::string &layer) const;
};

/// The hyper leaf that holds c for parameters of `layer`: "clip" for the
/// default rule, "clip.<layer>" for an override.
std::string clipHyperName(const ClipConfig &cfg, const std::string &layer);

/// Adds "norm.<p>" and "scale.<p>" and replaces "grad.<p>" by the clipped
/// gradient, for every parameter p that has a "grad.<p>" output.
///
/// scale.<p> is: for None, 1; for Norm and GlobalNorm, norm <= c ? 1 :
/// c / norm (the global norm for GlobalNorm); for Value, the fraction of
/// elements that were not clamped. When the norm that decides a rescale is
/// inf or NaN the gradient is left as it is and the scale is 1: inf stays
/// inf, NaN stays NaN, and norm.<p> carries the non-finite value for the
/// runtime to stop on.
void runClip(ir::Graph &g, const ClipConfig &cfg);

} // namespace gradc::passes

#endif // GRADC_PASSES_CLIP_H
