// KernelsShape.cpp - reference kernels of reductions and data movement.
// SPDX-License-Identifier: MIT
//
// Reductions visit the input in row-major order and add into the output
// position the reduced coordinates collapse to. norm2 scales by the largest
// magnitude before squaring, so f32 values near 1e20 (whose squares overflow
// even some f64 intermediate schemes) still give their exact norm.

#include "interp/Kernels.h"

#include <cmath>

namespace gradc::interp {

using ir::OpKind;

namespace {
// The strides that map an input coordinate to its reduced output position:
// zero along reduced axes.
std::vector<int64_t> reducedStrides(const ir::Node &node, const Tensor &in) {
  std::vector<int64_t> axes = node.listAttr("axes");
  std::vector<int64_t> kept = in.shape();
  int64_t rank = static_cast<int64_t>(kept.size());
  for (int64_t i = 0; i < rank; ++i) {
    bool reduced = axes.empty() || llvm::is_contained(axes, i) ||
                   llvm::is_contained(axes, i - rank);
    if (reduced)
      kept[i] = 1;
  }
  std::vector<int64_t> strides = rowMajorStrides(kept);
  for (int64_t i = 0; i < rank; ++i)
    strides[i] = kept[i] == 1 ? 0 : strides[i];
  return strides;
}

Tensor reduce(const ir::Node &node, const Tensor &in, const RunContext &ctx) {
  bool isMax = node.kind == OpKind::ReduceMax;
  Tensor out = Tensor::filled(node.type, ctx.batch, isMax ? -INFINITY : 0.0);
  std::vector<int64_t> shape = in.shape();
  std::vector<int64_t> strides = reducedStrides(node, in);
  for (int64_t i = 0; i < in.size(); ++i) {
    double &acc = out.data[offsetOf(i, shape, strides)];
    double x = in.data[i];
    if (!isMax)
      acc += x;
    else if (std::isnan(x) || x > acc)
      acc = std::isnan(acc) ? acc : x;
  }
  return out;
}

double norm2(const Tensor &in) {
  double largest = 0;
  for (double x : in.data) {
    if (std::isnan(x))
      return x;
    largest = std::max(largest, std::fabs(x));
  }
  if (largest == 0 || std::isinf(largest))
    return largest;
  double sum = 0;
  for (double x : in.data)
    sum += (x / largest) * (x / largest);
  return largest * std::sqrt(sum);
}

Tensor transpose(const ir::Node &node, const Tensor &in,
                 const RunContext &ctx) {
  Tensor out = Tensor::filled(node.type, ctx.batch);
  std::vector<int64_t> perm = node.listAttr("perm");
  std::vector<int64_t> inStrides = in.strides(), permuted;
  for (int64_t axis : perm)
    permuted.push_back(inStrides[axis]);
  std::vector<int64_t> shape = out.shape();
  for (int64_t i = 0; i < out.size(); ++i)
    out.data[i] = in.data[offsetOf(i, shape, permuted)];
  return out;
}

// Copies `small` into `big` at offset `begin` along `axis` (pad), or the
// reverse (slice).
Tensor moveWindow(const ir::Node &node, const Tensor &in, const RunContext &ctx,
                  bool toBig) {
  Tensor out = Tensor::filled(node.type, ctx.batch);
  const Tensor &small = toBig ? in : out;
  const Tensor &big = toBig ? out : in;
  int64_t axis = node.intAttr("axis"), begin = node.intAttr("begin");
  std::vector<int64_t> shape = small.shape(), bigStrides = big.strides();
  int64_t base = begin * bigStrides[axis];
  for (int64_t i = 0; i < small.size(); ++i) {
    int64_t j = base + offsetOf(i, shape, bigStrides);
    if (toBig)
      out.data[j] = in.data[i];
    else
      out.data[i] = in.data[j];
  }
  return out;
}

Tensor concat(const ir::Node &node, Args args, const RunContext &ctx) {
  Tensor out = Tensor::filled(node.type, ctx.batch);
  int64_t axis = node.intAttr("axis");
  std::vector<int64_t> outStrides = out.strides();
  int64_t begin = 0;
  for (const Tensor *arg : args) {
    std::vector<int64_t> shape = arg->shape();
    for (int64_t i = 0; i < arg->size(); ++i)
      out.data[begin * outStrides[axis] + offsetOf(i, shape, outStrides)] =
          arg->data[i];
    begin += shape[axis];
  }
  return out;
}
} // namespace

llvm::Expected<Tensor> evalReduction(const ir::Node &node, Args args,
                                     const RunContext &ctx) {
  if (node.kind == OpKind::Norm2)
    return Tensor::filled(node.type, ctx.batch, norm2(*args[0]));
  return reduce(node, *args[0], ctx);
}

llvm::Expected<Tensor> evalShape(const ir::Node &node, Args args,
                                 const RunContext &ctx) {
  const Tensor &in = *args[0];
  switch (node.kind) {
  case OpKind::Reshape: {
    Tensor out = in;
    out.type = node.type;
    return out;
  }
  case OpKind::BroadcastTo: {
    Tensor out = Tensor::filled(node.type, ctx.batch);
    std::vector<int64_t> shape = out.shape();
    std::vector<int64_t> strides = broadcastStrides(in.shape(), shape);
    for (int64_t i = 0; i < out.size(); ++i)
      out.data[i] = in.data[offsetOf(i, shape, strides)];
    return out;
  }
  case OpKind::Transpose:
    return transpose(node, in, ctx);
  case OpKind::Slice:
    return moveWindow(node, in, ctx, /*toBig=*/false);
  case OpKind::Pad:
    return moveWindow(node, in, ctx, /*toBig=*/true);
  case OpKind::Concat:
    return concat(node, args, ctx);
  default:
    llvm_unreachable("not a shape op");
  }
}

} // namespace gradc::interp
