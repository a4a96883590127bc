// Batcher.cpp - epoch row order and batch gathering.
// SPDX-License-Identifier: MIT
//
// Rows are copied into contiguous batch buffers so the compiled step sees a
// dense [batch, ...] tensor whatever the order.
#include "Batcher.h"

#include <algorithm>
#include <cassert>
#include <numeric>

namespace gradc::rt {

Batcher::Batcher(const Dataset &data, int64_t batchSize, bool shuffle)
    : data(data), batchSize(batchSize), shuffle(shuffle), rowOrder(data.rows) {
  assert(batchSize > 0 && "batch size is checked by the options");
  std::iota(rowOrder.begin(), rowOrder.end(), 0);
}

void Batcher::beginEpoch(SplitMix64 &rng) {
  std::iota(rowOrder.begin(), rowOrder.end(), 0);
  if (!shuffle)
    return;
  for (int64_t i = data.rows - 1; i > 0; --i)
    std::swap(rowOrder[i], rowOrder[rng.below(uint64_t(i) + 1)]);
}

int64_t Batcher::batchCount() const {
  return (data.rows + batchSize - 1) / batchSize;
}

int64_t Batcher::batchRows(int64_t index) const {
  return std::min(batchSize, data.rows - index * batchSize);
}

void Batcher::gather(int64_t index, float *x, float *y) const {
  int64_t first = index * batchSize;
  for (int64_t i = 0; i < batchRows(index); ++i) {
    int64_t row = rowOrder[first + i];
    std::copy_n(&data.x[row * data.xWidth], data.xWidth, x + i * data.xWidth);
    std::copy_n(&data.y[row * data.yWidth], data.yWidth, y + i * data.yWidth);
  }
}

} // namespace gradc::rt
