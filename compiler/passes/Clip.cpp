// Clip.cpp - per-tensor, global-norm and value clipping of gradients.
// SPDX-License-Identifier: MIT
//
// Parameters are grouped by the hyper leaf that holds their threshold: the
// default rule's "clip" or a layer's "clip.<layer>". A group with a
// global_norm rule shares one factor computed from the norm of its members'
// norms (PyTorch clip_grad_norm_); the other kinds act on each member alone.
// Every rescale is a select, never an epsilon, so a zero gradient keeps a
// factor of exactly 1 and a norm equal to c leaves the gradient bit-exact.

#include "passes/Clip.h"
#include "passes/UpdateSupport.h"

#include <cassert>

namespace gradc::passes {

using ir::Node;
using ir::OpKind;

const ClipRule &ClipConfig::ruleFor(const std::string &layer) const {
  auto it = layerRules.find(layer);
  return it == layerRules.end() ? defaultRule : it->second;
}

std::string clipHyperName(const ClipConfig &cfg, const std::string &layer) {
  return cfg.layerRules.count(layer) ? "clip." + layer : "clip";
}

namespace {
/// One trainable parameter on its way through the pass.
struct ClipItem {
  Node *param;
  Node *grad;
  Node *norm = nullptr;
  Node *scale = nullptr;
};

std::vector<ClipItem> collectGradients(const ir::Graph &g) {
  std::vector<ClipItem> items;
  for (const ParamGrad &pg : paramGradients(g))
    items.push_back({pg.param, pg.grad});
  return items;
}

// norm > c ? c / norm : 1, where a non-finite norm also gives 1: scaling an
// inf gradient by c / inf = 0 would turn it into NaN and hide where it came
// from.
Node *rescaleFactor(ir::Builder &b, Node *norm, Node *c) {
  Node *over = b.greater(norm, c);
  Node *rescale = b.mul(over, b.isFinite(norm));
  Node *one = b.scalar(1, norm->type.elem);
  return b.select(rescale, b.div(c, norm), one);
}

// minimum/maximum propagate NaN, so a NaN element stays NaN. The scale is
// the fraction of elements left as they were, (N - #{|g| > c}) / N: the
// subtraction of integers is exact, so no clamping gives exactly 1 and full
// clamping exactly 0, with or without FMA contraction.
void clampValues(ir::Builder &b, ClipItem &item, Node *c) {
  Node *grad = item.grad;
  item.grad = b.minimum(b.maximum(grad, b.neg(c)), c);

  ir::ElemKind elem = grad->type.elem;
  Node *outside = sumAll(b, b.greater(b.abs(grad), c));
  Node *count = b.scalar(static_cast<double>(grad->type.numElements()), elem);
  item.scale = b.div(b.sub(count, outside), count);
}

void scaleGradient(ir::Builder &b, ClipItem &item, Node *scale) {
  item.scale = scale;
  item.grad = b.mul(item.grad, scale);
}

// Every member of a global_norm group gets the factor of the group's total.
void clipGlobal(ir::Builder &b, std::vector<ClipItem *> &group, Node *c) {
  std::vector<Node *> norms;
  for (ClipItem *item : group)
    norms.push_back(item->norm);
  Node *scale = rescaleFactor(b, normOfScalars(b, norms), c);
  for (ClipItem *item : group) {
    b.setLayer(item->param->layer);
    scaleGradient(b, *item, scale);
  }
}

// Measured only: the gradient stays the autodiff value, the factor is 1.
void keepUnclipped(ir::Builder &b, std::vector<ClipItem *> &group) {
  for (ClipItem *item : group) {
    b.setLayer(item->param->layer);
    item->scale = b.scalar(1, item->grad->type.elem);
  }
}

// Norm and value rules act on each member alone.
void clipEach(ir::Builder &b, ClipKind kind, std::vector<ClipItem *> &group,
              Node *c) {
  for (ClipItem *item : group) {
    b.setLayer(item->param->layer);
    if (kind == ClipKind::Value)
      clampValues(b, *item, c);
    else
      scaleGradient(b, *item, rescaleFactor(b, item->norm, c));
  }
}

// One group: the parameters whose threshold is the hyper leaf `hyperName`.
// Nodes shared by the group belong to the overriding layer, or to none.
void clipGroup(ir::Builder &b, const ClipConfig &cfg,
               const std::string &hyperName, std::vector<ClipItem *> &group) {
  const std::string &layer = group.front()->param->layer;
  const ClipRule &rule = cfg.ruleFor(layer);
  if (rule.kind == ClipKind::None)
    return keepUnclipped(b, group);

  assert(rule.threshold > 0 && "clip threshold must be positive");
  b.setLayer(cfg.layerRules.count(layer) ? layer : "");
  ir::ElemKind elem = group.front()->grad->type.elem;
  Node *c = hyperLeaf(b, hyperName, rule.threshold, elem);
  if (rule.kind == ClipKind::GlobalNorm)
    return clipGlobal(b, group, c);
  clipEach(b, rule.kind, group, c);
}
} // namespace

void runClip(ir::Graph &g, const ClipConfig &cfg) {
  ir::Builder b(g);
  std::vector<ClipItem> items = collectGradients(g);
  for (ClipItem &item : items) {
    b.setLayer(item.param->layer);
    item.norm = b.norm2(item.grad);
  }

  // Group by threshold leaf; std::map keeps the node order deterministic.
  std::map<std::string, std::vector<ClipItem *>> groups;
  for (ClipItem &item : items)
    groups[clipHyperName(cfg, item.param->layer)].push_back(&item);
  for (auto &[hyperName, group] : groups)
    clipGroup(b, cfg, hyperName, group);

  for (const ClipItem &item : items) {
    g.setOutput("norm." + item.param->name, item.norm);
    g.setOutput("scale." + item.param->name, item.scale);
    g.setOutput("grad." + item.param->name, item.grad);
  }
}

} // namespace gradc::passes
