// Trainer.h - the epoch and step loop around a model's train_step.
// SPDX-License-Identifier: MIT
//
// Per step: gather the batch, (for classification) predict it to count
// training accuracy before the update as Keras does, call train_step, then
// check the loss and every tracked gradient norm. A non-finite value is
// handled per NonFiniteKind: Stop ends the run with a divergence report,
// Skip restores the parameters and optimizer state saved before the step
// and does not count the step, Continue records the values as they are.
#ifndef GRADC_RUNTIME_TRAINER_H
#define GRADC_RUNTIME_TRAINER_H

#include "Batcher.h"
#include "Evaluate.h"
#include "History.h"
#include "Metrics.h"
#include "Options.h"
#include "TrainState.h"
#include "gradc_runtime.h"

#include <chrono>
#include <csignal>
#include <functional>
#include <memory>
#include <optional>

namespace gradc::rt {

struct RunSettings {
  int64_t epochs = 1;
  int64_t batch = 32;
  bool shuffle = true;
  NonFiniteKind onNonFinite = NonFiniteKind::Stop;
  bool printEpochs = true;   ///< one line per epoch on stdout
  bool progressBar = false;  ///< live bar on stderr
  bool keepLastGood = false; ///< snapshot the state after each epoch
  std::vector<float> hyper;
  /// When set, a non-zero value ends the run after the current step.
  const volatile sig_atomic_t *stop = nullptr;
  /// When set, called after each completed epoch with the history so far.
  std::function<void(const History &)> afterEpoch;
};

struct RunResult {
  bool diverged = false;
  std::string divergence; ///< the report, when diverged
  History history;
  GradientLog log;
  std::optional<TrainState> lastGood; ///< state after the last full epoch
  double seconds = 0;
  bool interrupted = false; ///< ended early by RunSettings::stop
};

class Trainer {
public:
  Trainer(const gradc_model &model, const ModelConfig &config,
          const RunSettings &settings, const Dataset &train,
          const Dataset *validation);

  /// Trains from `state` (epoch state.epoch + 1 onward), updating it.
  RunResult run(TrainState &state);

private:
  /// Sums over the steps of the current epoch.
  struct EpochTotals {
    size_t firstStep = 0; ///< index of the epoch's first step in the log
    double lossSum = 0;   ///< batch loss times batch rows
    int64_t lossRows = 0;
    int64_t hits = 0; ///< correctly predicted rows (classification)
    int64_t seenRows = 0;
    int64_t skipped = 0;
    std::chrono::steady_clock::time_point start;
  };

  bool runEpoch(TrainState &state, RunResult &result);
  bool stopRequested() const { return settings.stop && *settings.stop; }
  bool runStep(TrainState &state, int64_t index, EpochTotals &totals,
               RunResult &result);
  int64_t countCorrect(TrainState &state, int64_t rows);
  void callTrainStep(TrainState &state, int64_t rows);
  void recordStep(TrainState &state, int64_t index, int64_t rows,
                  EpochTotals &totals, RunResult &result);
  bool stepIsFinite() const;
  std::string divergenceReport(const TrainState &state, int64_t index) const;
  FinalEvaluation evaluateFinal(TrainState &state, const History &history);
  EpochRecord finishEpoch(TrainState &state, const EpochTotals &totals,
                          const RunResult &result);
  void showProgress(const TrainState &state, int64_t index, double loss);

  const gradc_model &model;
  const ModelConfig &config;
  RunSettings settings;
  const Dataset &train;
  const Dataset *validation;
  MetricLayout layout;
  Batcher batcher;
  std::unique_ptr<AccuracyCounter> counter;
  std::vector<float> x, y, out, metrics;
  std::vector<double> lastFiniteNorm;
  std::chrono::steady_clock::time_point lastDraw;
};

} // namespace gradc::rt

#endif // GRADC_RUNTIME_TRAINER_H
