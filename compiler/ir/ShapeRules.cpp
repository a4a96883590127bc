// ShapeRules.cpp - shape rules of leaves, elementwise, reduction and shape ops.
// SPDX-License-Identifier: MIT
//
// The dispatcher lives here too: leaves and elementwise ops share the rule
// of their category, every other op has its own. Broadcasting follows numpy:
// shapes align at the trailing dimension and a 1 stretches. The batch
// dimension B is a size unknown until run time, so it only matches B or 1.

#include "ir/Printer.h"
#include "ir/ShapeRulesDetail.h"

#include <algorithm>
#include <set>

namespace gradc::ir {
using namespace detail;

namespace detail {
int64_t intAttr(const AttrMap &attrs, const std::string &key,
                int64_t fallback) {
  const Attr *attr = findAttr(attrs, key);
  if (auto *i = attr ? std::get_if<int64_t>(attr) : nullptr)
    return *i;
  return fallback;
}

double realAttr(const AttrMap &attrs, const std::string &key, double fallback) {
  const Attr *attr = findAttr(attrs, key);
  if (!attr)
    return fallback;
  if (auto *d = std::get_if<double>(attr))
    return *d;
  if (auto *i = std::get_if<int64_t>(attr))
    return static_cast<double>(*i);
  return fallback;
}

std::string strAttr(const AttrMap &attrs, const std::string &key,
                    const std::string &fallback) {
  const Attr *attr = findAttr(attrs, key);
  if (auto *s = attr ? std::get_if<std::string>(attr) : nullptr)
    return *s;
  return fallback;
}

std::vector<int64_t> listAttr(const AttrMap &attrs, const std::string &key,
                              std::vector<int64_t> fallback) {
  const Attr *attr = findAttr(attrs, key);
  if (auto *l = attr ? std::get_if<std::vector<int64_t>>(attr) : nullptr)
    return *l;
  return fallback;
}
} // namespace detail

bool broadcastDims(const std::vector<int64_t> &a, const std::vector<int64_t> &b,
                   std::vector<int64_t> &result) {
  size_t rank = std::max(a.size(), b.size());
  result.assign(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < a.size() ? a[a.size() - 1 - i] : 1;
    int64_t db = i < b.size() ? b[b.size() - 1 - i] : 1;
    if (da != db && da != 1 && db != 1)
      return false;
    result[rank - 1 - i] = da == 1 ? db : da;
  }
  return true;
}

namespace {
llvm::Error checkSameElem(Operands ops) {
  for (const Type *t : ops)
    if (t->elem != ops[0]->elem)
      return shapeError("operand element types " + formatType(*ops[0]) +
                        " and " + formatType(*t) + " differ");
  return llvm::Error::success();
}

llvm::Expected<Type> leafRule(OpKind kind, const AttrMap &attrs,
                              const Type &declared) {
  bool scalarOnly = kind == OpKind::Hyper || kind == OpKind::BatchSize ||
                    kind == OpKind::StepCounter;
  if (scalarOnly && !declared.isScalar())
    return shapeError("a " + std::string(opName(kind)) +
                      " leaf must be a scalar, got " + formatType(declared));
  if (kind == OpKind::Constant && !findAttr(attrs, "value"))
    return shapeError("constant needs a numeric 'value' attribute");
  return declared;
}

llvm::Expected<Type> broadcastRule(Operands ops) {
  if (auto err = checkSameElem(ops))
    return std::move(err);
  Type result{ops[0]->elem, ops[0]->dims};
  for (const Type *t : ops.drop_front()) {
    std::vector<int64_t> dims;
    if (!broadcastDims(result.dims, t->dims, dims))
      return shapeError("operand shapes " + formatDims(result.dims) + " and " +
                        formatDims(t->dims) + " do not broadcast");
    result.dims = dims;
  }
  return result;
}

llvm::Expected<Type> clampRule(Operands ops, const AttrMap &attrs) {
  if (!findAttr(attrs, "lo") || !findAttr(attrs, "hi"))
    return shapeError("clamp needs attributes 'lo' and 'hi'");
  if (realAttr(attrs, "lo", 0) > realAttr(attrs, "hi", 0))
    return shapeError("clamp bound 'lo' is greater than 'hi'");
  return *ops[0];
}

// Normalizes the axes of a reduction; an empty list means every axis.
llvm::Expected<std::vector<int64_t>> reductionAxes(const Type &in,
                                                   const AttrMap &attrs) {
  int64_t rank = static_cast<int64_t>(in.dims.size());
  std::vector<int64_t> axes = listAttr(attrs, "axes", {});
  if (axes.empty())
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  std::set<int64_t> seen;
  for (int64_t &axis : axes) {
    if (axis < -rank || axis >= rank)
      return shapeError("axis " + std::to_string(axis) +
                        " is out of range for " + formatType(in));
    axis = axis < 0 ? axis + rank : axis;
    if (!seen.insert(axis).second)
      return shapeError("axis " + std::to_string(axis) + " is repeated");
  }
  return axes;
}

llvm::Expected<Type> reduceRule(Operands ops, const AttrMap &attrs) {
  auto axes = reductionAxes(*ops[0], attrs);
  if (!axes)
    return axes.takeError();
  bool keep = intAttr(attrs, "keepdims", 0) != 0;
  Type result{ops[0]->elem, {}};
  for (size_t i = 0; i < ops[0]->dims.size(); ++i) {
    bool reduced = llvm::is_contained(*axes, static_cast<int64_t>(i));
    if (!reduced)
      result.dims.push_back(ops[0]->dims[i]);
    else if (keep)
      result.dims.push_back(1);
  }
  return result;
}

llvm::Expected<Type> reshapeRule(Operands ops, const Type &declared) {
  const Type &in = *ops[0];
  bool sameCount = in.hasBatchDim() == declared.hasBatchDim() &&
                   in.numElements() == declared.numElements();
  if (in.elem != declared.elem || !sameCount)
    return shapeError("cannot reshape " + formatType(in) + " to " +
                      formatType(declared));
  return declared;
}

llvm::Expected<Type> transposeRule(Operands ops, const AttrMap &attrs) {
  const Type &in = *ops[0];
  std::vector<int64_t> perm = listAttr(attrs, "perm", {});
  std::vector<int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  bool isPerm = sorted.size() == in.dims.size();
  for (size_t i = 0; isPerm && i < sorted.size(); ++i)
    isPerm = sorted[i] == static_cast<int64_t>(i);
  if (!isPerm)
    return shapeError("perm " + formatAttr(perm) +
                      " is not a permutation of the axes of " + formatType(in));
  Type result{in.elem, {}};
  for (int64_t axis : perm)
    result.dims.push_back(in.dims[axis]);
  if (in.hasBatchDim() && perm[0] != 0)
    return shapeError("transpose may not move the batch dimension");
  return result;
}

llvm::Expected<Type> broadcastToRule(Operands ops, const Type &declared) {
  std::vector<int64_t> dims;
  bool ok = broadcastDims(ops[0]->dims, declared.dims, dims) &&
            dims == declared.dims && ops[0]->elem == declared.elem;
  if (!ok)
    return shapeError("cannot broadcast " + formatType(*ops[0]) + " to " +
                      formatType(declared));
  return declared;
}

// slice takes `declared[axis]` elements of `big` from `begin`; pad is the
// inverse, placing `small` into zeros of the declared shape.
llvm::Expected<Type> sliceRule(const Type &big, const Type &small,
                               const AttrMap &attrs, const Type &result) {
  int64_t axis = intAttr(attrs, "axis", 0);
  int64_t begin = intAttr(attrs, "begin", 0);
  size_t rank = big.dims.size();
  if (axis < 0 || static_cast<size_t>(axis) >= rank ||
      small.dims.size() != rank || big.elem != small.elem)
    return shapeError("axis " + std::to_string(axis) + " of " +
                      formatType(big) + " cannot hold " + formatType(small));
  for (size_t i = 0; i < rank; ++i)
    if (static_cast<int64_t>(i) != axis && big.dims[i] != small.dims[i])
      return shapeError(formatType(big) + " and " + formatType(small) +
                        " differ outside axis " + std::to_string(axis));
  if (big.dims[axis] == kBatchDim || small.dims[axis] == kBatchDim)
    return shapeError("cannot slice or pad the batch dimension");
  if (begin < 0 || begin + small.dims[axis] > big.dims[axis])
    return shapeError("range [" + std::to_string(begin) + ", " +
                      std::to_string(begin + small.dims[axis]) +
                      ") is outside axis " + std::to_string(axis) + " of " +
                      formatType(big));
  return result;
}

llvm::Expected<Type> concatRule(Operands ops, const AttrMap &attrs) {
  if (ops.empty())
    return shapeError("concat needs at least one operand");
  int64_t axis = intAttr(attrs, "axis", 0);
  Type result = *ops[0];
  if (axis < 0 || static_cast<size_t>(axis) >= result.dims.size() ||
      result.dims[axis] == kBatchDim)
    return shapeError("concat axis " + std::to_string(axis) +
                      " is not a fixed axis of " + formatType(result));
  result.dims[axis] = 0;
  for (const Type *t : ops) {
    Type other = *t;
    if (other.dims.size() == result.dims.size())
      other.dims[axis] = 0;
    if (other != result)
      return shapeError("cannot concat " + formatType(*ops[0]) + " and " +
                        formatType(*t) + " on axis " + std::to_string(axis));
  }
  for (const Type *t : ops)
    result.dims[axis] += t->dims[axis];
  return result;
}

// The ops outside the leaf and elementwise families have a rule each.
llvm::Expected<Type> opSpecificRule(OpKind kind, Operands ops,
                                    const AttrMap &attrs,
                                    const Type *declared) {
  switch (kind) {
  case OpKind::ReduceSum:
  case OpKind::ReduceMax:
    return reduceRule(ops, attrs);
  case OpKind::Norm2:
    return Type{ops[0]->elem, {}};
  case OpKind::Reshape:
    return reshapeRule(ops, *declared);
  case OpKind::Transpose:
    return transposeRule(ops, attrs);
  case OpKind::BroadcastTo:
    return broadcastToRule(ops, *declared);
  case OpKind::Slice:
    return sliceRule(*ops[0], *declared, attrs, *declared);
  case OpKind::Pad:
    return sliceRule(*declared, *ops[0], attrs, *declared);
  case OpKind::Concat:
    return concatRule(ops, attrs);
  case OpKind::MatMul:
    return matmulRule(ops, attrs);
  case OpKind::Conv2D:
    return conv2dRule(ops, attrs);
  case OpKind::Conv2DGradInput:
    return conv2dGradInputRule(ops, attrs, *declared);
  case OpKind::Conv2DGradKernel:
    return conv2dGradKernelRule(ops, attrs, *declared);
  case OpKind::MaxPool2D:
    return maxPoolRule(ops, attrs);
  case OpKind::MaxPool2DGrad:
    return maxPoolGradRule(ops, attrs);
  case OpKind::LogSoftmax:
    if (ops[0]->dims.empty())
      return shapeError("log_softmax needs at least one axis");
    return *ops[0];
  case OpKind::OneHot:
    return oneHotRule(ops, attrs);
  case OpKind::Gather:
    return gatherRule(ops);
  case OpKind::ScatterAdd:
    return scatterAddRule(ops, attrs);
  case OpKind::DropoutMask:
    return dropoutMaskRule(ops, attrs, *declared);
  default:
    llvm_unreachable("a leaf or elementwise op reached opSpecificRule");
  }
}
} // namespace

bool hasDeclaredType(OpKind kind) {
  switch (kind) {
  case OpKind::Reshape:
  case OpKind::BroadcastTo:
  case OpKind::Slice:
  case OpKind::Pad:
  case OpKind::Conv2DGradInput:
  case OpKind::Conv2DGradKernel:
  case OpKind::DropoutMask:
    return true;
  default:
    return isLeaf(kind);
  }
}

llvm::Expected<Type> inferType(OpKind kind, Operands ops, const AttrMap &attrs,
                               const Type *declared) {
  assert((!hasDeclaredType(kind) || declared) && "op needs a declared type");
  int arity = opArity(kind);
  if (arity >= 0 && ops.size() != static_cast<size_t>(arity))
    return shapeError(std::string(opName(kind)) + " takes " +
                      std::to_string(arity) + " operands, got " +
                      std::to_string(ops.size()));
  switch (opCategory(kind)) {
  case OpCategoryKind::Leaf:
    return leafRule(kind, attrs, *declared);
  case OpCategoryKind::ElementwiseBinary:
    return broadcastRule(ops);
  case OpCategoryKind::ElementwiseUnary:
    // The type passes through; only clamp has attributes to check.
    if (kind == OpKind::Clamp)
      return clampRule(ops, attrs);
    return *ops[0];
  default:
    return opSpecificRule(kind, ops, attrs, declared);
  }
}

llvm::Expected<Type> inferType(const Node &node) {
  std::vector<const Type *> types;
  for (const Node *operand : node.operands)
    types.push_back(&operand->type);
  return inferType(node.kind, types, node.attrs, &node.type);
}

int64_t convOutputSize(int64_t in, int64_t k, int64_t s, bool same) {
  if (same)
    return (in + s - 1) / s;
  return in < k ? 0 : (in - k) / s + 1;
}

int64_t samePadBefore(int64_t in, int64_t k, int64_t s) {
  int64_t out = (in + s - 1) / s;
  int64_t total = std::max<int64_t>((out - 1) * s + k - in, 0);
  return total / 2;
}

} // namespace gradc::ir
