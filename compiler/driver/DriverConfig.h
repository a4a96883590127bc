// DriverConfig.h - the runtime's JSON description of a compiled model.
// SPDX-License-Identifier: MIT
//
// The runtime knows nothing of the compiler; everything it needs to train a
// compiled step (buffers, initializers, hyperparameters, the metrics layout,
// data sources and loop settings) travels as the JSON config documented in
// runtime/gradc_runtime.h.

#ifndef GRADC_DRIVER_DRIVERCONFIG_H
#define GRADC_DRIVER_DRIVERCONFIG_H

#include "frontend/AST.h"

#include <string>

namespace gradc::driver {

struct ModelPipeline;

/// The config of `pipeline`, whose train graph and metrics are built.
std::string describeModelConfig(const ast::Program &program,
                                const ast::ModelDecl &model,
                                const ast::TrainDecl &train,
                                const ModelPipeline &pipeline);

} // namespace gradc::driver

#endif // GRADC_DRIVER_DRIVERCONFIG_H
