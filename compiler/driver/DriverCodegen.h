// DriverCodegen.h - what the tools call to JIT or emit a compiled model.
// SPDX-License-Identifier: MIT
//
// The gradc and gradi drivers hand a model's three graphs (after the pass
// pipeline) to these functions. emitArtifact writes what gcc-style flags ask
// for: -c (object), -S (assembly), -emit-llvm (.ll), -emit-header (C header)
// or, by default, a linked executable that trains the model with the runtime.
// jitModel compiles the same code in process and returns a gradc_model ready
// for gradc_train_main. With `timeCompile` set, both print the time spent in
// lowering, LLVM optimization and machine-code generation to stderr.

#ifndef GRADC_DRIVER_DRIVERCODEGEN_H
#define GRADC_DRIVER_DRIVERCODEGEN_H

#include "codegen/Codegen.h"

#include "gradc_runtime.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace gradc::codegen {
class JitEngine;
} // namespace gradc::codegen

namespace gradc::driver {

using codegen::CodegenOptions;
using codegen::ModelGraphs;

/// What emitArtifact writes.
enum class OutputKind {
  Object,     ///< -c: relocatable object with the entry points and globals
  Assembly,   ///< -S
  LLVMIR,     ///< -emit-llvm (with -S: text .ll; this backend writes text)
  Header,     ///< -emit-header: C declarations of the entry points
  Executable, ///< default: object + tiny main, linked with the runtime
};

/// Writes the artifact of `kind` for `model` to `path` ("-" is stdout for
/// the textual kinds). The executable is linked by the system `c++` with
/// libgradc_runtime.a found in <dir of the running tool>/../lib (or in
/// $GRADC_RUNTIME_LIB when set).
llvm::Error emitArtifact(const ModelGraphs &model,
                         const CodegenOptions &options, OutputKind kind,
                         llvm::StringRef path);

/// A model compiled in process. `model` stays valid while this lives.
struct JitModel {
  std::unique_ptr<codegen::JitEngine> engine;
  gradc_model model{}; ///< entry points and config; context is NULL
  ~JitModel();
};

/// JIT-compiles `model` once; the result can be passed to gradc_train_main.
llvm::Expected<std::unique_ptr<JitModel>>
jitModel(const ModelGraphs &model, const CodegenOptions &options);

/// Parses "-O2"-style levels ("0".."3"); false for anything else.
bool parseOptLevel(llvm::StringRef text, unsigned &level);

} // namespace gradc::driver

#endif // GRADC_DRIVER_DRIVERCODEGEN_H
