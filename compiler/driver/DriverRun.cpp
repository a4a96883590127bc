// DriverRun.cpp - pipeline, engine and runtime, in that order.
// SPDX-License-Identifier: MIT

#include "driver/DriverRun.h"
#include "driver/DriverCodegen.h"
#include "driver/DriverFrontend.h"
#include "driver/DriverInterpModel.h"
#include "driver/DriverPipeline.h"

#include "llvm/Support/raw_ostream.h"

namespace gradc::driver {
namespace {

int runModel(const gradc_model &model, const RunOptions &options) {
  std::vector<char *> argv;
  for (const std::string &arg : options.runtimeArgs)
    argv.push_back(const_cast<char *>(arg.c_str()));
  argv.push_back(nullptr);
  return gradc_train_main(&model, int(argv.size() - 1), argv.data());
}

} // namespace

int trainProgram(const ast::Program &program, const RunOptions &options) {
  auto pipeline = buildModelPipeline(program, PipelineStageKind::Optimized,
                                     options.trainModel);
  if (!pipeline) {
    llvm::errs() << "gradi: error: " << llvm::toString(pipeline.takeError())
                 << "\n";
    return ExitUserError;
  }
  if (options.engine == EngineKind::Interpreter)
    return runModel(makeInterpretedModel(*pipeline), options);

  auto jit = jitModel(pipeline->graphs(), options.codegen);
  if (!jit) {
    llvm::errs() << "gradi: error: " << llvm::toString(jit.takeError()) << "\n";
    return ExitUserError;
  }
  return runModel((*jit)->model, options);
}

} // namespace gradc::driver
