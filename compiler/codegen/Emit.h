// Emit.h - what ahead-of-time compilation writes: code, header, main.
// SPDX-License-Identifier: MIT
//
// The AOT path shares everything with the JIT up to the optimized module;
// these functions turn that module into an object or assembly file, write
// the C header a program includes to call a compiled model, and add the
// `main` of a standalone training executable.

#ifndef GRADC_CODEGEN_EMIT_H
#define GRADC_CODEGEN_EMIT_H

#include "codegen/Codegen.h"

#include <string>

namespace llvm {
class raw_pwrite_stream;
} // namespace llvm

namespace gradc::codegen {

/// Writes `module` as an object file (or assembly text) to `out`.
llvm::Error emitMachineCode(llvm::Module &module, llvm::TargetMachine &target,
                            bool assembly, llvm::raw_pwrite_stream &out);

/// The C header declaring the model's entry points and globals.
std::string headerText(const ModelGraphs &model);

/// Adds `int main(argc, argv)` returning
/// gradc_train_main(&<model>_model, argc, argv).
void addTrainMain(llvm::Module &module, const std::string &modelName);

} // namespace gradc::codegen

#endif // GRADC_CODEGEN_EMIT_H
