// HealthReport.h - the gradient-health summary printed after training.
// SPDX-License-Identifier: MIT
//
// Per tracked parameter: median and max pre-clip gradient norm over all
// steps and the fraction of steps in which it was clipped. Two warnings:
// vanishing gradients, when the median norm of the first layer's weights is
// more than 1000x below the last layer's; exploding gradients, when the
// epoch's median global norm rose in each of the last three epochs and ended
// more than 100x above the first epoch's.
#ifndef GRADC_RUNTIME_HEALTHREPORT_H
#define GRADC_RUNTIME_HEALTHREPORT_H

#include "Config.h"
#include "History.h"
#include "Metrics.h"

#include <string>

namespace gradc::rt {

std::string healthReport(const ModelConfig &config, const GradientLog &log,
                         const History &history);

} // namespace gradc::rt

#endif // GRADC_RUNTIME_HEALTHREPORT_H
