// MathFns.cpp - inline f32 transcendental functions the vectorizer can widen.
// SPDX-License-Identifier: MIT
//
// Written as plain arithmetic, integer bit manipulation and selects: no
// branches and no calls, so a loop containing them vectorizes (AVX2: 8 lanes,
// AVX-512: 16). Accuracy against the C library over the ranges used in
// training is within a few ulp (measured by CodegenMathTest). Constants: ln 2
// is split Cody-Waite style into a 9-bit head and a tail, so k * head is exact.

#include "codegen/MathFns.h"

#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/Module.h"

#include <cmath>
#include <limits>

using namespace llvm;

namespace gradc::codegen {

namespace {
constexpr double kLn2Head = 0.693359375;
constexpr double kLn2Tail = -2.12194440054690583e-4;

Value *fconst(IRBuilder<> &b, Value *like, double v) {
  return ConstantFP::get(like->getType(), v);
}

bool isF64(Value *x) { return x->getType()->getScalarType()->isDoubleTy(); }

Value *libm(IRBuilder<> &b, const char *name, Value *x) {
  Module &m = *b.GetInsertBlock()->getModule();
  FunctionCallee fn = m.getOrInsertFunction(name, x->getType(), x->getType());
  return b.CreateCall(fn, {x});
}

// c[0] + x * (c[1] + x * (c[2] + ...)).
Value *horner(IRBuilder<> &b, Value *x, ArrayRef<double> c) {
  Value *acc = fconst(b, x, c.back());
  for (size_t i = c.size() - 1; i-- > 0;)
    acc = b.CreateFAdd(fconst(b, x, c[i]), b.CreateFMul(x, acc));
  return acc;
}

Value *keepNaN(IRBuilder<> &b, Value *x, Value *result) {
  return b.CreateSelect(b.CreateFCmpUNO(x, x), x, result);
}

// 2^k for an integer-valued float k in [-150, 128], as two normal factors.
Value *scaleByPow2(IRBuilder<> &b, Value *p, Value *k) {
  Type *i32 = b.getInt32Ty();
  Value *ki = b.CreateFPToSI(k, i32);
  Value *k1 = b.CreateAShr(ki, 1);
  Value *k2 = b.CreateSub(ki, k1);
  auto pow2 = [&](Value *e) {
    Value *bits = b.CreateShl(b.CreateAdd(e, b.getInt32(127)), 23);
    return b.CreateBitCast(bits, b.getFloatTy());
  };
  return b.CreateFMul(b.CreateFMul(p, pow2(k1)), pow2(k2));
}
} // namespace

Value *emitMaxNaN(IRBuilder<> &b, Value *x, Value *y) {
  return keepNaN(b, x, b.CreateSelect(b.CreateFCmpOGT(x, y), x, y));
}

Value *emitMinNaN(IRBuilder<> &b, Value *x, Value *y) {
  return keepNaN(b, x, b.CreateSelect(b.CreateFCmpOLT(x, y), x, y));
}

Value *emitExp(IRBuilder<> &b, Value *x) {
  if (isF64(x))
    return b.CreateUnaryIntrinsic(Intrinsic::exp, x);
  // Clamp so that k stays in [-150, 128]; NaN passes through the selects.
  Value *xc = b.CreateSelect(b.CreateFCmpOGT(x, fconst(b, x, 89.0)),
                             fconst(b, x, 89.0), x);
  xc = b.CreateSelect(b.CreateFCmpOLT(xc, fconst(b, x, -104.0)),
                      fconst(b, x, -104.0), xc);
  // k = round(x / ln 2) by the 1.5 * 2^23 trick, then r = x - k ln 2.
  Value *magic = fconst(b, x, 12582912.0);
  Value *t = b.CreateFAdd(b.CreateFMul(xc, fconst(b, x, M_LOG2E)), magic);
  Value *k = b.CreateFSub(t, magic);
  Value *r = b.CreateFSub(xc, b.CreateFMul(k, fconst(b, x, kLn2Head)));
  r = b.CreateFSub(r, b.CreateFMul(k, fconst(b, x, kLn2Tail)));
  Value *p = horner(b, r,
                    {1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120,
                     1.0 / 720, 1.0 / 5040});
  return keepNaN(b, x, scaleByPow2(b, p, k));
}

Value *emitLog(IRBuilder<> &b, Value *x) {
  if (isF64(x))
    return b.CreateUnaryIntrinsic(Intrinsic::log, x);
  Type *i32 = b.getInt32Ty();
  // Subnormals are scaled into the normal range first.
  Value *tiny = b.CreateFCmpOLT(x, fconst(b, x, 1.17549435e-38));
  Value *xs = b.CreateSelect(tiny, b.CreateFMul(x, fconst(b, x, 8388608.0)), x);
  Value *bits = b.CreateBitCast(xs, i32);
  Value *e = b.CreateSub(b.CreateLShr(bits, 23), b.getInt32(127));
  e = b.CreateSub(e, b.CreateSelect(tiny, b.getInt32(23), b.getInt32(0)));
  Value *mbits = b.CreateOr(b.CreateAnd(bits, b.getInt32(0x7fffff)),
                            b.getInt32(0x3f800000));
  Value *m = b.CreateBitCast(mbits, b.getFloatTy());

  // Move m into [sqrt(1/2), sqrt(2)] so that |s| <= 0.1716.
  Value *big = b.CreateFCmpOGT(m, fconst(b, x, M_SQRT2));
  m = b.CreateSelect(big, b.CreateFMul(m, fconst(b, x, 0.5)), m);
  e = b.CreateAdd(e, b.CreateZExt(big, i32));
  Value *s = b.CreateFDiv(b.CreateFSub(m, fconst(b, x, 1.0)),
                          b.CreateFAdd(m, fconst(b, x, 1.0)));
  Value *z = b.CreateFMul(s, s);
  Value *logm = b.CreateFMul(
      s, horner(b, z, {2.0, 2.0 / 3, 2.0 / 5, 2.0 / 7, 2.0 / 9}));
  Value *ef = b.CreateSIToFP(e, x->getType());
  Value *tail = b.CreateFAdd(logm, b.CreateFMul(ef, fconst(b, x, kLn2Tail)));
  Value *res = b.CreateFAdd(b.CreateFMul(ef, fconst(b, x, kLn2Head)), tail);

  double inf = std::numeric_limits<double>::infinity();
  res = b.CreateSelect(b.CreateFCmpOLT(x, fconst(b, x, 0.0)),
                       fconst(b, x, std::nan("")), res);
  res = b.CreateSelect(b.CreateFCmpOEQ(x, fconst(b, x, 0.0)),
                       fconst(b, x, -inf), res);
  res = b.CreateSelect(b.CreateFCmpOEQ(x, fconst(b, x, inf)),
                       fconst(b, x, inf), res);
  return keepNaN(b, x, res);
}

Value *emitExpm1(IRBuilder<> &b, Value *x) {
  if (isF64(x))
    return libm(b, "expm1", x);
  Value *u = emitExp(b, x);
  Value *um1 = b.CreateFSub(u, fconst(b, x, 1.0));
  Value *res = b.CreateFDiv(b.CreateFMul(um1, x), emitLog(b, u));
  double inf = std::numeric_limits<double>::infinity();
  res = b.CreateSelect(b.CreateFCmpOEQ(u, fconst(b, x, inf)), u, res);
  res = b.CreateSelect(b.CreateFCmpOEQ(um1, fconst(b, x, -1.0)), um1, res);
  return b.CreateSelect(b.CreateFCmpOEQ(u, fconst(b, x, 1.0)), x, res);
}

Value *emitLog1p(IRBuilder<> &b, Value *x) {
  if (isF64(x))
    return libm(b, "log1p", x);
  Value *u = b.CreateFAdd(x, fconst(b, x, 1.0));
  Value *res = b.CreateFDiv(b.CreateFMul(emitLog(b, u), x),
                            b.CreateFSub(u, fconst(b, x, 1.0)));
  double inf = std::numeric_limits<double>::infinity();
  res = b.CreateSelect(b.CreateFCmpOEQ(u, fconst(b, x, inf)), u, res);
  return b.CreateSelect(b.CreateFCmpOEQ(u, fconst(b, x, 1.0)), x, res);
}

Value *emitTanh(IRBuilder<> &b, Value *x) {
  if (isF64(x))
    return libm(b, "tanh", x);
  Value *a = b.CreateUnaryIntrinsic(Intrinsic::fabs, x);
  Value *z = b.CreateFMul(a, a);
  Value *series = horner(b, z,
                         {1.0, -1.0 / 3, 2.0 / 15, -17.0 / 315, 62.0 / 2835,
                          -1382.0 / 155925, 21844.0 / 6081075,
                          -929569.0 / 638512875});
  Value *small = b.CreateFMul(a, series);
  Value *e = emitExp(b, b.CreateFAdd(a, a));
  Value *large = b.CreateFSub(
      fconst(b, x, 1.0),
      b.CreateFDiv(fconst(b, x, 2.0), b.CreateFAdd(e, fconst(b, x, 1.0))));
  Value *r = b.CreateSelect(b.CreateFCmpOLT(a, fconst(b, x, 0.4)), small,
                            large);
  return b.CreateBinaryIntrinsic(Intrinsic::copysign, r, x);
}

Value *emitSigmoid(IRBuilder<> &b, Value *x) {
  Value *e = emitExp(b, b.CreateFNeg(x));
  return b.CreateFDiv(fconst(b, x, 1.0), b.CreateFAdd(fconst(b, x, 1.0), e));
}

Value *emitSoftplus(IRBuilder<> &b, Value *x) {
  Value *a = b.CreateUnaryIntrinsic(Intrinsic::fabs, x);
  Value *tail = emitLog1p(b, emitExp(b, b.CreateFNeg(a)));
  return b.CreateFAdd(emitMaxNaN(b, x, fconst(b, x, 0.0)), tail);
}

} // namespace gradc::codegen
