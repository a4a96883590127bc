// UpdateEmitter.h - builds the elementwise arithmetic of clip and optimizers.
// SPDX-License-Identifier: MIT
//
// Clipping and the optimizer updates are short formulas over one gradient
// tensor and a few run-time scalars. An UpdateEmitter appends those formulas
// to a graph: every node it creates belongs to one layer, and its type is
// the operand type of highest rank, because every formula here combines a
// tensor with scalars or with tensors of its own shape. Hyper-parameters are
// `hyper` leaves looked up by name, so a pass run twice or two passes that
// need "lr" share one leaf.

#ifndef GRADC_PASSES_UPDATEEMITTER_H
#define GRADC_PASSES_UPDATEEMITTER_H

#include "ir/Graph.h"

#include <string>
#include <vector>

namespace gradc::passes {

/// A parameter and its gradient output "grad.<param>".
struct ParamGrad {
  ir::Node *param;
  ir::Node *grad;
};

/// Every parameter that has a "grad.<param>" output, in graph order: the
/// trainable ones, since autodiff differentiates no frozen parameter.
std::vector<ParamGrad> paramGradients(const ir::Graph &g);

/// The `state` leaf "<param>.<slot>", shaped like the parameter; created on
/// first use.
ir::Node *stateLeaf(ir::Graph &g, const ir::Node *param,
                    const std::string &slot);

class UpdateEmitter {
public:
  UpdateEmitter(ir::Graph &graph, ir::ElemKind elem, std::string layer = "")
      : graph_(graph), elem_(elem), layer_(std::move(layer)) {}

  /// The `hyper` leaf named `name`; created with attr value = `value` when
  /// the graph has none yet, otherwise returned unchanged.
  ir::Node *hyper(const std::string &name, double value);
  /// The 1-based `step` leaf, created on first use.
  ir::Node *step();
  /// A scalar constant.
  ir::Node *constant(double value);

  ir::Node *unary(ir::OpKind kind, ir::Node *x);
  ir::Node *binary(ir::OpKind kind, ir::Node *a, ir::Node *b);
  /// cond != 0 ? a : b.
  ir::Node *select(ir::Node *cond, ir::Node *a, ir::Node *b);
  /// The whole-tensor L2 norm (norm2), a scalar.
  ir::Node *norm(ir::Node *x);
  /// The sum of every element of `x`, a scalar.
  ir::Node *sumAll(ir::Node *x);
  /// sqrt(sum of squares) of scalars, as one overflow-safe norm2.
  ir::Node *normOfScalars(const std::vector<ir::Node *> &scalars);

  ir::Node *add(ir::Node *a, ir::Node *b) {
    return binary(ir::OpKind::Add, a, b);
  }
  ir::Node *sub(ir::Node *a, ir::Node *b) {
    return binary(ir::OpKind::Sub, a, b);
  }
  ir::Node *mul(ir::Node *a, ir::Node *b) {
    return binary(ir::OpKind::Mul, a, b);
  }
  ir::Node *div(ir::Node *a, ir::Node *b) {
    return binary(ir::OpKind::Div, a, b);
  }

private:
  ir::Type scalarType() const { return ir::Type{elem_, {}}; }
  ir::Node *leaf(ir::OpKind kind, const std::string &name, double value);

  ir::Graph &graph_;
  ir::ElemKind elem_;
  std::string layer_;
};

} // namespace gradc::passes

#endif // GRADC_PASSES_UPDATEEMITTER_H
