// JitEngine.cpp - LLJIT set-up, explicit C library symbols, lookups.
// SPDX-License-Identifier: MIT
//
// Nothing is searched in the host process: the only external symbols the
// generated code may reference are listed here with their addresses, so a
// missing one is a clear "symbol not found" from ORC instead of a silent
// binding to whatever the process happens to export.

#include "codegen/JitEngine.h"

#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

using namespace llvm;
using namespace llvm::orc;

namespace gradc::codegen {

JitEngine::JitEngine(std::unique_ptr<LLJIT> jit) : jit_(std::move(jit)) {}
JitEngine::~JitEngine() = default;

Expected<std::unique_ptr<JitEngine>>
JitEngine::create(const CodegenOptions &options) {
  InitializeNativeTarget();
  InitializeNativeTargetAsmPrinter();
  auto builder = JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  if (!options.cpu.empty() && options.cpu != "native") {
    builder->setCPU(options.cpu);
    builder->getFeatures() = SubtargetFeatures();
  }
  if (!options.features.empty())
    builder->addFeatures({options.features});
  builder->setCodeGenOptLevel(options.optLevel == 0 ? CodeGenOptLevel::None
                              : options.optLevel == 1
                                  ? CodeGenOptLevel::Less
                              : options.optLevel == 2
                                  ? CodeGenOptLevel::Default
                                  : CodeGenOptLevel::Aggressive);
  builder->getOptions().AllowFPOpFusion = FPOpFusion::Standard;

  auto jit = LLJITBuilder().setJITTargetMachineBuilder(*builder).create();
  if (!jit)
    return jit.takeError();
  std::unique_ptr<JitEngine> engine(new JitEngine(std::move(*jit)));
  if (Error err = engine->bindRuntimeSymbols())
    return std::move(err);
  return engine;
}

Error JitEngine::bindRuntimeSymbols() {
  MangleAndInterner mangle(jit_->getExecutionSession(),
                           jit_->getDataLayout());
  auto entry = [](auto *fn) {
    return ExecutorSymbolDef(ExecutorAddr::fromPtr(fn),
                             JITSymbolFlags::Exported |
                                 JITSymbolFlags::Callable);
  };
  using F64 = double (*)(double);
  SymbolMap symbols{
      {mangle("malloc"), entry(&::malloc)},
      {mangle("free"), entry(&::free)},
      {mangle("memset"), entry(&::memset)},
      {mangle("memcpy"), entry(&::memcpy)},
      {mangle("memmove"), entry(&::memmove)},
      {mangle("exp"), entry(static_cast<F64>(&::exp))},
      {mangle("log"), entry(static_cast<F64>(&::log))},
      {mangle("tanh"), entry(static_cast<F64>(&::tanh))},
      {mangle("expm1"), entry(static_cast<F64>(&::expm1))},
      {mangle("log1p"), entry(static_cast<F64>(&::log1p))},
      {mangle("sqrt"), entry(static_cast<F64>(&::sqrt))},
  };
  return jit_->getMainJITDylib().define(absoluteSymbols(std::move(symbols)));
}

Error JitEngine::addModule(std::unique_ptr<Module> module,
                           std::unique_ptr<LLVMContext> context) {
  return jit_->addIRModule(
      ThreadSafeModule(std::move(module), std::move(context)));
}

Expected<void *> JitEngine::lookup(StringRef name) {
  auto address = jit_->lookup(name);
  if (!address)
    return address.takeError();
  return address->toPtr<void *>();
}

} // namespace gradc::codegen
