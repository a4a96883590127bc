// ClipOptimizerEval.h - a tiny evaluator for the clip and optimizer tests.
// SPDX-License-Identifier: MIT
//
// The clip and optimizer tests check the graphs those passes build against
// numbers worked out by hand. This evaluator knows only the ops the passes
// emit (scalar-with-tensor or same-shape elementwise ops, select, norm2,
// whole-tensor reduce_sum, reshape, concat) and computes in double, rounding
// f32 results to float after every op. It is written apart from the
// reference interpreter so that the two can check each other.

#ifndef GRADC_TEST_CLIPOPTIMIZEREVAL_H
#define GRADC_TEST_CLIPOPTIMIZEREVAL_H

#include "ir/Graph.h"
#include "ir/Parser.h"

#include <cmath>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace gradc::updateeval {

using Values = std::vector<double>;
/// Leaf name -> its elements; hyper leaves not bound read their attr value.
using Bindings = std::map<std::string, Values>;

inline std::unique_ptr<ir::Graph> parseOrDie(const std::string &text) {
  auto graph = ir::parseGraph(text, "test.gir");
  if (!graph)
    throw std::runtime_error(llvm::toString(graph.takeError()));
  return std::move(*graph);
}

namespace detail {
inline double unaryOp(ir::OpKind kind, double x) {
  switch (kind) {
  case ir::OpKind::Neg:
    return -x;
  case ir::OpKind::Exp:
    return std::exp(x);
  case ir::OpKind::Log:
    return std::log(x);
  case ir::OpKind::Sqrt:
    return std::sqrt(x);
  case ir::OpKind::Square:
    return x * x;
  case ir::OpKind::Abs:
    return std::fabs(x);
  case ir::OpKind::IsFinite:
    return std::isfinite(x) ? 1 : 0;
  default:
    throw std::runtime_error("evaluator: unexpected unary op");
  }
}

inline double binaryOp(ir::OpKind kind, double a, double b) {
  switch (kind) {
  case ir::OpKind::Add:
    return a + b;
  case ir::OpKind::Sub:
    return a - b;
  case ir::OpKind::Mul:
    return a * b;
  case ir::OpKind::Div:
    return a / b;
  case ir::OpKind::Greater:
    return a > b ? 1 : 0;
  case ir::OpKind::Maximum:
    return std::isnan(a) || a > b ? a : b;
  case ir::OpKind::Minimum:
    return std::isnan(a) || a < b ? a : b;
  default:
    throw std::runtime_error("evaluator: unexpected binary op");
  }
}

/// Element i of an operand broadcast to `size` (scalar or same shape).
inline double at(const Values &v, size_t i) { return v[v.size() == 1 ? 0 : i]; }
} // namespace detail

class Evaluator {
public:
  explicit Evaluator(Bindings bindings) : bindings_(std::move(bindings)) {}

  const Values &value(const ir::Node *node) {
    auto it = cache_.find(node);
    if (it != cache_.end())
      return it->second;
    Values result = compute(node);
    if (node->type.elem == ir::ElemKind::F32)
      for (double &x : result)
        x = static_cast<float>(x);
    return cache_[node] = std::move(result);
  }

private:
  Values leaf(const ir::Node *node) {
    auto it = bindings_.find(node->name);
    if (it != bindings_.end())
      return it->second;
    if (node->kind == ir::OpKind::Hyper || node->kind == ir::OpKind::Constant)
      return {node->realAttr("value")};
    throw std::runtime_error("evaluator: unbound leaf " + node->name);
  }

  Values compute(const ir::Node *node) {
    if (ir::isLeaf(node->kind))
      return leaf(node);
    std::vector<const Values *> in;
    size_t size = 1;
    for (const ir::Node *operand : node->operands) {
      in.push_back(&value(operand));
      size = std::max(size, in.back()->size());
    }
    switch (node->kind) {
    case ir::OpKind::Norm2: {
      double sum = 0;
      for (double x : *in[0])
        sum += x * x;
      return {std::sqrt(sum)};
    }
    case ir::OpKind::ReduceSum: {
      double sum = 0;
      for (double x : *in[0])
        sum += x;
      return {sum};
    }
    case ir::OpKind::Reshape:
      return *in[0];
    case ir::OpKind::Concat: {
      Values all;
      for (const Values *v : in)
        all.insert(all.end(), v->begin(), v->end());
      return all;
    }
    default:
      break;
    }
    Values out(size);
    for (size_t i = 0; i < size; ++i) {
      if (node->kind == ir::OpKind::Select)
        out[i] = detail::at(*in[0], i) != 0 ? detail::at(*in[1], i)
                                            : detail::at(*in[2], i);
      else if (in.size() == 1)
        out[i] = detail::unaryOp(node->kind, detail::at(*in[0], i));
      else
        out[i] = detail::binaryOp(node->kind, detail::at(*in[0], i),
                                  detail::at(*in[1], i));
    }
    return out;
  }

  Bindings bindings_;
  std::map<const ir::Node *, Values> cache_;
};

/// The value of the graph output `name` under `bindings`.
inline Values evalOutput(const ir::Graph &g, const Bindings &bindings,
                         const std::string &name) {
  const ir::Node *node = g.output(name);
  if (!node)
    throw std::runtime_error("no output " + name);
  Evaluator eval(bindings);
  return eval.value(node);
}

} // namespace gradc::updateeval

#endif // GRADC_TEST_CLIPOPTIMIZEREVAL_H
