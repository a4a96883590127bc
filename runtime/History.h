// History.h - per-epoch training record, written as CSV or JSON.
// SPDX-License-Identifier: MIT
//
// CSV columns: epoch, loss, [val_loss], [accuracy, val_accuracy],
// grad_norm (median global norm of the epoch), clipped_fraction (steps with
// any parameter clipped), skipped_steps, seconds, then norm.<param> (median
// pre-clip norm of the epoch) per tracked parameter. JSON: {"model",
// "epochs": [{same keys}], "final": {loss, [val_loss], [accuracy,
// val_accuracy]}}, "final" only when training completed. Absent values are
// NaN in CSV and null in JSON.
#ifndef GRADC_RUNTIME_HISTORY_H
#define GRADC_RUNTIME_HISTORY_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gradc::rt {

struct EpochRecord {
  int64_t epoch = 0;
  double loss = 0;
  double valLoss = 0;
  double accuracy = 0;
  double valAccuracy = 0;
  double gradNorm = 0;
  double clippedFraction = 0;
  int64_t skippedSteps = 0;
  double seconds = 0;
  std::vector<double> medianNorm; ///< per tracked parameter
};

/// The trained model evaluated on whole data sets, as Keras's model.evaluate
/// does: the epoch's logged loss is a mean taken while the weights moved,
/// this one is the final weights' loss over every training row.
struct FinalEvaluation {
  double loss = 0;
  double valLoss = 0;
  double accuracy = 0;
  double valAccuracy = 0;
};

struct History {
  std::string model;
  std::vector<std::string> paramNames;
  bool hasValidation = false;
  bool hasAccuracy = false;
  std::vector<EpochRecord> epochs;
  std::optional<FinalEvaluation> final; ///< set when training completed
};

/// Writes `history` atomically as .csv or .json by the extension of `path`.
void writeHistory(const std::string &path, const History &history);

/// The one-line summary of an epoch printed during training.
std::string formatEpochLine(const History &history, const EpochRecord &record,
                            int64_t totalEpochs);

/// The line that reports `history.final`.
std::string formatFinalLine(const History &history);

/// "trained E epochs (S steps in total) in T s", singular where it is 1.
std::string formatTrainedLine(size_t epochs, int64_t steps, double seconds);

} // namespace gradc::rt

#endif // GRADC_RUNTIME_HISTORY_H
