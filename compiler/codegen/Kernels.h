// Kernels.h - the loops that compute one graph node each.
// SPDX-License-Identifier: MIT
//
// Each kernel writes the node's whole value into its buffer and reads its
// operands through GraphLowering::read, so an inlined operand expression is
// evaluated in the kernel's loop. Kernels are grouped by op family:
// Elementwise.cpp, Reductions.cpp, MatMul.cpp, Conv.cpp.

#ifndef GRADC_CODEGEN_KERNELS_H
#define GRADC_CODEGEN_KERNELS_H

#include "codegen/Lowering.h"

namespace gradc::codegen {

/// The value of per-element node `n` at `idx`, from its operands' values.
llvm::Value *evalElementwise(GraphLowering &L, const Node *n,
                             const Index &idx);
/// A loop over `n`'s elements storing evalElementwise.
void lowerElementwise(GraphLowering &L, const Node *n);
/// True when lowerKernel (or lowerElementwise) handles `kind`.
bool hasKernel(ir::OpKind kind);
/// Dispatches a node that is not per-element to its family's kernel.
void lowerKernel(GraphLowering &L, const Node *n);

void lowerReduce(GraphLowering &L, const Node *n);
void lowerNorm2(GraphLowering &L, const Node *n);
void lowerLogSoftmax(GraphLowering &L, const Node *n);
void lowerMatMul(GraphLowering &L, const Node *n);
void lowerConv2D(GraphLowering &L, const Node *n);
void lowerConv2DGradInput(GraphLowering &L, const Node *n);
void lowerConv2DGradKernel(GraphLowering &L, const Node *n);
void lowerMaxPool2D(GraphLowering &L, const Node *n);
void lowerMaxPool2DGrad(GraphLowering &L, const Node *n);
void lowerScatterAdd(GraphLowering &L, const Node *n);

} // namespace gradc::codegen

#endif // GRADC_CODEGEN_KERNELS_H
