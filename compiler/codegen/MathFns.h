// MathFns.h - vectorizable exp, log, tanh, sigmoid, softplus, expm1.
// SPDX-License-Identifier: MIT
//
// For f32 the functions are emitted inline as straight-line IR (range
// reduction, a polynomial, selects for the special values), so the loop
// vectorizer widens them like any arithmetic and no vector math library is
// needed at JIT or link time. f64 (gradient checks) calls the C library.
//  exp:  x = k ln2 + r, |r| <= ln2/2, Taylor degree 7, scale by 2^k in two
//        halves so overflow and subnormal results come out right;
//  log:  x = 2^e m, m in [sqrt(1/2), sqrt(2)], log m = 2 atanh((m-1)/(m+1));
//  tanh: odd Taylor series below 0.4, 1 - 2 / (exp(2|x|) + 1) above;
//  expm1 and log1p use Kahan's correction of the rounded argument.

#ifndef GRADC_CODEGEN_MATHFNS_H
#define GRADC_CODEGEN_MATHFNS_H

#include "llvm/IR/IRBuilder.h"

namespace gradc::codegen {

llvm::Value *emitExp(llvm::IRBuilder<> &b, llvm::Value *x);
llvm::Value *emitLog(llvm::IRBuilder<> &b, llvm::Value *x);
llvm::Value *emitExpm1(llvm::IRBuilder<> &b, llvm::Value *x);
llvm::Value *emitLog1p(llvm::IRBuilder<> &b, llvm::Value *x);
llvm::Value *emitTanh(llvm::IRBuilder<> &b, llvm::Value *x);
/// 1 / (1 + exp(-x)).
llvm::Value *emitSigmoid(llvm::IRBuilder<> &b, llvm::Value *x);
/// max(x, 0) + log1p(exp(-|x|)).
llvm::Value *emitSoftplus(llvm::IRBuilder<> &b, llvm::Value *x);
/// Maximum and minimum that return NaN when either operand is NaN.
llvm::Value *emitMaxNaN(llvm::IRBuilder<> &b, llvm::Value *x, llvm::Value *y);
llvm::Value *emitMinNaN(llvm::IRBuilder<> &b, llvm::Value *x, llvm::Value *y);

} // namespace gradc::codegen

#endif // GRADC_CODEGEN_MATHFNS_H
