// Batcher.h - split a Dataset into the batches of one epoch.
// SPDX-License-Identifier: MIT
//
// As Keras does: the row order is shuffled at the start of every epoch
// (Fisher-Yates driven by the run's shuffle stream) unless shuffling is off,
// and the last partial batch is kept, so 500 rows in batches of 32 give 15
// batches of 32 and one of 20. The order is rebuilt from 0..rows-1 every
// epoch, so the RNG position alone determines it (resumable).
#ifndef GRADC_RUNTIME_BATCHER_H
#define GRADC_RUNTIME_BATCHER_H

#include "Dataset.h"
#include "Rng.h"

namespace gradc::rt {

class Batcher {
public:
  Batcher(const Dataset &data, int64_t batchSize, bool shuffle);

  /// Fixes the row order of the next epoch, drawing from `rng` if shuffling.
  void beginEpoch(SplitMix64 &rng);
  int64_t batchCount() const;
  /// Real rows in batch `index` (the last one may be short).
  int64_t batchRows(int64_t index) const;
  /// Copies batch `index` into x ([batchRows, xWidth]) and y.
  void gather(int64_t index, float *x, float *y) const;
  const std::vector<int64_t> &order() const { return rowOrder; }

private:
  const Dataset &data;
  int64_t batchSize;
  bool shuffle;
  std::vector<int64_t> rowOrder;
};

} // namespace gradc::rt

#endif // GRADC_RUNTIME_BATCHER_H
