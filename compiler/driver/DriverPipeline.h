// DriverPipeline.h - from a checked program to the graphs codegen compiles.
// SPDX-License-Identifier: MIT
//
// The pass pipeline of the design, in one place for every tool: lower the
// model of a train block, differentiate, clip, add the optimizer update and
// simplify; lower it again without dropout for evaluation and prediction;
// describe the result for the runtime as its JSON config.

#ifndef GRADC_DRIVER_DRIVERPIPELINE_H
#define GRADC_DRIVER_DRIVERPIPELINE_H

#include "codegen/Codegen.h"
#include "frontend/AST.h"
#include "ir/Graph.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace gradc::driver {

/// How far the train graph goes; printed by --emit=ir|grad-ir|opt-ir.
enum class PipelineStageKind {
  Forward,   ///< after lowering: forward pass and loss
  Gradients, ///< after autodiff: grad.<param> outputs
  Optimized  ///< after clip, optimizer and simplify: the whole step
};

/// The graphs of one model, owned, with their runtime description.
struct ModelPipeline {
  std::unique_ptr<ir::Graph> train, eval, predict;
  std::string name;
  std::string configJson;
  std::vector<std::string> metrics;
  int64_t batch = 32;

  /// The non-owning view code generation takes.
  codegen::ModelGraphs graphs() const;
};

/// Runs the pipeline for the model of the first train block of `program`,
/// or of the block for `modelName` when given.
llvm::Expected<ModelPipeline>
buildModelPipeline(const ast::Program &program,
                   PipelineStageKind stopAfter = PipelineStageKind::Optimized,
                   const std::string &modelName = "");

} // namespace gradc::driver

#endif // GRADC_DRIVER_DRIVERPIPELINE_H
