// HealthReport.cpp - summarize gradient norms and warn about the two classic
// failures of deep networks.
// SPDX-License-Identifier: MIT
//
// "Layer" here means a tracked parameter of rank >= 2 (a kernel): biases have
// small gradients by nature and would raise false vanishing warnings.
#include "HealthReport.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace gradc::rt {
namespace {

constexpr double vanishingRatio = 1e3;
constexpr double explodingGrowth = 100;

double maxFinite(const std::vector<float> &values) {
  double largest = NAN;
  for (float value : values)
    if (!std::isnan(value) && !(largest >= value))
      largest = value;
  return largest;
}

double clippedFraction(const std::vector<float> &scales) {
  if (scales.empty())
    return 0;
  auto clipped = std::count_if(scales.begin(), scales.end(),
                               [](float s) { return s < 1.0f; });
  return double(clipped) / double(scales.size());
}

/// Indices (into log.names) of the tracked kernels, or of all tracked
/// parameters when none has rank >= 2.
std::vector<size_t> layerIndices(const ModelConfig &config,
                                 const GradientLog &log) {
  std::vector<size_t> kernels, all;
  for (size_t p = 0; p < log.names.size(); ++p) {
    all.push_back(p);
    for (const ParamSpec &param : config.params)
      if (param.name == log.names[p] && param.shape.size() >= 2)
        kernels.push_back(p);
  }
  return kernels.size() >= 2 ? kernels : all;
}

std::string vanishingWarning(const ModelConfig &config,
                             const GradientLog &log) {
  std::vector<size_t> layers = layerIndices(config, log);
  if (layers.size() < 2)
    return "";
  size_t first = layers.front(), last = layers.back();
  double low = median({log.norms[first].begin(), log.norms[first].end()});
  double high = median({log.norms[last].begin(), log.norms[last].end()});
  if (!(low * vanishingRatio < high))
    return "";
  // A median of exactly zero (a dead layer) has no ratio to print.
  if (low == 0)
    return fmt::format("warning: vanishing gradients: median norm of {} is "
                       "zero, that of {} is {:.3e}\n",
                       log.names[first], log.names[last], high);
  return fmt::format("warning: vanishing gradients: median norm of {} "
                     "({:.3e}) is {:.1e}x below that of {} ({:.3e})\n",
                     log.names[first], low, high / low, log.names[last], high);
}

std::string explodingWarning(const History &history) {
  const std::vector<EpochRecord> &epochs = history.epochs;
  size_t n = epochs.size();
  if (n < 4)
    return "";
  for (size_t e = n - 3; e < n; ++e)
    if (!(epochs[e].gradNorm > epochs[e - 1].gradNorm))
      return "";
  double first = epochs.front().gradNorm, last = epochs.back().gradNorm;
  if (!(last > explodingGrowth * first))
    return "";
  return fmt::format("warning: exploding gradients: median global norm grew "
                     "from {:.3e} (epoch {}) to {:.3e} (epoch {})\n",
                     first, epochs.front().epoch, last, epochs.back().epoch);
}

} // namespace

std::string healthReport(const ModelConfig &config, const GradientLog &log,
                         const History &history) {
  if (log.names.empty() || log.steps() == 0)
    return "";
  std::string report = fmt::format(
      "gradient health over {} steps (pre-clip norms):\n  {:<24} {:>10} "
      "{:>10} {:>8}\n",
      log.steps(), "parameter", "median", "max", "clipped");
  for (size_t p = 0; p < log.names.size(); ++p)
    report += fmt::format(
        "  {:<24} {:>10.3e} {:>10.3e} {:>7.1f}%\n", log.names[p],
        median({log.norms[p].begin(), log.norms[p].end()}),
        maxFinite(log.norms[p]), 100 * clippedFraction(log.scales[p]));
  return report + vanishingWarning(config, log) + explodingWarning(history);
}

} // namespace gradc::rt
