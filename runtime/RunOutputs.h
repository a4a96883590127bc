// RunOutputs.h - write --history, --plot and --save at the end of a run.
// SPDX-License-Identifier: MIT
//
// Each output is written on its own: one that fails (a full disk, gnuplot
// missing) is reported and the others are still written. A run that ended
// (diverged or interrupted) before completing any epoch has nothing new to
// record, so an existing output file is left as it was, with a note; a new
// one is still created (the history with its header, the checkpoint with
// the starting state). After a divergence or an interruption --save writes
// the state after the last full epoch, never a half-trained one.
#ifndef GRADC_RUNTIME_RUNOUTPUTS_H
#define GRADC_RUNTIME_RUNOUTPUTS_H

#include "Options.h"
#include "Trainer.h"

#include <chrono>

namespace gradc::rt {

/// Writes the outputs of `options`; returns false when any write failed
/// (its error is printed on stderr).
bool writeOutputs(const Options &options, const ModelConfig &config,
                  const RunResult &result, const TrainState &state);

/// Rewrites the --history file during training, after an epoch and at most
/// once per `interval` (less often when the writes get slow), so a run
/// killed outright keeps its record so far.
class HistoryWriter {
public:
  HistoryWriter(std::string path, std::chrono::milliseconds interval);

  /// For RunSettings::afterEpoch.
  void afterEpoch(const History &history);

private:
  std::string path;
  std::chrono::milliseconds interval;
  std::chrono::steady_clock::time_point nextWrite; ///< the first epoch's: now
  bool failed = false; ///< stop trying; the final write reports the error
};

} // namespace gradc::rt

#endif // GRADC_RUNTIME_RUNOUTPUTS_H
