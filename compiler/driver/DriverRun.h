// DriverRun.h - compile a checked program and train it with the runtime.
// SPDX-License-Identifier: MIT
//
// What `gradi m.model` does, shared with the REPL: run the pass pipeline,
// JIT-compile the step (or bind it to the reference interpreter) and hand it
// to the runtime's training loop with the remaining command-line options.

#ifndef GRADC_DRIVER_DRIVERRUN_H
#define GRADC_DRIVER_DRIVERRUN_H

#include "codegen/Codegen.h"
#include "frontend/AST.h"

#include <string>
#include <vector>

namespace gradc::driver {

/// How the step is executed.
enum class EngineKind { Jit, Interpreter };

struct RunOptions {
  EngineKind engine = EngineKind::Jit;
  /// The model whose train block runs (--train); "" for the only one.
  std::string trainModel;
  codegen::CodegenOptions codegen;
  /// Arguments for gradc_train_main (argv[0] first).
  std::vector<std::string> runtimeArgs;
};

/// Builds, compiles and trains `program`; returns the process exit status
/// (0 trained, 1 user error, 3 diverged).
int trainProgram(const ast::Program &program, const RunOptions &options);

} // namespace gradc::driver

#endif // GRADC_DRIVER_DRIVERRUN_H
