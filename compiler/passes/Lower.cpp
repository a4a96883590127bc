// Lower.cpp - expands the layers of a model into primitive graph IR ops.
// SPDX-License-Identifier: MIT
//
// One function per layer kind, each taking the value that flows into the
// layer and returning the value that flows out. The batch dimension stays
// symbolic (kBatchDim); every other dimension comes from sema's shapes.

#include "passes/Lower.h"
#include "passes/LowerLoss.h"

#include "ir/Builder.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/ErrorHandling.h"

#include <cmath>

namespace gradc::passes {
namespace {

using ast::ActivationKind;
using ast::Layer;
using ast::LayerKind;
using ir::Builder;
using ir::Node;
using ir::Type;

// Keras' SELU constants (Klambauer et al., 2017).
constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;
// AlphaDropout's saturation value, -scale * alpha of SELU.
constexpr double kAlphaDropoutValue = -kSeluAlpha * kSeluScale;

std::vector<int64_t> batched(const std::vector<int64_t> &row) {
  std::vector<int64_t> dims{ir::kBatchDim};
  dims.insert(dims.end(), row.begin(), row.end());
  return dims;
}

class LayerLowering {
public:
  LayerLowering(Builder &b, LowerModeKind mode) : b_(b), mode_(mode) {}

  Node *lower(const Layer &layer, Node *x);
  /// The value before the activation of the last lowered layer.
  Node *logits() const { return logits_; }

private:
  Node *param(const Layer &layer, const ast::ParamSpec &spec);
  Node *activate(const ast::Activation &act, Node *z);
  Node *dense(const Layer &layer, Node *x);
  Node *conv2d(const Layer &layer, Node *x);
  Node *dropout(const Layer &layer, Node *x);
  Node *alphaDropout(const Layer &layer, Node *x);
  Node *lstm(const Layer &layer, Node *x);
  struct CellState {
    Node *h, *c;
  };
  CellState lstmCell(Node *xt, CellState prev, llvm::ArrayRef<Node *> ps,
                     int64_t units);
  std::vector<Node *> params(const Layer &layer);

