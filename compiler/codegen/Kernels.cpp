// Kernels.cpp - which kernel lowers which op.
// SPDX-License-Identifier: MIT
//
// The dispatch from OpKind to the kernel families; per-element ops are
// handled by lowerElementwise before this is consulted.

#include "codegen/Kernels.h"

namespace gradc::codegen {

using ir::OpKind;

bool hasKernel(OpKind kind) {
  switch (kind) {
  case OpKind::ReduceSum:
  case OpKind::ReduceMax:
  case OpKind::Norm2:
  case OpKind::LogSoftmax:
  case OpKind::MatMul:
  case OpKind::Conv2D:
  case OpKind::Conv2DGradInput:
  case OpKind::Conv2DGradKernel:
  case OpKind::MaxPool2D:
  case OpKind::MaxPool2DGrad:
  case OpKind::ScatterAdd:
    return true;
  default:
    return isPerElement(kind);
  }
}

void lowerKernel(GraphLowering &L, const Node *n) {
  switch (n->kind) {
  case OpKind::ReduceSum:
  case OpKind::ReduceMax:
    return lowerReduce(L, n);
  case OpKind::Norm2:
    return lowerNorm2(L, n);
  case OpKind::LogSoftmax:
    return lowerLogSoftmax(L, n);
  case OpKind::MatMul:
    return lowerMatMul(L, n);
  case OpKind::Conv2D:
    return lowerConv2D(L, n);
  case OpKind::Conv2DGradInput:
    return lowerConv2DGradInput(L, n);
  case OpKind::Conv2DGradKernel:
    return lowerConv2DGradKernel(L, n);
  case OpKind::MaxPool2D:
    return lowerMaxPool2D(L, n);
  case OpKind::MaxPool2DGrad:
    return lowerMaxPool2DGrad(L, n);
  case OpKind::ScatterAdd:
    return lowerScatterAdd(L, n);
  default:
    llvm_unreachable("op without a kernel reached lowerKernel");
  }
}

} // namespace gradc::codegen
