// Trainer.cpp - run epochs and steps, detect divergence, build the history.
// SPDX-License-Identifier: MIT
//
// Loss and accuracy of an epoch are means over its rows (batch means weighted
// by batch rows), so a short last batch counts for what it holds.
#include "Trainer.h"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace gradc::rt {

namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
  std::chrono::duration<double> elapsed =
      std::chrono::steady_clock::now() - start;
  return elapsed.count();
}

} // namespace

Trainer::Trainer(const gradc_model &model, const ModelConfig &config,
                 const RunSettings &settings, const Dataset &train,
                 const Dataset *validation)
    : model(model), config(config), settings(settings), train(train),
      validation(validation), layout(MetricLayout::fromConfig(config)),
      batcher(train, settings.batch, settings.shuffle),
      x(settings.batch * train.xWidth), y(settings.batch * train.yWidth),
      metrics(layout.slots), lastFiniteNorm(layout.names.size(), NAN) {
  if (!isClassificationLoss(config.loss))
    return;
  counter = std::make_unique<AccuracyCounter>(outputWidth(config, train),
                                              train.yWidth);
  out.resize(settings.batch * counter->outputWidth());
}

RunResult Trainer::run(TrainState &state) {
  RunResult result{false, "", {}, GradientLog(layout), std::nullopt, 0};
  result.history.model = config.name;
  result.history.paramNames = layout.names;
  result.history.hasValidation = validation != nullptr;
  result.history.hasAccuracy = counter != nullptr;
  auto start = std::chrono::steady_clock::now();
  if (settings.keepLastGood)
    result.lastGood = state;
  while (state.epoch < settings.epochs && !stopRequested() &&
         runEpoch(state, result))
    if (settings.keepLastGood)
      result.lastGood = state;
  result.interrupted = !result.diverged && stopRequested();
  result.seconds = secondsSince(start);
  if (!result.diverged && !result.interrupted &&
      !result.history.epochs.empty())
    result.history.final = evaluateFinal(state, result.history);
  return result;
}

FinalEvaluation Trainer::evaluateFinal(TrainState &state,
                                       const History &history) {
  std::vector<float *> params = state.paramPointers();
  EvalResult onTrain =
      evaluate(model, params.data(), train, settings.batch, counter.get());
  // The last epoch's validation pass already saw these final weights.
  const EpochRecord &last = history.epochs.back();
  return {onTrain.loss, last.valLoss, onTrain.accuracy, last.valAccuracy};
}

bool Trainer::runEpoch(TrainState &state, RunResult &result) {
  EpochTotals totals;
  totals.firstStep = result.log.steps();
  totals.start = std::chrono::steady_clock::now();
  SplitMix64 rng(state.rng);
  batcher.beginEpoch(rng);
  state.rng = rng.position();
  for (int64_t index = 0; index < batcher.batchCount(); ++index)
    if ((index > 0 && stopRequested()) ||
        !runStep(state, index, totals, result))
      return false;
  ++state.epoch;
  EpochRecord record = finishEpoch(state, totals, result);
  result.history.epochs.push_back(record);
  if (settings.afterEpoch)
    settings.afterEpoch(result.history);
  if (settings.progressBar)
    std::fputs("\r\033[K", stderr);
  if (settings.printEpochs)
    std::printf(
        "%s\n",
        formatEpochLine(result.history, record, settings.epochs).c_str());
  std::fflush(stdout);
  return true;
}

bool Trainer::runStep(TrainState &state, int64_t index, EpochTotals &totals,
                      RunResult &result) {
  int64_t rows = batcher.batchRows(index);
  batcher.gather(index, x.data(), y.data());
  totals.seenRows += rows;
  if (counter)
    totals.hits += countCorrect(state, rows);
  std::optional<TrainState> before;
  if (settings.onNonFinite == NonFiniteKind::Skip)
    before = state;

  callTrainStep(state, rows);
  bool finite = stepIsFinite();
  if (!finite && settings.onNonFinite == NonFiniteKind::Stop) {
    result.diverged = true;
    result.divergence = divergenceReport(state, index);
    return false;
  }
  if (!finite && settings.onNonFinite == NonFiniteKind::Skip) {
    state = std::move(*before);
    ++totals.skipped;
    return true;
  }
  recordStep(state, index, rows, totals, result);
  return true;
}

int64_t Trainer::countCorrect(TrainState &state, int64_t rows) {
  std::vector<float *> params = state.paramPointers();
  model.predict(model.context, params.data(), x.data(), rows, out.data());
  return counter->correct(out.data(), y.data(), rows);
}

void Trainer::callTrainStep(TrainState &state, int64_t rows) {
  std::vector<float *> params = state.paramPointers();
  std::vector<float *> slots = state.statePointers();
  gradc_step_args args{
      params.data(), slots.data(),   x.data(),   y.data(),
      rows,          state.step + 1, state.seed, settings.hyper.data(),
      metrics.data()};
  model.train_step(model.context, &args);
}

void Trainer::recordStep(TrainState &state, int64_t index, int64_t rows,
                         EpochTotals &totals, RunResult &result) {
  result.log.record(layout, metrics.data());
  for (size_t p = 0; p < layout.names.size(); ++p)
    if (std::isfinite(metrics[layout.norm[p]]))
      lastFiniteNorm[p] = metrics[layout.norm[p]];
  totals.lossSum += double(metrics[layout.loss]) * double(rows);
  totals.lossRows += rows;
  ++state.step;
  if (settings.progressBar)
    showProgress(state, index, totals.lossSum / double(totals.lossRows));
}

bool Trainer::stepIsFinite() const {
  if (!std::isfinite(metrics[layout.loss]))
    return false;
  for (int slot : layout.norm)
    if (!std::isfinite(metrics[slot]))
      return false;
  return true;
}

} // namespace gradc::rt
