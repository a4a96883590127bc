// LowerLoss.cpp - mse and the cross-entropies, in stable forms.
// SPDX-License-Identifier: MIT
//
// Stable forms: binary cross-entropy from logits z is softplus(z) - y*z,
// finite for any z; categorical cross-entropy from logits is
// -sum(y * log_softmax(z)), computed by log-sum-exp.

#include "passes/LowerLoss.h"

#include "llvm/Support/ErrorHandling.h"

#include <numeric>

namespace gradc::passes {
namespace {

using ast::ActivationKind;
using ast::LossKind;
using ir::Builder;
using ir::Node;

constexpr double kProbabilityEpsilon = 1e-7;

std::vector<int64_t> allAxes(const Node *x) {
  std::vector<int64_t> axes(x->type.dims.size());
  std::iota(axes.begin(), axes.end(), 0);
  return axes;
}

int64_t lastAxisSize(const Node *x) {
  return x->type.dims.size() < 2 ? 1 : x->type.dims.back();
}

/// sum(perElement) / (rows * divisor): the Keras batch mean of a per-row
/// mean over `divisor` elements.
Node *batchMean(Builder &b, Node *perElement, int64_t divisor) {
  Node *total = b.reduceSum(perElement, allAxes(perElement));
  Node *count = b.batchSize();
  if (divisor != 1)
    count = b.mul(count, b.scalar(double(divisor)));
  return b.div(total, count);
}

Node *clippedLog(Builder &b, Node *p) {
  return b.log(b.clamp(p, kProbabilityEpsilon, 1 - kProbabilityEpsilon));
}

Node *meanSquaredError(Builder &b, Node *prediction, Node *y) {
  return batchMean(b, b.square(b.sub(prediction, y)), lastAxisSize(y));
}

Node *binaryCrossentropy(Builder &b, ActivationKind act, Node *logits,
                         Node *prediction, Node *y) {
  if (act == ActivationKind::Sigmoid) {
    Node *softplus = b.softplus(logits);
    Node *perElement = b.sub(softplus, b.mul(y, logits));
    return batchMean(b, perElement, lastAxisSize(y));
  }
  Node *one = b.scalar(1);
  Node *pos = b.mul(y, clippedLog(b, prediction));
  Node *notY = b.sub(one, y);
  Node *neg = b.mul(notY, clippedLog(b, b.sub(one, prediction)));
  return batchMean(b, b.neg(b.add(pos, neg)), lastAxisSize(y));
}

Node *categoricalCrossentropy(Builder &b, ActivationKind act, Node *logits,
                              Node *prediction, Node *oneHot) {
  Node *logp = act == ActivationKind::Softmax ? b.logSoftmax(logits)
                                              : clippedLog(b, prediction);
  return batchMean(b, b.neg(b.mul(oneHot, logp)), 1);
}

} // namespace

Node *lowerLoss(Builder &b, LossKind loss, ActivationKind lastActivation,
                Node *logits, Node *prediction, Node *y) {
  switch (loss) {
  case LossKind::MSE:
    return meanSquaredError(b, prediction, y);
  case LossKind::BinaryCrossentropy:
    return binaryCrossentropy(b, lastActivation, logits, prediction, y);
  case LossKind::CategoricalCrossentropy:
    return categoricalCrossentropy(b, lastActivation, logits, prediction, y);
  case LossKind::SparseCategoricalCrossentropy: {
    Node *oneHot = b.oneHot(y, prediction->type.dims.back());
    return categoricalCrossentropy(b, lastActivation, logits, prediction,
                                   oneHot);
  }
  }
  llvm_unreachable("unknown loss kind");
}

} // namespace gradc::passes
