// Kernels.h - one reference kernel per op kind, grouped by op family.
// SPDX-License-Identifier: MIT
//
// A kernel computes a node's value from its operands' values in double
// precision; the interpreter rounds the result to f32 afterwards when the
// node is f32. Kernels assume a verified graph (shapes already agree) and
// fail only on data errors the verifier cannot see, like a gather index
// outside its table.

#ifndef GRADC_INTERP_KERNELS_H
#define GRADC_INTERP_KERNELS_H

#include "interp/Tensor.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

namespace gradc::interp {

/// What a step knows besides its tensors.
struct RunContext {
  int64_t batch = 1;
  int64_t step = 1;
  uint64_t seed = 0;
};

using Args = llvm::ArrayRef<const Tensor *>;
using Kernel = llvm::Expected<Tensor> (*)(const ir::Node &, Args,
                                          const RunContext &);

/// The kernel of a non-leaf op kind: one family per category of Ops.def,
/// except that both elementwise categories share evalElementwise.
Kernel kernelFor(ir::OpKind kind);

// The families, one file each; each dispatches on node.kind.
llvm::Expected<Tensor> evalElementwise(const ir::Node &, Args,
                                       const RunContext &);
llvm::Expected<Tensor> evalReduction(const ir::Node &, Args,
                                     const RunContext &);
llvm::Expected<Tensor> evalShape(const ir::Node &, Args, const RunContext &);
llvm::Expected<Tensor> evalLinear(const ir::Node &, Args, const RunContext &);
llvm::Expected<Tensor> evalPool(const ir::Node &, Args, const RunContext &);
llvm::Expected<Tensor> evalLossEmbed(const ir::Node &, Args,
                                     const RunContext &);

/// A kernel failure: "%name = kind: message".
llvm::Error kernelError(const ir::Node &node, const llvm::Twine &message);

} // namespace gradc::interp

#endif // GRADC_INTERP_KERNELS_H
