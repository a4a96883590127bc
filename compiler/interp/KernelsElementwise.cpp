// KernelsElementwise.cpp - reference kernels of elementwise ops.
// SPDX-License-Identifier: MIT
//
// Binary and ternary ops broadcast numpy-style. NaN handling is part of the
// semantics: maximum, minimum, clamp and relu return NaN for a NaN input
// (they never behave like C's fmax), and select copies exactly one branch
// per element, so a NaN or inf in the other branch cannot leak through.

#include "interp/Kernels.h"

#include <cmath>

namespace gradc::interp {

using ir::OpKind;

namespace {
double maximumNaN(double a, double b) {
  if (std::isnan(a) || std::isnan(b))
    return std::nan("");
  return a > b ? a : b;
}

double minimumNaN(double a, double b) {
  if (std::isnan(a) || std::isnan(b))
    return std::nan("");
  return a < b ? a : b;
}

double binary(OpKind kind, double a, double b) {
  switch (kind) {
  case OpKind::Add:
    return a + b;
  case OpKind::Sub:
    return a - b;
  case OpKind::Mul:
    return a * b;
  case OpKind::Div:
    return a / b;
  case OpKind::Maximum:
    return maximumNaN(a, b);
  case OpKind::Minimum:
    return minimumNaN(a, b);
  case OpKind::Greater:
    return a > b ? 1.0 : 0.0;
  default:
    llvm_unreachable("not an elementwise binary op");
  }
}

double sigmoid(double x) {
  if (x >= 0)
    return 1.0 / (1.0 + std::exp(-x));
  double e = std::exp(x);
  return e / (1.0 + e);
}

// log(1 + e^x) = max(x, 0) + log1p(e^-|x|): no overflow for large x and no
// loss of the small result for very negative x.
double softplus(double x) {
  if (std::isnan(x))
    return x;
  return std::max(x, 0.0) + std::log1p(std::exp(-std::fabs(x)));
}

double unary(const ir::Node &node, double x) {
  switch (node.kind) {
  case OpKind::Neg:
    return -x;
  case OpKind::Exp:
    return std::exp(x);
  case OpKind::Log:
    return std::log(x);
  case OpKind::Sqrt:
    return std::sqrt(x);
  case OpKind::Square:
    return x * x;
  case OpKind::Abs:
    return std::fabs(x);
  case OpKind::Tanh:
    return std::tanh(x);
  case OpKind::Sigmoid:
    return sigmoid(x);
  case OpKind::Softplus:
    return softplus(x);
  case OpKind::Relu:
    return maximumNaN(x, 0.0);
  case OpKind::LeakyRelu:
    return x > 0 ? x : node.realAttr("alpha", 0.3) * x;
  case OpKind::Elu:
    return x > 0 ? x : node.realAttr("alpha", 1.0) * std::expm1(x);
  case OpKind::Clamp:
    return minimumNaN(maximumNaN(x, node.realAttr("lo")), node.realAttr("hi"));
  case OpKind::IsFinite:
    return std::isfinite(x) ? 1.0 : 0.0;
  default:
    llvm_unreachable("not an elementwise unary op");
  }
}

// Applies `f` to the broadcast operands at every position of the result.
template <typename F>
Tensor mapBroadcast(const ir::Node &node, Args args, const RunContext &ctx,
                    F f) {
  Tensor out = Tensor::filled(node.type, ctx.batch);
  std::vector<int64_t> shape = out.shape();
  std::vector<std::vector<int64_t>> strides;
  for (const Tensor *arg : args)
    strides.push_back(broadcastStrides(arg->shape(), shape));
  std::vector<double> values(args.size());
  for (int64_t i = 0; i < out.size(); ++i) {
    for (size_t a = 0; a < args.size(); ++a)
      values[a] = args[a]->data[offsetOf(i, shape, strides[a])];
    out.data[i] = f(values);
  }
  return out;
}
} // namespace

llvm::Expected<Tensor> evalElementwise(const ir::Node &node, Args args,
                                       const RunContext &ctx) {
  if (node.kind == OpKind::Select)
    return mapBroadcast(node, args, ctx, [](const std::vector<double> &v) {
      return v[0] != 0 ? v[1] : v[2];
    });
  if (args.size() == 2)
    return mapBroadcast(node, args, ctx, [&](const std::vector<double> &v) {
      return binary(node.kind, v[0], v[1]);
    });
  return mapBroadcast(node, args, ctx, [&](const std::vector<double> &v) {
    return unary(node, v[0]);
  });
}

} // namespace gradc::interp
