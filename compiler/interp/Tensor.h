// Tensor.h - the values the reference interpreter computes with.
// SPDX-License-Identifier: MIT
//
// A Tensor is an IR type, the run-time batch size that gives the B dimension
// its extent, and the elements in row-major order. Elements are doubles for
// both f32 and f64 tensors; f32 values are kept rounded to float, so they are
// exactly the floats an f32 program would hold.

#ifndef GRADC_INTERP_TENSOR_H
#define GRADC_INTERP_TENSOR_H

#include "ir/Graph.h"

#include <cstdint>
#include <vector>

namespace gradc::interp {

struct Tensor {
  ir::Type type;
  int64_t batch = 1; ///< the extent of a B dimension, unused otherwise
  std::vector<double> data;

  /// A tensor of `type` with every element `value`.
  static Tensor filled(const ir::Type &type, int64_t batch, double value = 0);
  /// The dimensions with B replaced by the batch size.
  std::vector<int64_t> shape() const;
  /// Row-major strides of shape().
  std::vector<int64_t> strides() const;
  int64_t size() const { return static_cast<int64_t>(data.size()); }
  /// Rounds every element to float when the type is f32.
  void roundToElemType();
};

/// Row-major strides of `shape`.
std::vector<int64_t> rowMajorStrides(const std::vector<int64_t> &shape);

/// Strides that read an operand of shape `in` at an index of the broadcast
/// shape `out`: 0 along broadcast (size-1 or missing) dimensions.
std::vector<int64_t> broadcastStrides(const std::vector<int64_t> &in,
                                      const std::vector<int64_t> &out);

/// The offset of flat row-major position `flat` of `shape` under `strides`.
int64_t offsetOf(int64_t flat, const std::vector<int64_t> &shape,
                 const std::vector<int64_t> &strides);

} // namespace gradc::interp

#endif // GRADC_INTERP_TENSOR_H
