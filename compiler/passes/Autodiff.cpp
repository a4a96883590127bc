// Autodiff.cpp - the reverse-mode driver: walk, accumulate, reduce, prune.
// SPDX-License-Identifier: MIT
//
// Reverse-mode differentiation over a graph in topological order (the
// "backpropagation" of Rumelhart, Hinton and Williams, 1986). The driver owns
// every concern shared by the rules in GradientRules.h, so each rule is a few
// lines: it sums the gradients of a value used several times, sums a
// gradient over the axes along which an operand was broadcast, and asks a
// rule only for operands that lead to a trainable parameter.

#include "passes/Autodiff.h"
#include "passes/GradientRules.h"

#include <cassert>
#include <unordered_map>
#include <unordered_set>

namespace gradc::passes {
using ir::Node;
using ir::OpKind;

namespace {
bool isTrainable(const Node &node) {
  return node.kind == OpKind::Param && node.intAttr("trainable", 1) != 0;
}

class Differentiator {
public:
  explicit Differentiator(ir::Graph &graph) : graph_(graph), b_(graph) {}
  llvm::Error run();

private:
  void markNodesThatNeedGradients();
  llvm::Error propagate(Node &node);
  void accumulate(Node *target, Node *grad);
  Node *sumToShape(Node *grad, const ir::Type &type);
  void addGradientOutputs();

  ir::Graph &graph_;
  ir::Builder b_;
  std::unordered_set<const Node *> needsGrad_;
  std::unordered_map<const Node *, Node *> grads_;
};

llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

// A value needs a gradient when it is a trainable param or is computed,
// through differentiable ops, from one.
void Differentiator::markNodesThatNeedGradients() {
  for (const auto &node : graph_.nodes()) {
    bool depends = isTrainable(*node);
    if (!isNonDifferentiable(node->kind))
      for (const Node *operand : node->operands)
        depends = depends || needsGrad_.count(operand);
    if (depends)
      needsGrad_.insert(node.get());
  }
}

llvm::Error Differentiator::run() {
  Node *loss = graph_.output("loss");
  if (!loss)
    return makeError("autodiff needs an output named 'loss'");
  if (!loss->type.isScalar())
    return makeError("autodiff needs a scalar 'loss', got %" + loss->name);
  markNodesThatNeedGradients();
  if (needsGrad_.count(loss))
    grads_[loss] = b_.constant(1.0, loss->type);

  // New nodes are appended, so the forward nodes are fixed up front.
  std::vector<Node *> forward;
  for (const auto &node : graph_.nodes())
    forward.push_back(node.get());
  for (auto it = forward.rbegin(); it != forward.rend(); ++it)
    if (auto err = propagate(**it))
      return err;
  addGradientOutputs();
  return llvm::Error::success();
}

llvm::Error Differentiator::propagate(Node &node) {
  auto found = grads_.find(&node);
  if (found == grads_.end() || ir::isLeaf(node.kind))
    return llvm::Error::success();
  GradientRule rule = findGradientRule(node.kind);
  if (!rule)
    return makeError(llvm::Twine("no gradient rule for op '") +
                     ir::opName(node.kind) + "' (%" + node.name + ")");

  GradientInput in{b_, node, found->second, {}};
  for (const Node *operand : node.operands)
    in.wanted.push_back(needsGrad_.count(operand) != 0);
  b_.setLayer(node.layer);
  OperandGrads grads = rule(in);
  assert(grads.size() == node.operands.size() && "one gradient per operand");
  for (size_t i = 0; i < grads.size(); ++i)
    if (in.wanted[i] && grads[i])
      accumulate(node.operands[i], grads[i]);
  return llvm::Error::success();
}

void Differentiator::accumulate(Node *target, Node *grad) {
  grad = sumToShape(grad, target->type);
  Node *&sum = grads_[target];
  sum = sum ? b_.add(sum, grad) : grad;
}

// Undoes numpy broadcasting: sums the leading axes the operand lacks and the
// axes where it had size 1, then restores its exact shape.
Node *Differentiator::sumToShape(Node *grad, const ir::Type &type) {
  const std::vector<int64_t> &from = grad->type.dims, &to = type.dims;
  if (from == to)
    return grad;
  size_t extra = from.size() - to.size();
  std::vector<int64_t> axes;
  for (size_t i = 0; i < from.size(); ++i)
    if (i < extra || (to[i - extra] == 1 && from[i] != 1))
      axes.push_back(static_cast<int64_t>(i));
  Node *sum = axes.empty() ? grad : b_.reduceSum(grad, axes);
  return sum->type.dims == to ? sum : b_.reshape(sum, to);
}

void Differentiator::addGradientOutputs() {
  for (Node *param : graph_.leaves(OpKind::Param)) {
    if (!isTrainable(*param))
      continue;
    Node *grad = grads_.count(param) ? grads_[param] : nullptr;
    if (!grad) {
      b_.setLayer(param->layer);
      grad = b_.constant(0.0, param->type);
    }
    graph_.setOutput("grad." + param->name, grad);
  }
}
} // namespace

llvm::Error runAutodiff(ir::Graph &graph) {
  return Differentiator(graph).run();
}

} // namespace gradc::passes
