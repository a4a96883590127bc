// Builder.cpp - typed node creation on top of the shape rules.
// SPDX-License-Identifier: MIT
//
// Each helper only packs attributes; create() asks ShapeRules for the type,
// so the builder and the verifier can never disagree on a shape.

#include "ir/Builder.h"
#include "ir/Printer.h"
#include "ir/ShapeRules.h"

#include "llvm/Support/ErrorHandling.h"

namespace gradc::ir {

Node *Builder::create(OpKind kind, std::vector<Node *> operands, AttrMap attrs,
                      const Type *declared, std::string name) {
  std::vector<const Type *> types;
  for (const Node *operand : operands)
    types.push_back(&operand->type);
  auto type = inferType(kind, types, attrs, declared);
  if (!type) {
    std::string message = llvm::toString(type.takeError());
    llvm::report_fatal_error(llvm::Twine("builder: ") + opName(kind) + ": " +
                             message);
  }
  return graph_.create(kind, std::move(operands), *type, std::move(attrs),
                       std::move(name), layer_);
}

Node *Builder::input(std::string name, Type type) {
  return create(OpKind::Input, {}, {}, &type, std::move(name));
}

Node *Builder::param(std::string name, Type type, std::string init) {
  AttrMap attrs;
  if (!init.empty())
    attrs["init"] = std::move(init);
  return create(OpKind::Param, {}, std::move(attrs), &type, std::move(name));
}

Node *Builder::state(std::string name, Type type) {
  return create(OpKind::State, {}, {}, &type, std::move(name));
}

Node *Builder::hyper(std::string name, double value, ElemKind elem) {
  Type type{elem, {}};
  return create(OpKind::Hyper, {}, {{"value", value}}, &type, std::move(name));
}

Node *Builder::constant(double value, Type type) {
  return create(OpKind::Constant, {}, {{"value", value}}, &type);
}

Node *Builder::scalar(double value, ElemKind elem) {
  return constant(value, Type{elem, {}});
}

Node *Builder::batchSize(ElemKind elem) {
  Type type{elem, {}};
  return create(OpKind::BatchSize, {}, {}, &type);
}

Node *Builder::step(ElemKind elem) {
  Type type{elem, {}};
  return create(OpKind::StepCounter, {}, {}, &type);
}

Node *Builder::leakyRelu(Node *x, double alpha) {
  return create(OpKind::LeakyRelu, {x}, {{"alpha", alpha}});
}

Node *Builder::elu(Node *x, double alpha) {
  return create(OpKind::Elu, {x}, {{"alpha", alpha}});
}

Node *Builder::clamp(Node *x, double lo, double hi) {
  return create(OpKind::Clamp, {x}, {{"lo", lo}, {"hi", hi}});
}

Node *Builder::reduceSum(Node *x, std::vector<int64_t> axes, bool keepdims) {
  return create(OpKind::ReduceSum, {x},
                {{"axes", std::move(axes)}, {"keepdims", int64_t(keepdims)}});
}

Node *Builder::reduceMax(Node *x, std::vector<int64_t> axes, bool keepdims) {
  return create(OpKind::ReduceMax, {x},
                {{"axes", std::move(axes)}, {"keepdims", int64_t(keepdims)}});
}

Node *Builder::reshape(Node *x, std::vector<int64_t> dims) {
  Type type{x->type.elem, std::move(dims)};
  return create(OpKind::Reshape, {x}, {}, &type);
}

Node *Builder::transpose(Node *x, std::vector<int64_t> perm) {
  return create(OpKind::Transpose, {x}, {{"perm", std::move(perm)}});
}

Node *Builder::broadcastTo(Node *x, std::vector<int64_t> dims) {
  Type type{x->type.elem, std::move(dims)};
  return create(OpKind::BroadcastTo, {x}, {}, &type);
}

Node *Builder::slice(Node *x, int64_t axis, int64_t begin, int64_t size) {
  Type type = x->type;
  type.dims[axis] = size;
  return create(OpKind::Slice, {x}, {{"axis", axis}, {"begin", begin}}, &type);
}

Node *Builder::pad(Node *x, int64_t axis, int64_t begin, int64_t size) {
  Type type = x->type;
  type.dims[axis] = size;
  return create(OpKind::Pad, {x}, {{"axis", axis}, {"begin", begin}}, &type);
}

Node *Builder::concat(std::vector<Node *> xs, int64_t axis) {
  return create(OpKind::Concat, std::move(xs), {{"axis", axis}});
}

Node *Builder::matmul(Node *a, Node *b, bool transA, bool transB) {
  return create(
      OpKind::MatMul, {a, b},
      {{"transpose_a", int64_t(transA)}, {"transpose_b", int64_t(transB)}});
}

Node *Builder::conv2d(Node *x, Node *kernel, std::vector<int64_t> stride,
                      const std::string &padding) {
  return create(OpKind::Conv2D, {x, kernel},
                {{"stride", std::move(stride)}, {"padding", padding}});
}

Node *Builder::conv2dGradInput(Node *dy, Node *kernel, const Type &inputType,
                               std::vector<int64_t> stride,
                               const std::string &padding) {
  return create(OpKind::Conv2DGradInput, {dy, kernel},
                {{"stride", std::move(stride)}, {"padding", padding}},
                &inputType);
}

Node *Builder::conv2dGradKernel(Node *x, Node *dy, const Type &kernelType,
                                std::vector<int64_t> stride,
                                const std::string &padding) {
  return create(OpKind::Conv2DGradKernel, {x, dy},
                {{"stride", std::move(stride)}, {"padding", padding}},
                &kernelType);
}

Node *Builder::maxPool2D(Node *x, std::vector<int64_t> pool,
                         std::vector<int64_t> stride,
                         const std::string &padding) {
  return create(OpKind::MaxPool2D, {x},
                {{"pool", std::move(pool)},
                 {"stride", std::move(stride)},
                 {"padding", padding}});
}

Node *Builder::maxPool2DGrad(Node *x, Node *dy, std::vector<int64_t> pool,
                             std::vector<int64_t> stride,
                             const std::string &padding) {
  return create(OpKind::MaxPool2DGrad, {x, dy},
                {{"pool", std::move(pool)},
                 {"stride", std::move(stride)},
                 {"padding", padding}});
}

Node *Builder::oneHot(Node *labels, int64_t depth) {
  return create(OpKind::OneHot, {labels}, {{"depth", depth}});
}

Node *Builder::gather(Node *table, Node *indices) {
  return create(OpKind::Gather, {table, indices});
}

Node *Builder::scatterAdd(Node *indices, Node *dy, int64_t rows) {
  return create(OpKind::ScatterAdd, {indices, dy}, {{"rows", rows}});
}

Node *Builder::dropoutMask(Node *step, const Type &type, double rate,
                           const std::string &key) {
  return create(OpKind::DropoutMask, {step}, {{"rate", rate}, {"key", key}},
                &type);
}

} // namespace gradc::ir