  Builder &b_;
  LowerModeKind mode_;
  Node *logits_ = nullptr;
};

Node *LayerLowering::param(const Layer &layer, const ast::ParamSpec &spec) {
  Node *p = b_.param(layer.name + "." + spec.name,
                     Type{ir::ElemKind::F32, spec.shape}, spec.init);
  p->attrs["trainable"] = int64_t(spec.trainable ? 1 : 0);
  p->attrs["fan_in"] = spec.fanIn;
  p->attrs["fan_out"] = spec.fanOut;
  if (spec.init == "vectors")
    p->attrs["vectors"] = layer.vectorsFile;
  return p;
}

std::vector<Node *> LayerLowering::params(const Layer &layer) {
  std::vector<Node *> nodes;
  for (const ast::ParamSpec &spec : layer.params)
    nodes.push_back(param(layer, spec));
  return nodes;
}

Node *LayerLowering::activate(const ast::Activation &act, Node *z) {
  logits_ = z;
  switch (act.kind) {
  case ActivationKind::Linear:
    return z;
  case ActivationKind::Relu:
    return b_.relu(z);
  case ActivationKind::LeakyRelu:
    return b_.leakyRelu(z, act.alpha);
  case ActivationKind::Elu:
    return b_.elu(z, act.alpha);
  case ActivationKind::Selu: {
    Node *elu = b_.elu(z, kSeluAlpha);
    return b_.mul(elu, b_.scalar(kSeluScale));
  }
  case ActivationKind::Sigmoid:
    return b_.sigmoid(z);
  case ActivationKind::Tanh:
    return b_.tanh(z);
  case ActivationKind::Softmax:
    return b_.exp(b_.logSoftmax(z));
  }
  llvm_unreachable("unknown activation kind");
}

Node *LayerLowering::dense(const Layer &layer, Node *x) {
  std::vector<Node *> ps = params(layer);
  Node *z = b_.matmul(x, ps[0]);
  if (layer.useBias)
    z = b_.add(z, ps[1]);
  return activate(layer.activation, z);
}

Node *LayerLowering::conv2d(const Layer &layer, Node *x) {
  std::vector<Node *> ps = params(layer);
  const char *padding =
      layer.padding == ast::PaddingKind::Same ? "same" : "valid";
  Node *z = b_.conv2d(x, ps[0], {layer.stride.h, layer.stride.w}, padding);
  if (layer.useBias)
    z = b_.add(z, ps[1]);
  return activate(layer.activation, z);
}

Node *LayerLowering::dropout(const Layer &layer, Node *x) {
  if (mode_ == LowerModeKind::Inference || layer.rate == 0)
    return x;
  Node *step = b_.step();
  Node *mask = b_.dropoutMask(step, x->type, layer.rate, layer.name);
  return b_.mul(x, mask);
}

// Keras AlphaDropout: dropped units take SELU's saturation value, then an
// affine map a*x + b restores zero mean and unit variance.
Node *LayerLowering::alphaDropout(const Layer &layer, Node *x) {
  if (mode_ == LowerModeKind::Inference || layer.rate == 0)
    return x;
  double keep = 1 - layer.rate;
  double a = 1 / std::sqrt(keep * (1 + layer.rate * kAlphaDropoutValue *
                                           kAlphaDropoutValue));
  double shift = -a * kAlphaDropoutValue * layer.rate;
  Node *step = b_.step();
  Node *scaled = b_.dropoutMask(step, x->type, layer.rate, layer.name);
  Node *kept = b_.mul(scaled, b_.scalar(keep)); // 1 kept, 0 dropped
  Node *dropped = b_.sub(b_.scalar(1), kept);
  Node *keptPart = b_.mul(x, kept);
  Node *droppedPart = b_.mul(dropped, b_.scalar(kAlphaDropoutValue));
  Node *mixed = b_.add(keptPart, droppedPart);
  Node *affine = b_.mul(mixed, b_.scalar(a));
  return b_.add(affine, b_.scalar(shift));
}

Node *LayerLowering::lower(const Layer &layer, Node *x) {
  b_.setLayer(layer.name);
  logits_ = nullptr;
  switch (layer.kind) {
  case LayerKind::Dense:
    return dense(layer, x);
  case LayerKind::Conv2D:
    return conv2d(layer, x);
  case LayerKind::MaxPool2D:
    return b_.maxPool2D(
        x, {layer.pool.h, layer.pool.w}, {layer.stride.h, layer.stride.w},
        layer.padding == ast::PaddingKind::Same ? "same" : "valid");
  case LayerKind::Dropout:
    return dropout(layer, x);
  case LayerKind::AlphaDropout:
    return alphaDropout(layer, x);
  case LayerKind::Flatten:
    return b_.reshape(x, batched(layer.outputShape));
  case LayerKind::Embedding:
    return b_.gather(params(layer)[0], x);
  case LayerKind::LSTM:
    return lstm(layer, x);
  }
  llvm_unreachable("unknown layer kind");
}

// One LSTM step with Keras' gate order (input, forget, cell, output):
// z = x_t W + h U + b; c' = f*c + i*tanh(z_c); h' = o*tanh(c').
LayerLowering::CellState LayerLowering::lstmCell(Node *xt, CellState prev,
                                                 llvm::ArrayRef<Node *> ps,
                                                 int64_t units) {
  // One new node per argument list: the IR's order must not depend on the
  // C++ compiler's order of evaluating function arguments.
  Node *input = b_.matmul(xt, ps[0]);
  Node *recurrent = b_.matmul(prev.h, ps[1]);
  Node *z = b_.add(b_.add(input, recurrent), ps[2]);
  Node *in = b_.sigmoid(b_.slice(z, 1, 0, units));
  Node *forget = b_.sigmoid(b_.slice(z, 1, units, units));
  Node *cand = b_.tanh(b_.slice(z, 1, 2 * units, units));
  Node *out = b_.sigmoid(b_.slice(z, 1, 3 * units, units));
  Node *keep = b_.mul(forget, prev.c);
  Node *write = b_.mul(in, cand);
  Node *c = b_.add(keep, write);
  Node *h = b_.mul(out, b_.tanh(c));
  return {h, c};
}

// The LSTM is unrolled over its static sequence length: the graph stays a
// DAG of primitive ops, so autodiff and codegen need nothing recurrent.
Node *LayerLowering::lstm(const Layer &layer, Node *x) {
  std::vector<Node *> ps = params(layer);
  int64_t steps = layer.inputShape[0], dim = layer.inputShape[1];
  int64_t units = layer.units;
  Type state{ir::ElemKind::F32, {ir::kBatchDim, units}};
  CellState cell{b_.constant(0, state), b_.constant(0, state)};
  std::vector<Node *> outputs;
  for (int64_t t = 0; t < steps; ++t) {
    Node *xt = b_.reshape(b_.slice(x, 1, t, 1), {ir::kBatchDim, dim});
    cell = lstmCell(xt, cell, ps, units);
    outputs.push_back(b_.reshape(cell.h, {ir::kBatchDim, 1, units}));
  }
  if (!layer.returnSequences)
    return cell.h;
  return outputs.size() == 1 ? outputs[0] : b_.concat(outputs, 1);
}

} // namespace

std::vector<int64_t> targetShape(const ast::ModelDecl &model,
                                 const ast::TrainDecl &train) {
  if (train.loss == ast::LossKind::SparseCategoricalCrossentropy)
    return {};
  return model.outputShape;
}

std::unique_ptr<ir::Graph> lowerModel(const ast::ModelDecl &model,
                                      const ast::TrainDecl &train,
                                      LowerModeKind mode) {
  auto graph = std::make_unique<ir::Graph>(model.name);
  Builder b(*graph);
  Node *x = b.input("x", Type{ir::ElemKind::F32, batched(model.inputShape)});
  Node *y =
      b.input("y", Type{ir::ElemKind::F32, batched(targetShape(model, train))});
  LayerLowering layers(b, mode);
  Node *out = x;
  for (const Layer &layer : model.layers)
    out = layers.lower(layer, out);

  b.setLayer("");
  const ast::Layer &last = model.layers.back();
  ast::ActivationKind act =
      layers.logits() ? last.activation.kind : ast::ActivationKind::Linear;
  Node *logits = layers.logits() ? layers.logits() : out;
  graph->setOutput("prediction", out);
  graph->setOutput("loss", lowerLoss(b, train.loss, act, logits, out, y));
  return graph;
}

} // namespace gradc::passes
