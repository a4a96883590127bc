// JitEngine.h - in-process compilation of a model's module with ORC.
// SPDX-License-Identifier: MIT
//
// The shape of the ORC tutorial's KaleidoscopeJIT: a static create() that
// returns Expected, one LLJIT with its main JITDylib, and the few C library
// functions compiled code may call bound explicitly as absolute symbols
// (malloc/free for a grown arena, memset/memcpy from idiom recognition, the
// f64 math functions). The engine compiles the module's code on the first
// lookup; the target is the same CPU and features as for AOT.

#ifndef GRADC_CODEGEN_JITENGINE_H
#define GRADC_CODEGEN_JITENGINE_H

#include "codegen/Codegen.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace llvm {
namespace orc {
class LLJIT;
} // namespace orc
} // namespace llvm

namespace gradc::codegen {

class JitEngine {
public:
  ~JitEngine();

  /// An engine targeting the CPU and features of `options`.
  static llvm::Expected<std::unique_ptr<JitEngine>>
  create(const CodegenOptions &options);

  /// Adds an (already optimized) module; `context` must own it.
  llvm::Error addModule(std::unique_ptr<llvm::Module> module,
                        std::unique_ptr<llvm::LLVMContext> context);

  /// The address of `name`, compiling what it needs first.
  llvm::Expected<void *> lookup(llvm::StringRef name);

private:
  explicit JitEngine(std::unique_ptr<llvm::orc::LLJIT> jit);
  llvm::Error bindRuntimeSymbols();

  std::unique_ptr<llvm::orc::LLJIT> jit_;
};

} // namespace gradc::codegen

#endif // GRADC_CODEGEN_JITENGINE_H
