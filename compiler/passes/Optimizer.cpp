// Optimizer.cpp - SGD (plain, momentum, Nesterov) and Adam updates.
// SPDX-License-Identifier: MIT
//
// Each update is built from elementwise ops on the parameter, its clipped
// gradient, its state and scalar hyper leaves, so the whole step stays one
// graph that codegen can fuse. Adam's b^t is exp(t * log b) on scalars: no
// pow op is needed, and the two bias corrections are computed once per step
// for all parameters. Adam follows Kingma & Ba, "Adam: A Method for
// Stochastic Optimization" (ICLR 2015), algorithm 1.

#include "passes/Optimizer.h"
#include "passes/UpdateSupport.h"

namespace gradc::passes {

using ir::Node;
using ir::OpKind;

namespace {
/// The scalars every parameter's SGD update shares.
struct SgdScalars {
  Node *lr;
  Node *momentum; ///< null for plain SGD
  bool nesterov;
};

void updateSgd(ir::Builder &b, const ParamGrad &pg, const SgdScalars &s) {
  b.setLayer(pg.param->layer);
  Node *step = b.mul(s.lr, pg.grad);
  const std::string &name = pg.param->name;
  if (!s.momentum) {
    b.graph().setOutput("new." + name, b.sub(pg.param, step));
    return;
  }

  Node *velocity = stateLeaf(b, pg.param, "velocity");
  Node *newVelocity = b.sub(b.mul(s.momentum, velocity), step);
  Node *delta = newVelocity;
  if (s.nesterov)
    delta = b.sub(b.mul(s.momentum, newVelocity), step);
  b.graph().setOutput("new." + name, b.add(pg.param, delta));
  b.graph().setOutput("new." + velocity->name, newVelocity);
}

/// The scalars every parameter's Adam update shares.
struct AdamScalars {
  Node *lr, *beta1, *beta2, *eps;
  Node *oneMinusBeta1, *oneMinusBeta2;
  Node *correction1, *correction2; ///< 1 - b1^t and 1 - b2^t
};

// 1 - b^t with b^t = exp(t * log b).
Node *biasCorrection(ir::Builder &b, Node *beta, Node *t) {
  Node *power = b.exp(b.mul(t, b.log(beta)));
  return b.sub(b.scalar(1, beta->type.elem), power);
}

AdamScalars adamScalars(ir::Builder &b, const AdamConfig &cfg,
                        ir::ElemKind elem) {
  AdamScalars s;
  s.lr = hyperLeaf(b, "lr", cfg.lr, elem);
  s.beta1 = hyperLeaf(b, "beta1", cfg.beta1, elem);
  s.beta2 = hyperLeaf(b, "beta2", cfg.beta2, elem);
  s.eps = hyperLeaf(b, "eps", cfg.eps, elem);
  s.oneMinusBeta1 = b.sub(b.scalar(1, elem), s.beta1);
  s.oneMinusBeta2 = b.sub(b.scalar(1, elem), s.beta2);
  Node *t = stepLeaf(b, elem);
  s.correction1 = biasCorrection(b, s.beta1, t);
  s.correction2 = biasCorrection(b, s.beta2, t);
  return s;
}

void updateAdam(ir::Builder &b, const ParamGrad &pg, const AdamScalars &s) {
  b.setLayer(pg.param->layer);
  Node *m = stateLeaf(b, pg.param, "m");
  Node *v = stateLeaf(b, pg.param, "v");
  // No call gets two node-creating arguments: C++ leaves their order open,
  // and the printed IR must not depend on the compiler.
  Node *keptM = b.mul(s.beta1, m);
  Node *newM = b.add(keptM, b.mul(s.oneMinusBeta1, pg.grad));
  Node *keptV = b.mul(s.beta2, v);
  Node *newV = b.add(keptV, b.mul(s.oneMinusBeta2, b.square(pg.grad)));

  Node *mHat = b.div(newM, s.correction1);
  Node *vHat = b.div(newV, s.correction2);
  Node *numerator = b.mul(s.lr, mHat);
  Node *step = b.div(numerator, b.add(b.sqrt(vHat), s.eps));
  b.graph().setOutput("new." + pg.param->name, b.sub(pg.param, step));
  b.graph().setOutput("new." + m->name, newM);
  b.graph().setOutput("new." + v->name, newV);
}
} // namespace

void runSgd(ir::Graph &g, const SgdConfig &cfg) {
  std::vector<ParamGrad> grads = paramGradients(g);
  if (grads.empty())
    return;
  ir::Builder b(g);
  ir::ElemKind elem = grads.front().grad->type.elem;
  SgdScalars s{hyperLeaf(b, "lr", cfg.lr, elem), nullptr, cfg.nesterov};
  if (cfg.momentum != 0)
    s.momentum = hyperLeaf(b, "momentum", cfg.momentum, elem);
  for (const ParamGrad &pg : grads)
    updateSgd(b, pg, s);
}

void runAdam(ir::Graph &g, const AdamConfig &cfg) {
  std::vector<ParamGrad> grads = paramGradients(g);
  if (grads.empty())
    return;
  ir::Builder b(g);
  AdamScalars s = adamScalars(b, cfg, grads.front().grad->type.elem);
  for (const ParamGrad &pg : grads)
    updateAdam(b, pg, s);
}

} // namespace gradc::passes
