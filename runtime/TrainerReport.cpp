// TrainerReport.cpp - what the trainer tells the user: the epoch record, the
// live progress bar and the divergence report.
// SPDX-License-Identifier: MIT
//
// The divergence report says whether the loss is finite, names the first
// parameter, in config order, whose gradient norm is not, and lists the last
// finite norm of each parameter, the values that led there.
#include "Trainer.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>

namespace gradc::rt {

EpochRecord Trainer::finishEpoch(TrainState &state, const EpochTotals &totals,
                                 const RunResult &result) {
  const GradientLog &log = result.log;
  EpochRecord record;
  record.epoch = state.epoch;
  record.loss =
      totals.lossRows ? totals.lossSum / double(totals.lossRows) : NAN;
  record.accuracy = double(totals.hits) / double(totals.seenRows);
  record.skippedSteps = totals.skipped;
  std::vector<double> global;
  int64_t clipped = 0;
  for (size_t step = totals.firstStep; step < log.steps(); ++step) {
    global.push_back(log.globalNorm(step));
    clipped += log.clipped(step);
  }
  record.gradNorm = median(global);
  record.clippedFraction = global.empty() ? 0 : double(clipped) / global.size();
  for (const std::vector<float> &norms : log.norms)
    record.medianNorm.push_back(median(
        std::vector<double>(norms.begin() + totals.firstStep, norms.end())));
  if (validation) {
    std::vector<float *> params = state.paramPointers();
    EvalResult eval = evaluate(model, params.data(), *validation,
                               settings.batch, counter.get());
    record.valLoss = eval.loss;
    record.valAccuracy = eval.accuracy;
  }
  record.seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - totals.start)
                       .count();
  return record;
}

void Trainer::showProgress(const TrainState &state, int64_t index,
                           double loss) {
  // Redraw at most 20 times a second: a terminal is slower than a tiny step.
  constexpr int width = 30;
  int64_t count = batcher.batchCount();
  auto now = std::chrono::steady_clock::now();
  if (index + 1 < count && now - lastDraw < std::chrono::milliseconds(50))
    return;
  lastDraw = now;
  int filled = int((index + 1) * width / count);
  std::string bar(filled, '=');
  bar.resize(width, ' ');
  std::fprintf(stderr, "\r\033[Kepoch %lld/%lld [%s] %lld/%lld  loss %.3e",
               (long long)state.epoch + 1, (long long)settings.epochs,
               bar.c_str(), (long long)index + 1, (long long)count, loss);
  std::fflush(stderr);
}

std::string Trainer::divergenceReport(const TrainState &state,
                                      int64_t index) const {
  std::string gradient;
  for (size_t p = 0; p < layout.names.size() && gradient.empty(); ++p)
    if (!std::isfinite(metrics[layout.norm[p]]))
      gradient = "gradient of " + layout.names[p];
  bool lossFinite = std::isfinite(metrics[layout.loss]);
  std::string culprit = gradient.empty() ? "loss is not finite"
                        : lossFinite
                            ? gradient + " is not finite"
                            : "loss and " + gradient + " are not finite";
  std::string report = fmt::format(
      "error: training diverged at epoch {}, step {} (global step {}): {}\n",
      state.epoch + 1, index + 1, state.step + 1, culprit);
  report += "last finite gradient norms:\n";
  for (size_t p = 0; p < layout.names.size(); ++p)
    report +=
        fmt::format("  {:<24} {:.6e}\n", layout.names[p], lastFiniteNorm[p]);
  return report;
}

} // namespace gradc::rt
