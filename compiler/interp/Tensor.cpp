// Tensor.cpp - shapes, strides and rounding of interpreter tensors.
// SPDX-License-Identifier: MIT
//
// Index arithmetic is done the slow, obvious way: a flat position is split
// into coordinates and recombined with another tensor's strides.

#include "interp/Tensor.h"

namespace gradc::interp {

Tensor Tensor::filled(const ir::Type &type, int64_t batch, double value) {
  Tensor t;
  t.type = type;
  t.batch = batch;
  t.data.assign(type.numElements(batch), value);
  t.roundToElemType();
  return t;
}

std::vector<int64_t> Tensor::shape() const {
  std::vector<int64_t> dims = type.dims;
  for (int64_t &d : dims)
    d = d == ir::kBatchDim ? batch : d;
  return dims;
}

std::vector<int64_t> Tensor::strides() const {
  return rowMajorStrides(shape());
}

void Tensor::roundToElemType() {
  if (type.elem != ir::ElemKind::F32)
    return;
  for (double &v : data)
    v = static_cast<double>(static_cast<float>(v));
}

std::vector<int64_t> rowMajorStrides(const std::vector<int64_t> &shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;)
    strides[i - 1] = strides[i] * shape[i];
  return strides;
}

std::vector<int64_t> broadcastStrides(const std::vector<int64_t> &in,
                                      const std::vector<int64_t> &out) {
  std::vector<int64_t> own = rowMajorStrides(in);
  std::vector<int64_t> strides(out.size(), 0);
  size_t shift = out.size() - in.size();
  for (size_t i = 0; i < in.size(); ++i)
    strides[shift + i] = in[i] == 1 ? 0 : own[i];
  return strides;
}

int64_t offsetOf(int64_t flat, const std::vector<int64_t> &shape,
                 const std::vector<int64_t> &strides) {
  int64_t offset = 0;
  for (size_t i = shape.size(); i-- > 0;) {
    offset += (flat % shape[i]) * strides[i];
    flat /= shape[i];
  }
  return offset;
}

} // namespace gradc::interp
