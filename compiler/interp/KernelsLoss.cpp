// KernelsLoss.cpp - reference kernels of losses, embeddings and dropout.
// SPDX-License-Identifier: MIT
//
// Labels and indices travel as floats. one_hot of a label that is not an
// integer in [0, depth) is a row of zeros (as in TensorFlow); gather and
// scatter_add of such an index are data errors and stop the run. The dropout
// mask comes from CounterRng.h, element by element, so codegen can reproduce
// it bit for bit.

#include "interp/Kernels.h"
#include "ir/CounterRng.h"

#include <cmath>

namespace gradc::interp {

using ir::OpKind;

namespace {
// x - (m + log(sum(exp(x - m)))) over each row of the last axis.
Tensor logSoftmax(const ir::Node &node, const Tensor &x,
                  const RunContext &ctx) {
  Tensor out = Tensor::filled(node.type, ctx.batch);
  int64_t width = x.shape().back();
  for (int64_t row = 0; row < x.size() / width; ++row) {
    const double *in = &x.data[row * width];
    double m = -INFINITY;
    for (int64_t i = 0; i < width; ++i)
      m = std::isnan(in[i]) || in[i] > m ? in[i] : m;
    double sum = 0;
    for (int64_t i = 0; i < width; ++i)
      sum += std::exp(in[i] - m);
    double lse = m + std::log(sum);
    for (int64_t i = 0; i < width; ++i)
      out.data[row * width + i] = in[i] - lse;
  }
  return out;
}

// The integer a float label or index stands for, or -1.
int64_t asIndex(double value, int64_t limit) {
  if (!(value >= 0 && value < static_cast<double>(limit)) ||
      value != std::floor(value))
    return -1;
  return static_cast<int64_t>(value);
}

Tensor oneHot(const ir::Node &node, const Tensor &labels,
              const RunContext &ctx) {
  Tensor out = Tensor::filled(node.type, ctx.batch);
  int64_t depth = node.intAttr("depth");
  for (int64_t i = 0; i < labels.size(); ++i) {
    int64_t label = asIndex(labels.data[i], depth);
    if (label >= 0)
      out.data[i * depth + label] = 1;
  }
  return out;
}

llvm::Expected<Tensor> gatherOrScatter(const ir::Node &node, Args args,
                                       const RunContext &ctx) {
  bool isGather = node.kind == OpKind::Gather;
  const Tensor &indices = isGather ? *args[1] : *args[0];
  Tensor out = Tensor::filled(node.type, ctx.batch);
  std::vector<int64_t> table = isGather ? args[0]->shape() : out.shape();
  int64_t rows = table[0], width = table[1];
  for (int64_t i = 0; i < indices.size(); ++i) {
    int64_t row = asIndex(indices.data[i], rows);
    if (row < 0)
      return kernelError(node, "index " + std::to_string(indices.data[i]) +
                                   " is not a row of the " +
                                   std::to_string(rows) + "-row table");
    for (int64_t d = 0; d < width; ++d) {
      if (isGather)
        out.data[i * width + d] = args[0]->data[row * width + d];
      else
        out.data[row * width + d] += args[1]->data[i * width + d];
    }
  }
  return out;
}

uint64_t dropoutKey(const ir::Node &node) {
  auto it = node.attrs.find("key");
  if (it == node.attrs.end())
    return 0;
  if (auto *name = std::get_if<std::string>(&it->second))
    return ir::rngKeyFromName(*name);
  return static_cast<uint64_t>(node.intAttr("key"));
}

Tensor dropoutMask(const ir::Node &node, const Tensor &step,
                   const RunContext &ctx) {
  Tensor out = Tensor::filled(node.type, ctx.batch);
  double rate = node.realAttr("rate");
  uint64_t seed = node.attrs.count("seed")
                      ? static_cast<uint64_t>(node.intAttr("seed"))
                      : ctx.seed;
  uint64_t stepIndex = static_cast<uint64_t>(step.data[0]);
  uint64_t key = dropoutKey(node), threshold = ir::dropoutThreshold(rate);
  double scale = ir::dropoutScale(rate);
  for (int64_t i = 0; i < out.size(); ++i) {
    uint64_t h = ir::counterHash(seed, stepIndex, key, uint64_t(i));
    out.data[i] = ir::dropoutKeeps(h, threshold) ? scale : 0.0;
  }
  return out;
}
} // namespace

llvm::Expected<Tensor> evalLossEmbed(const ir::Node &node, Args args,
                                     const RunContext &ctx) {
  switch (node.kind) {
  case OpKind::LogSoftmax:
    return logSoftmax(node, *args[0], ctx);
  case OpKind::OneHot:
    return oneHot(node, *args[0], ctx);
  case OpKind::Gather:
  case OpKind::ScatterAdd:
    return gatherOrScatter(node, args, ctx);
  case OpKind::DropoutMask:
    return dropoutMask(node, *args[0], ctx);
  default:
    llvm_unreachable("not a loss or embedding op");
  }
}

} // namespace gradc::interp
