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
#include "passes/UpdateEmitter.h"

namespace gradc::passes {

using ir::Node;
using ir::OpKind;

namespace {
ir::ElemKind elemOf(const std::vector<ParamGrad> &grads) {
  return grads.front().grad->type.elem;
}

UpdateEmitter emitterFor(ir::Graph &g, const ParamGrad &pg) {
  return UpdateEmitter(g, pg.grad->type.elem, pg.param->layer);
}

/// The scalars every parameter's SGD update shares.
struct SgdScalars {
  Node *lr;
  Node *momentum; ///< null for plain SGD
  bool nesterov;
};

void updateSgd(ir::Graph &g, const ParamGrad &pg, const SgdScalars &s) {
  UpdateEmitter emit = emitterFor(g, pg);
  Node *step = emit.mul(s.lr, pg.grad);
  const std::string &name = pg.param->name;
  if (!s.momentum) {
    g.setOutput("new." + name, emit.sub(pg.param, step));
    return;
  }

  Node *velocity = stateLeaf(g, pg.param, "velocity");
  Node *newVelocity = emit.sub(emit.mul(s.momentum, velocity), step);
  Node *delta = newVelocity;
  if (s.nesterov)
    delta = emit.sub(emit.mul(s.momentum, newVelocity), step);
  g.setOutput("new." + name, emit.add(pg.param, delta));
  g.setOutput("new." + velocity->name, newVelocity);
}

/// The scalars every parameter's Adam update shares.
struct AdamScalars {
  Node *lr, *beta1, *beta2, *eps;
  Node *oneMinusBeta1, *oneMinusBeta2;
  Node *correction1, *correction2; ///< 1 - b1^t and 1 - b2^t
};

// 1 - b^t with b^t = exp(t * log b).
Node *biasCorrection(UpdateEmitter &emit, Node *beta, Node *t) {
  Node *power =
      emit.unary(OpKind::Exp, emit.mul(t, emit.unary(OpKind::Log, beta)));
  return emit.sub(emit.constant(1), power);
}

AdamScalars adamScalars(UpdateEmitter &emit, const AdamConfig &cfg) {
  AdamScalars s;
  s.lr = emit.hyper("lr", cfg.lr);
  s.beta1 = emit.hyper("beta1", cfg.beta1);
  s.beta2 = emit.hyper("beta2", cfg.beta2);
  s.eps = emit.hyper("eps", cfg.eps);
  s.oneMinusBeta1 = emit.sub(emit.constant(1), s.beta1);
  s.oneMinusBeta2 = emit.sub(emit.constant(1), s.beta2);
  s.correction1 = biasCorrection(emit, s.beta1, emit.step());
  s.correction2 = biasCorrection(emit, s.beta2, emit.step());
  return s;
}

void updateAdam(ir::Graph &g, const ParamGrad &pg, const AdamScalars &s) {
  UpdateEmitter emit = emitterFor(g, pg);
  Node *m = stateLeaf(g, pg.param, "m");
  Node *v = stateLeaf(g, pg.param, "v");
  Node *newM =
      emit.add(emit.mul(s.beta1, m), emit.mul(s.oneMinusBeta1, pg.grad));
  Node *gradSquared = emit.unary(OpKind::Square, pg.grad);
  Node *newV =
      emit.add(emit.mul(s.beta2, v), emit.mul(s.oneMinusBeta2, gradSquared));

  Node *mHat = emit.div(newM, s.correction1);
  Node *vHat = emit.div(newV, s.correction2);
  Node *denominator = emit.add(emit.unary(OpKind::Sqrt, vHat), s.eps);
  Node *step = emit.div(emit.mul(s.lr, mHat), denominator);
  g.setOutput("new." + pg.param->name, emit.sub(pg.param, step));
  g.setOutput("new." + m->name, newM);
  g.setOutput("new." + v->name, newV);
}
} // namespace

void runSgd(ir::Graph &g, const SgdConfig &cfg) {
  std::vector<ParamGrad> grads = paramGradients(g);
  if (grads.empty())
    return;
  UpdateEmitter emit(g, elemOf(grads));
  SgdScalars s{emit.hyper("lr", cfg.lr), nullptr, cfg.nesterov};
  if (cfg.momentum != 0)
    s.momentum = emit.hyper("momentum", cfg.momentum);
  for (const ParamGrad &pg : grads)
    updateSgd(g, pg, s);
}

void runAdam(ir::Graph &g, const AdamConfig &cfg) {
  std::vector<ParamGrad> grads = paramGradients(g);
  if (grads.empty())
    return;
  UpdateEmitter emit(g, elemOf(grads));
  AdamScalars s = adamScalars(emit, cfg);
  for (const ParamGrad &pg : grads)
    updateAdam(g, pg, s);
}

} // namespace gradc::passes
