// Evaluate.h - validation loss and classification accuracy.
// SPDX-License-Identifier: MIT
//
// The loss over a set is the mean of eval_step's batch-mean losses weighted
// by the rows of each batch, i.e. the mean over all rows. Accuracy compares
// predict's outputs with the targets: argmax for several outputs (one-hot or
// class-label targets), output > 0.5 for one sigmoid output.
#ifndef GRADC_RUNTIME_EVALUATE_H
#define GRADC_RUNTIME_EVALUATE_H

#include "Config.h"
#include "Dataset.h"
#include "gradc_runtime.h"

namespace gradc::rt {

/// Counts correct predictions of a batch.
class AccuracyCounter {
public:
  /// `outWidth` outputs per row; y rows of `yWidth` values.
  AccuracyCounter(int64_t outWidth, int64_t yWidth)
      : outWidth(outWidth), yWidth(yWidth) {}
  int64_t outputWidth() const { return outWidth; }
  /// Rows of the batch whose prediction matches the target.
  int64_t correct(const float *out, const float *y, int64_t rows) const;

private:
  int64_t outWidth;
  int64_t yWidth;
};

/// Outputs per row of `predict`: output_shape if given, else derived from
/// y_shape, or for class labels from the largest label in `data` + 1.
int64_t outputWidth(const ModelConfig &config, const Dataset &data);

struct EvalResult {
  double loss = 0;
  double accuracy = 0; ///< NaN when no counter was given
};

/// Loss (and accuracy) of `params` over `data` in batches of `batch` rows.
EvalResult evaluate(const gradc_model &model, float **params,
                    const Dataset &data, int64_t batch,
                    const AccuracyCounter *counter);

} // namespace gradc::rt

#endif // GRADC_RUNTIME_EVALUATE_H
