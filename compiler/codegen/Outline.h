// Outline.h - emitting a piece of code as its own function, called in place.
// SPDX-License-Identifier: MIT
//
// The optimizer's cost grows faster than linearly with the size of a
// function (an unrolled LSTM step is tens of thousands of blocks), so each
// kernel is emitted into a small internal function of its own and called
// from the entry point. The step stays one native function with direct
// calls: nothing is dispatched at run time. Identical kernels (the same
// loop over other buffers) are emitted once, which makes an unrolled
// recurrence cost about one time step to optimize.

#ifndef GRADC_CODEGEN_OUTLINE_H
#define GRADC_CODEGEN_OUTLINE_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/Transforms/Utils/FunctionComparator.h"

namespace gradc::codegen {

/// Emits kernels as functions, once per distinct body.
class KernelOutliner {
public:
  /// Emits `body` into a new internal, non-inlined fastcc function named
  /// `name` and a call to it at the builder's insertion point. Every value
  /// of the caller that `body` uses becomes an argument; pointer arguments
  /// are marked noalias, so distinct buffers must not overlap. The function
  /// takes the caller's target attributes and precedes it in the module.
  /// When an earlier function has the same body (the same kernel over other
  /// buffers, another time step, another entry point), it is called instead.
  void emit(llvm::IRBuilder<> &b, const llvm::Twine &name,
            llvm::function_ref<void()> body);

private:
  llvm::Function *findTwin(llvm::Function &fn);

  llvm::GlobalNumberState globals_;
  llvm::DenseMap<uint64_t, llvm::SmallVector<llvm::Function *, 2>> byHash_;
};

} // namespace gradc::codegen

#endif // GRADC_CODEGEN_OUTLINE_H
