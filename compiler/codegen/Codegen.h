// Codegen.h - lowering of a model's graphs to one LLVM module.
// SPDX-License-Identifier: MIT
//
// A model is three verified graphs (train, eval, predict) sharing the same
// Param leaves in the same order. lowerModel turns them into one module with
// the entry points of runtime/gradc_runtime.h, the `<model>_config` string and
// the `<model>_model` descriptor. Every shape is a compile-time constant except
// the leading batch dimension; intermediates live in one scratch arena per
// entry point, planned once and sized for `maxBatch` rows (a larger batch is
// served by a buffer grown once at run time). JIT and AOT share this code and
// differ only in where the optimized module goes (JitEngine.h, Emit.h).

#ifndef GRADC_CODEGEN_CODEGEN_H
#define GRADC_CODEGEN_CODEGEN_H

#include "ir/Graph.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
class raw_ostream;
} // namespace llvm

namespace gradc::codegen {

/// The three graphs of one model and what the runtime needs to call them.
/// The graphs are owned by the caller and must outlive the call.
struct ModelGraphs {
  std::string name;       ///< model name: symbol prefix `<name>_train_step`
  std::string configJson; ///< the runtime's JSON description, verbatim
  const ir::Graph *train = nullptr;   ///< may be null: entry point traps
  const ir::Graph *eval = nullptr;    ///< may be null: entry point traps
  const ir::Graph *predict = nullptr; ///< may be null: entry point traps
  /// train_step's out_metrics layout: output names of the train graph, in
  /// order (the config's "metrics" array).
  std::vector<std::string> metrics;
  /// Rows the scratch arenas are sized for (the config's batch).
  int64_t maxBatch = 32;
};

/// Code-generation options shared by JIT and AOT.
struct CodegenOptions {
  unsigned optLevel = 2;      ///< -O0 .. -O3
  std::string cpu = "native"; ///< -mcpu / -march; "native" is the host
  std::string features;       ///< extra "+avx2,-avx512f"; host's if native
  std::string triple;         ///< empty: the host triple
  bool timeCompile = false;   ///< print the time of each stage to stderr
};

/// Seconds spent in each stage of one compilation.
struct CompileTimes {
  double lowering = 0;    ///< graph -> LLVM IR
  double optimization = 0; ///< LLVM middle-end pipeline
  double machineCode = 0;  ///< instruction selection to object/asm
  void print(llvm::raw_ostream &os) const;
};

/// A target machine for `options` (host CPU and features for "native").
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const CodegenOptions &options);

/// Lowers the model's graphs into a new module for `target` (not yet
/// optimized). Fails when a metric is not an output of the train graph or a
/// graph uses an op this backend cannot lower.
llvm::Expected<std::unique_ptr<llvm::Module>>
lowerModel(const ModelGraphs &model, llvm::LLVMContext &context,
           llvm::TargetMachine &target);

/// Runs the LLVM middle-end pipeline of `optLevel` over `module`.
void optimizeModule(llvm::Module &module, llvm::TargetMachine &target,
                    unsigned optLevel);

} // namespace gradc::codegen

#endif // GRADC_CODEGEN_CODEGEN_H
