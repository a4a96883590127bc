// Builder.h - creates typed nodes in a graph, one call per op.
// SPDX-License-Identifier: MIT
//
// Passes build IR through this class: `b.add(x, y)`, `b.matmul(a, w)`,
// `b.reduceSum(x, {0}, false)`. Result types come from ShapeRules, so a pass
// never writes a shape by hand except where the op declares it (reshape,
// broadcast_to, slice, pad, the conv2d gradients, dropout_mask, leaves).
// Operands that break a shape rule are a bug in the calling pass: the builder
// stops with a fatal error that names the op and the rule.
//
// New nodes are appended to the graph and tagged with the current layer.

#ifndef GRADC_IR_BUILDER_H
#define GRADC_IR_BUILDER_H

#include "ir/Graph.h"

#include <string>
#include <vector>

namespace gradc::ir {

class Builder {
public:
  explicit Builder(Graph &graph) : graph_(graph) {}

  Graph &graph() { return graph_; }
  /// The layer recorded on every node created from now on ("" for none).
  void setLayer(std::string layer) { layer_ = std::move(layer); }
  const std::string &layer() const { return layer_; }

  /// Any op: infers the type (or checks `declared` for ops that need one).
  Node *create(OpKind kind, std::vector<Node *> operands, AttrMap attrs = {},
               const Type *declared = nullptr, std::string name = "");

  // Leaves. Names follow the conventions of Graph.h.
  Node *input(std::string name, Type type);
  Node *param(std::string name, Type type, std::string init = "");
  Node *state(std::string name, Type type);
  Node *hyper(std::string name, double value, ElemKind elem = ElemKind::F32);
  Node *constant(double value, Type type);
  Node *scalar(double value, ElemKind elem = ElemKind::F32);
  Node *batchSize(ElemKind elem = ElemKind::F32);
  Node *step(ElemKind elem = ElemKind::F32);

  // Elementwise binary, numpy broadcasting.
  Node *add(Node *a, Node *b) { return create(OpKind::Add, {a, b}); }
  Node *sub(Node *a, Node *b) { return create(OpKind::Sub, {a, b}); }
  Node *mul(Node *a, Node *b) { return create(OpKind::Mul, {a, b}); }
  Node *div(Node *a, Node *b) { return create(OpKind::Div, {a, b}); }
  Node *maximum(Node *a, Node *b) { return create(OpKind::Maximum, {a, b}); }
  Node *minimum(Node *a, Node *b) { return create(OpKind::Minimum, {a, b}); }
  Node *greater(Node *a, Node *b) { return create(OpKind::Greater, {a, b}); }
  Node *select(Node *cond, Node *a, Node *b) {
    return create(OpKind::Select, {cond, a, b});
  }

  // Elementwise unary.
  Node *unary(OpKind kind, Node *x) { return create(kind, {x}); }
  Node *neg(Node *x) { return unary(OpKind::Neg, x); }
  Node *exp(Node *x) { return unary(OpKind::Exp, x); }
  Node *log(Node *x) { return unary(OpKind::Log, x); }
  Node *sqrt(Node *x) { return unary(OpKind::Sqrt, x); }
  Node *square(Node *x) { return unary(OpKind::Square, x); }
  Node *abs(Node *x) { return unary(OpKind::Abs, x); }
  Node *tanh(Node *x) { return unary(OpKind::Tanh, x); }
  Node *sigmoid(Node *x) { return unary(OpKind::Sigmoid, x); }
  Node *softplus(Node *x) { return unary(OpKind::Softplus, x); }
  Node *relu(Node *x) { return unary(OpKind::Relu, x); }
  Node *isFinite(Node *x) { return unary(OpKind::IsFinite, x); }
  Node *leakyRelu(Node *x, double alpha);
  Node *elu(Node *x, double alpha);
  Node *clamp(Node *x, double lo, double hi);

  // Reductions and shape.
  Node *reduceSum(Node *x, std::vector<int64_t> axes, bool keepdims = false);
  Node *reduceMax(Node *x, std::vector<int64_t> axes, bool keepdims = false);
  Node *norm2(Node *x) { return unary(OpKind::Norm2, x); }
  Node *reshape(Node *x, std::vector<int64_t> dims);
  Node *transpose(Node *x, std::vector<int64_t> perm);
  Node *broadcastTo(Node *x, std::vector<int64_t> dims);
  Node *slice(Node *x, int64_t axis, int64_t begin, int64_t size);
  /// Places `x` at `begin` along `axis` inside zeros of `size` elements.
  Node *pad(Node *x, int64_t axis, int64_t begin, int64_t size);
  Node *concat(std::vector<Node *> xs, int64_t axis);

  // Linear algebra, convolution, pooling. padding is "valid" or "same".
  Node *matmul(Node *a, Node *b, bool transA = false, bool transB = false);
  Node *conv2d(Node *x, Node *kernel, std::vector<int64_t> stride,
               const std::string &padding);
  Node *conv2dGradInput(Node *dy, Node *kernel, const Type &inputType,
                        std::vector<int64_t> stride,
                        const std::string &padding);
  Node *conv2dGradKernel(Node *x, Node *dy, const Type &kernelType,
                         std::vector<int64_t> stride,
                         const std::string &padding);
  Node *maxPool2D(Node *x, std::vector<int64_t> pool,
                  std::vector<int64_t> stride, const std::string &padding);
  Node *maxPool2DGrad(Node *x, Node *dy, std::vector<int64_t> pool,
                      std::vector<int64_t> stride, const std::string &padding);

  // Losses, embeddings, regularization.
  Node *logSoftmax(Node *x) { return unary(OpKind::LogSoftmax, x); }
  Node *oneHot(Node *labels, int64_t depth);
  Node *gather(Node *table, Node *indices);
  Node *scatterAdd(Node *indices, Node *dy, int64_t rows);
  /// A keep/(1-rate)-or-0 mask of `type`, keyed by the layer name `key`.
  Node *dropoutMask(Node *step, const Type &type, double rate,
                    const std::string &key);

private:
  Graph &graph_;
  std::string layer_;
};

} // namespace gradc::ir

#endif // GRADC_IR_BUILDER_H
