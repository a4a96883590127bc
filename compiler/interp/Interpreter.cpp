// Interpreter.cpp - runs a graph node by node and dispatches to kernels.
// SPDX-License-Identifier: MIT
//
// Leaves get their values from the caller (Input, Param, State), from their
// attributes (Constant, Hyper by default) or from the run (BatchSize, step).
// Every other node runs the kernel of its kind on its operands' values; the
// result is rounded to float when the node is f32.

#include "interp/Interpreter.h"
#include "ir/Printer.h"

#include <set>

namespace gradc::interp {

using ir::OpCategoryKind;
using ir::OpKind;

llvm::Error kernelError(const ir::Node &node, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "%" + node.name + " = " +
                                     ir::opName(node.kind) + ": " + message);
}

Kernel kernelFor(OpKind kind) {
  switch (ir::opCategory(kind)) {
  case OpCategoryKind::ElementwiseBinary:
  case OpCategoryKind::ElementwiseUnary:
    return evalElementwise;
  case OpCategoryKind::Reduction:
    return evalReduction;
  case OpCategoryKind::Layout:
    return evalShape;
  case OpCategoryKind::Linear:
    return evalLinear;
  case OpCategoryKind::Pool:
    return evalPool;
  case OpCategoryKind::LossEmbed:
    return evalLossEmbed;
  case OpCategoryKind::Leaf:
    break;
  }
  llvm_unreachable("leaves have no kernel");
}

void Interpreter::setLeaf(const std::string &name, Tensor value) {
  value.roundToElemType();
  leaves_[name] = std::move(value);
}

llvm::Error Interpreter::setLeafData(const std::string &name,
                                     std::vector<double> data) {
  const ir::Node *node = graph_.find(name);
  if (!node || !ir::isLeaf(node->kind))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "no leaf named %" + name);
  Tensor t{node->type, 1, std::move(data)};
  int64_t row = node->type.numElements(1);
  if (node->type.hasBatchDim() && row > 0)
    t.batch = t.size() / row;
  if (t.size() != node->type.numElements(t.batch) || t.size() == 0)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "%" + name + " needs " + ir::formatType(node->type) + " but got " +
            std::to_string(t.size()) + " values");
  setLeaf(name, std::move(t));
  return llvm::Error::success();
}

int64_t Interpreter::batchSize() const {
  if (batch_ >= 0)
    return batch_;
  for (const auto &[name, tensor] : leaves_)
    if (tensor.type.hasBatchDim())
      return tensor.batch;
  return 1;
}

llvm::Expected<Tensor> Interpreter::leafValue(const ir::Node &node) const {
  switch (node.kind) {
  case OpKind::Constant:
    return Tensor::filled(node.type, ctx_.batch, node.realAttr("value"));
  case OpKind::BatchSize:
    return Tensor::filled(node.type, ctx_.batch, double(ctx_.batch));
  case OpKind::StepCounter:
    return Tensor::filled(node.type, ctx_.batch, double(ctx_.step));
  default:
    break;
  }
  auto it = leaves_.find(node.name);
  if (it == leaves_.end() && node.kind == OpKind::Hyper)
    return Tensor::filled(node.type, ctx_.batch, node.realAttr("value"));
  if (it == leaves_.end())
    return kernelError(node, "no value was given for this leaf");
  bool fits = it->second.type == node.type &&
              (!node.type.hasBatchDim() || it->second.batch == ctx_.batch);
  if (!fits)
    return kernelError(
        node, "the value given has type " + ir::formatType(it->second.type) +
                  " with batch " + std::to_string(it->second.batch));
  return it->second;
}

llvm::Expected<Tensor> Interpreter::evalNode(const ir::Node &node) const {
  if (ir::isLeaf(node.kind))
    return leafValue(node);
  std::vector<const Tensor *> args;
  for (const ir::Node *operand : node.operands)
    args.push_back(&values_.at(operand));
  auto result = kernelFor(node.kind)(node, args, ctx_);
  if (result)
    result->roundToElemType();
  return result;
}

static std::set<const ir::Node *> usedNodes(const ir::Graph &graph) {
  std::set<const ir::Node *> used;
  for (const auto &node : graph.nodes())
    used.insert(node->operands.begin(), node->operands.end());
  for (const ir::GraphOutput &out : graph.outputs())
    used.insert(out.value);
  return used;
}

llvm::Expected<std::map<std::string, Tensor>> Interpreter::run() {
  ctx_.batch = batchSize();
  values_.clear();
  std::set<const ir::Node *> used = usedNodes(graph_);
  for (const auto &node : graph_.nodes()) {
    // A leaf nothing reads needs no value (predict graphs declare targets
    // they never use, so all graphs of a model list the same leaves).
    if (ir::isLeaf(node->kind) && !used.count(node.get()))
      continue;
    auto value = evalNode(*node);
    if (!value)
      return value.takeError();
    values_[node.get()] = std::move(*value);
  }
  std::map<std::string, Tensor> outputs;
  for (const ir::GraphOutput &out : graph_.outputs())
    outputs[out.name] = values_.at(out.value);
  return outputs;
}

const Tensor *Interpreter::value(const std::string &name) const {
  const ir::Node *node = graph_.find(name);
  auto it = node ? values_.find(node) : values_.end();
  return it == values_.end() ? nullptr : &it->second;
}

} // namespace gradc::interp
