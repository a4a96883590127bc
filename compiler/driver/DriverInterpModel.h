// DriverInterpModel.h - a gradc_model whose entry points run the interpreter.
// SPDX-License-Identifier: MIT
//
// The runtime drives compiled and interpreted models through the same C ABI.
// This adapter runs a model's graphs in the reference interpreter, so
// `gradi --interp` trains without code generation and tests can compare a
// whole training run of the JIT against the oracle.

#ifndef GRADC_DRIVER_DRIVERINTERPMODEL_H
#define GRADC_DRIVER_DRIVERINTERPMODEL_H

#include "driver/DriverPipeline.h"
#include "gradc_runtime.h"

namespace gradc::driver {

/// Entry points over `pipeline`'s graphs; `pipeline` must outlive the
/// returned model. Interpreter failures are internal errors and abort.
gradc_model makeInterpretedModel(const ModelPipeline &pipeline);

} // namespace gradc::driver

#endif // GRADC_DRIVER_DRIVERINTERPMODEL_H
