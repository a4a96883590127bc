// Metrics.h - where each value sits in train_step's out_metrics, and the log
// of gradient norms gathered from them.
// SPDX-License-Identifier: MIT
//
// The config's "metrics" list names the slots: "loss", then "norm.<param>"
// (pre-clip gradient norm) and "scale.<param>" (clip factor, < 1 when the
// step was clipped). Parameters without a norm slot are not tracked.
#ifndef GRADC_RUNTIME_METRICS_H
#define GRADC_RUNTIME_METRICS_H

#include "Config.h"

#include <string>
#include <vector>

namespace gradc::rt {

struct MetricLayout {
  int loss = -1;
  std::vector<std::string> names; ///< tracked parameters, config order
  std::vector<int> norm;          ///< slot of "norm.<name>"
  std::vector<int> scale;         ///< slot of "scale.<name>", or -1
  size_t slots = 0;

  /// Builds the layout; throws UserError when "loss" is missing.
  static MetricLayout fromConfig(const ModelConfig &config);
};

/// Every step's norms and clip factors, per tracked parameter.
struct GradientLog {
  std::vector<std::string> names;
  std::vector<std::vector<float>> norms;  ///< [param][step]
  std::vector<std::vector<float>> scales; ///< [param][step], 1 if unknown
  std::vector<double> epochGlobalNorm;    ///< median global norm per epoch

  explicit GradientLog(const MetricLayout &layout);
  void record(const MetricLayout &layout, const float *metrics);
  size_t steps() const { return norms.empty() ? 0 : norms[0].size(); }
  /// Global norm of step `step`: sqrt of the sum of squared norms.
  double globalNorm(size_t step) const;
  /// True if any parameter was clipped at `step`.
  bool clipped(size_t step) const;
};

/// Median of the non-NaN `values` (NaN if there are none).
double median(std::vector<double> values);

} // namespace gradc::rt

#endif // GRADC_RUNTIME_METRICS_H
