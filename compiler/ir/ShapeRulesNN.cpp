// ShapeRulesNN.cpp - shape rules of matmul, convolution, pooling, embeddings.
// SPDX-License-Identifier: MIT
//
// Images are NHWC and kernels HWIO. Window attributes are lists of two
// (stride [sh, sw], pool [ph, pw]) and padding is "valid" or "same" with the
// Keras/TensorFlow meaning. Gradient ops check their declared result against
// the forward rule: conv2d of the result must give the upstream shape.

#include "ir/Printer.h"
#include "ir/ShapeRulesDetail.h"

namespace gradc::ir::detail {

namespace {
struct Window {
  std::vector<int64_t> size, stride;
  bool same = false;
};

llvm::Expected<Window> readWindow(const AttrMap &attrs,
                                  std::vector<int64_t> size,
                                  std::vector<int64_t> defaultStride) {
  Window w{size, listAttr(attrs, "stride", defaultStride), false};
  std::string padding = strAttr(attrs, "padding", "valid");
  if (padding != "valid" && padding != "same")
    return shapeError("padding must be \"valid\" or \"same\", got \"" +
                      padding + "\"");
  w.same = padding == "same";
  bool positive = w.size.size() == 2 && w.stride.size() == 2;
  for (size_t i = 0; positive && i < 2; ++i)
    positive = w.size[i] > 0 && w.stride[i] > 0;
  if (!positive)
    return shapeError("window size and stride must be two positive numbers");
  return w;
}

bool isImage(const Type &t) {
  if (t.dims.size() != 4)
    return false;
  for (size_t i = 1; i < 4; ++i)
    if (t.dims[i] <= 0)
      return false;
  return true;
}

// The NHWC output of sliding window `w` over image `x` with `channels`.
llvm::Expected<Type> windowOutput(const Type &x, const Window &w,
                                  int64_t channels) {
  if (!isImage(x))
    return shapeError("expected an NHWC image, got " + formatType(x));
  Type out{x.elem, {x.dims[0], 0, 0, channels}};
  for (int i = 0; i < 2; ++i) {
    out.dims[1 + i] =
        convOutputSize(x.dims[1 + i], w.size[i], w.stride[i], w.same);
    if (out.dims[1 + i] <= 0)
      return shapeError("window " + formatAttr(w.size) +
                        " is larger than image " + formatType(x));
  }
  return out;
}

llvm::Expected<Type> convForward(const Type &x, const Type &k,
                                 const AttrMap &attrs) {
  if (k.dims.size() != 4 || !isImage(x) || k.dims[2] != x.dims[3] ||
      k.elem != x.elem)
    return shapeError("conv2d of " + formatType(x) + " with kernel " +
                      formatType(k) + " needs an HWIO kernel with " +
                      "matching input channels");
  auto w = readWindow(attrs, {k.dims[0], k.dims[1]}, {1, 1});
  if (!w)
    return w.takeError();
  return windowOutput(x, *w, k.dims[3]);
}

llvm::Error expectShape(const Type &got, const Type &want,
                        const llvm::Twine &what) {
  if (got == want)
    return llvm::Error::success();
  return shapeError(what + " is " + formatType(got) + ", expected " +
                    formatType(want));
}
} // namespace

llvm::Expected<Type> matmulRule(Operands ops, const AttrMap &attrs) {
  const Type &a = *ops[0], &b = *ops[1];
  if (a.dims.size() != 2 || b.dims.size() != 2 || a.elem != b.elem)
    return shapeError("matmul needs two matrices of one element type, got " +
                      formatType(a) + " and " + formatType(b));
  bool ta = intAttr(attrs, "transpose_a", 0),
       tb = intAttr(attrs, "transpose_b", 0);
  int64_t m = a.dims[ta ? 1 : 0], ka = a.dims[ta ? 0 : 1];
  int64_t kb = b.dims[tb ? 1 : 0], n = b.dims[tb ? 0 : 1];
  if (ka != kb)
    return shapeError("matmul inner dimensions differ: " + formatType(a) +
                      (ta ? "^T" : "") + " x " + formatType(b) +
                      (tb ? "^T" : ""));
  if (n == kBatchDim)
    return shapeError("matmul result would have the batch dimension second");
  return Type{a.elem, {m, n}};
}

llvm::Expected<Type> conv2dRule(Operands ops, const AttrMap &attrs) {
  return convForward(*ops[0], *ops[1], attrs);
}

llvm::Expected<Type> conv2dGradInputRule(Operands ops, const AttrMap &attrs,
                                         const Type &declared) {
  auto dy = convForward(declared, *ops[1], attrs);
  if (!dy)
    return dy.takeError();
  if (auto err = expectShape(*ops[0], *dy, "upstream gradient"))
    return std::move(err);
  return declared;
}

llvm::Expected<Type> conv2dGradKernelRule(Operands ops, const AttrMap &attrs,
                                          const Type &declared) {
  auto dy = convForward(*ops[0], declared, attrs);
  if (!dy)
    return dy.takeError();
  if (auto err = expectShape(*ops[1], *dy, "upstream gradient"))
    return std::move(err);
  return declared;
}

llvm::Expected<Type> maxPoolRule(Operands ops, const AttrMap &attrs) {
  std::vector<int64_t> pool = listAttr(attrs, "pool", {2, 2});
  auto w = readWindow(attrs, pool, pool);
  if (!w)
    return w.takeError();
  const Type &x = *ops[0];
  return windowOutput(x, *w, x.dims.size() == 4 ? x.dims[3] : 0);
}

llvm::Expected<Type> maxPoolGradRule(Operands ops, const AttrMap &attrs) {
  auto dy = maxPoolRule(ops.take_front(), attrs);
  if (!dy)
    return dy.takeError();
  if (auto err = expectShape(*ops[1], *dy, "upstream gradient"))
    return std::move(err);
  return *ops[0];
}

llvm::Expected<Type> oneHotRule(Operands ops, const AttrMap &attrs) {
  int64_t depth = intAttr(attrs, "depth", 0);
  if (depth <= 0)
    return shapeError("one_hot needs a positive 'depth' attribute");
  Type result = *ops[0];
  result.dims.push_back(depth);
  return result;
}

llvm::Expected<Type> gatherRule(Operands ops) {
  const Type &table = *ops[0], &indices = *ops[1];
  if (table.dims.size() != 2 || table.hasBatchDim() ||
      table.elem != indices.elem)
    return shapeError("gather needs a [V,D] table of the indices' element "
                      "type, got " +
                      formatType(table));
  Type result = indices;
  result.dims.push_back(table.dims[1]);
  return result;
}

llvm::Expected<Type> scatterAddRule(Operands ops, const AttrMap &attrs) {
  const Type &indices = *ops[0], &dy = *ops[1];
  int64_t rows = intAttr(attrs, "rows", 0);
  if (rows <= 0)
    return shapeError("scatter_add needs a positive 'rows' attribute");
  if (dy.dims.size() != indices.dims.size() + 1 || dy.elem != indices.elem ||
      !std::equal(indices.dims.begin(), indices.dims.end(), dy.dims.begin()))
    return shapeError("scatter_add values " + formatType(dy) +
                      " must be the indices " + formatType(indices) +
                      " with one more axis");
  return Type{dy.elem, {rows, dy.dims.back()}};
}

llvm::Expected<Type> dropoutMaskRule(Operands ops, const AttrMap &attrs,
                                     const Type &declared) {
  if (!ops[0]->isScalar())
    return shapeError("dropout_mask takes the scalar step, got " +
                      formatType(*ops[0]));
  double rate = realAttr(attrs, "rate", -1);
  if (!(rate >= 0 && rate < 1))
    return shapeError("dropout_mask needs a 'rate' in [0, 1)");
  return declared;
}

} // namespace gradc::ir::detail
