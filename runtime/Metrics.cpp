// Metrics.cpp - metric slots and the gradient-norm log.
// SPDX-License-Identifier: MIT
//
// The global norm is recombined in double from the per-parameter norms, the
// same value a global_norm clip computes inside the step.
#include "Metrics.h"

#include "Error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gradc::rt {
namespace {

int slotOf(const std::vector<std::string> &metrics, const std::string &name) {
  auto found = std::find(metrics.begin(), metrics.end(), name);
  return found == metrics.end() ? -1 : int(found - metrics.begin());
}

} // namespace

MetricLayout MetricLayout::fromConfig(const ModelConfig &config) {
  MetricLayout layout;
  layout.slots = config.metrics.size();
  layout.loss = slotOf(config.metrics, "loss");
  if (layout.loss < 0)
    throw UserError("", "model config: 'metrics' has no \"loss\" slot");
  for (const ParamSpec &param : config.params) {
    int norm = slotOf(config.metrics, "norm." + param.name);
    if (norm < 0)
      continue;
    layout.names.push_back(param.name);
    layout.norm.push_back(norm);
    layout.scale.push_back(slotOf(config.metrics, "scale." + param.name));
  }
  return layout;
}

GradientLog::GradientLog(const MetricLayout &layout)
    : names(layout.names), norms(layout.names.size()),
      scales(layout.names.size()) {}

void GradientLog::record(const MetricLayout &layout, const float *metrics) {
  for (size_t p = 0; p < names.size(); ++p) {
    norms[p].push_back(metrics[layout.norm[p]]);
    scales[p].push_back(layout.scale[p] < 0 ? 1.0f : metrics[layout.scale[p]]);
  }
}

double GradientLog::globalNorm(size_t step) const {
  double sum = 0;
  for (const std::vector<float> &paramNorms : norms)
    sum += double(paramNorms[step]) * double(paramNorms[step]);
  return std::sqrt(sum);
}

bool GradientLog::clipped(size_t step) const {
  for (const std::vector<float> &paramScales : scales)
    if (paramScales[step] < 1.0f)
      return true;
  return false;
}

double median(std::vector<double> values) {
  // NaN has no place in an ordering; a median of the rest is still useful.
  values.erase(std::remove_if(values.begin(), values.end(),
                              [](double v) { return std::isnan(v); }),
               values.end());
  if (values.empty())
    return std::numeric_limits<double>::quiet_NaN();
  size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  if (values.size() % 2 == 1)
    return values[mid];
  double upper = values[mid];
  double lower = *std::max_element(values.begin(), values.begin() + mid);
  return (lower + upper) / 2;
}

} // namespace gradc::rt
