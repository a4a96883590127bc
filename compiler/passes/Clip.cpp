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
#include "passes/UpdateEmitter.h"

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
Node *rescaleFactor(UpdateEmitter &emit, Node *norm, Node *c) {
  Node *over = emit.binary(OpKind::Greater, norm, c);
  Node *finite = emit.unary(OpKind::IsFinite, norm);
  Node *rescale = emit.mul(over, finite);
  return emit.select(rescale, emit.div(c, norm), emit.constant(1));
}

// minimum/maximum propagate NaN, so a NaN element stays NaN. The scale is
// the fraction of elements left as they were: 1 - #{|g| > c} / N.
void clampValues(UpdateEmitter &emit, ClipItem &item, Node *c) {
  Node *grad = item.grad;
  Node *low = emit.binary(OpKind::Maximum, grad, emit.unary(OpKind::Neg, c));
  item.grad = emit.binary(OpKind::Minimum, low, c);

  Node *magnitude = emit.unary(OpKind::Abs, grad);
  Node *outside = emit.sumAll(emit.binary(OpKind::Greater, magnitude, c));
  double count = static_cast<double>(grad->type.numElements());
  Node *fraction = emit.mul(outside, emit.constant(1 / count));
  item.scale = emit.sub(emit.constant(1), fraction);
}

void scaleGradient(UpdateEmitter &emit, ClipItem &item, Node *scale) {
  item.scale = scale;
  item.grad = emit.mul(item.grad, scale);
}

UpdateEmitter emitterFor(ir::Graph &g, const ClipItem &item) {
  return UpdateEmitter(g, item.grad->type.elem, item.param->layer);
}

// One group: the parameters whose threshold is the hyper leaf `hyperName`.
// Nodes shared by the group belong to the overriding layer, or to none.
void clipGroup(ir::Graph &g, const ClipConfig &cfg,
               const std::string &hyperName, std::vector<ClipItem *> &group) {
  const std::string &layer = group.front()->param->layer;
  const ClipRule &rule = cfg.ruleFor(layer);
  UpdateEmitter shared(g, group.front()->grad->type.elem,
                       cfg.layerRules.count(layer) ? layer : "");
  if (rule.kind == ClipKind::None) {
    for (ClipItem *item : group)
      item->scale = shared.constant(1);
    return;
  }

  assert(rule.threshold > 0 && "clip threshold must be positive");
  Node *c = shared.hyper(hyperName, rule.threshold);
  if (rule.kind == ClipKind::GlobalNorm) {
    std::vector<Node *> norms;
    for (ClipItem *item : group)
      norms.push_back(item->norm);
    Node *scale = rescaleFactor(shared, shared.normOfScalars(norms), c);
    for (ClipItem *item : group) {
      UpdateEmitter emit = emitterFor(g, *item);
      scaleGradient(emit, *item, scale);
    }
    return;
  }

  for (ClipItem *item : group) {
    UpdateEmitter emit = emitterFor(g, *item);
    if (rule.kind == ClipKind::Value)
      clampValues(emit, *item, c);
    else
      scaleGradient(emit, *item, rescaleFactor(emit, item->norm, c));
  }
}
} // namespace

void runClip(ir::Graph &g, const ClipConfig &cfg) {
  std::vector<ClipItem> items = collectGradients(g);
  for (ClipItem &item : items)
    item.norm = emitterFor(g, item).norm(item.grad);

  // Group by threshold leaf; std::map keeps the grouping deterministic.
  std::map<std::string, std::vector<ClipItem *>> groups;
  for (ClipItem &item : items)
    groups[clipHyperName(cfg, item.param->layer)].push_back(&item);
  for (auto &[hyperName, group] : groups)
    clipGroup(g, cfg, hyperName, group);

  for (const ClipItem &item : items) {
    g.setOutput("norm." + item.param->name, item.norm);
    g.setOutput("scale." + item.param->name, item.scale);
    g.setOutput("grad." + item.param->name, item.grad);
  }
}

} // namespace gradc::passes
