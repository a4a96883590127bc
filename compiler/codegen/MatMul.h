// MatMul.h - what the matmul loop shapes (MatMul.cpp, MatMulTile.cpp) share.
// SPDX-License-Identifier: MIT
//
// A product C = op(A) * op(B), op a transpose or not, with C [M, N]. N is a
// constant; M and K may be the run-time batch.

#ifndef GRADC_CODEGEN_MATMUL_H
#define GRADC_CODEGEN_MATMUL_H

#include "codegen/Lowering.h"

namespace gradc::codegen {

/// The operands of one product and its extents.
struct MatMulShape {
  const Node *a, *b;
  bool ta, tb;
  llvm::Value *m, *k;
  int64_t n;
};

/// op(A)[m, k] and op(B)[k, n], whatever the operands' layout and storage.
llvm::Value *readA(GraphLowering &L, const MatMulShape &s, llvm::Value *m,
                   llvm::Value *k);
llvm::Value *readB(GraphLowering &L, const MatMulShape &s, llvm::Value *k,
                   llvm::Value *n);

/// C = A * B for B read along rows (no transpose), in tiles of C kept in
/// vector registers across the k loop. Each element of C is accumulated
/// from zero over k in increasing order, one contractable multiply-add per
/// step, exactly as a plain C[m,:] += A[m,k] * B[k,:] loop would.
void lowerTiledMatMul(GraphLowering &L, const Node *c, const MatMulShape &s);

} // namespace gradc::codegen

#endif // GRADC_CODEGEN_MATMUL_H
