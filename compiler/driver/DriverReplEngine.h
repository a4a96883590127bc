// DriverReplEngine.h - pipeline, JIT and runtime session behind the REPL.
// SPDX-License-Identifier: MIT
//
// After every accepted change the REPL hands the checked program here. The
// pass pipeline runs again (it is cheap); the JIT runs only when the graphs
// differ from the compiled ones. Graphs are compared as printed IR with the
// values of their hyper leaves left out, because those values (lr,
// momentum, clip, ...) reach the compiled step at run time through
// gradc_step_args.hyper: a new learning rate or clip threshold goes to the
// running session without a recompile, while a new clip kind, layer or
// optimizer changes the graph and is compiled before the next run.

#ifndef GRADC_DRIVER_DRIVERREPLENGINE_H
#define GRADC_DRIVER_DRIVERREPLENGINE_H

#include "driver/DriverCodegen.h"
#include "driver/DriverPipeline.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <string>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace gradc::driver {

/// An Error whose message was already printed (by the runtime).
llvm::Error printedError();

/// The printed graphs of `pipeline` without hyper-leaf values.
std::string graphSignature(const ModelPipeline &pipeline);

class ReplEngine {
public:
  explicit ReplEngine(CodegenOptions options) : options(std::move(options)) {}
  ~ReplEngine();

  /// Builds the pipeline of train block `trainName` of `program` and makes
  /// it current, telling `out` which run-time values changed; a running
  /// session takes them at once when the graphs are unchanged. On error
  /// nothing changes.
  llvm::Error update(const ast::Program &program, const std::string &trainName,
                     llvm::raw_ostream &out);
  /// Forgets the current pipeline (the program has no train block).
  void clear() { pipeline.reset(); }

  const ModelPipeline *current() const { return pipeline.get(); }
  /// JIT-compiles the current graphs unless they are compiled already
  /// (always when `force`), printing the time it took.
  llvm::Error compile(bool force, llvm::raw_ostream &out);
  /// The runtime session of the current model, compiled and created first
  /// when needed.
  llvm::Expected<gradc_session *> session(llvm::raw_ostream &out);

private:
  void reportChanges(const ModelPipeline &next, const std::string &nextSig,
                     llvm::raw_ostream &out) const;
  gradc_model modelFor(const JitModel &compiled,
                       const ModelPipeline &graphs) const;

  CodegenOptions options;
  std::unique_ptr<ModelPipeline> pipeline;
  std::string signature; ///< of pipeline
  std::unique_ptr<JitModel> jit;
  std::string jitSignature; ///< of the graphs jit was compiled from
  gradc_session *runtime = nullptr;
};

} // namespace gradc::driver

#endif // GRADC_DRIVER_DRIVERREPLENGINE_H
