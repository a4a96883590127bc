// TrainMain.cpp - gradc_train_main: options, data, state, training, outputs.
// SPDX-License-Identifier: MIT
//
// The one place where UserErrors are caught and turned into exit statuses.
// Output paths are checked before the data is loaded. A run that diverges,
// or is stopped by SIGINT or SIGTERM after its current step, still writes
// its history and plot up to the last full epoch, and --save writes the
// state after the last full epoch (the last good one, from which --resume
// can retry, e.g. with a smaller --set lr); a checkpoint is never written
// from diverged or half-trained parameters. The exit status says how the
// run ended: diverged, interrupted (128 + the signal), an output that could
// not be written, or success.
#include "Error.h"
#include "HealthReport.h"
#include "Options.h"
#include "OutputPaths.h"
#include "RunOutputs.h"
#include "StopSignal.h"
#include "Trainer.h"
#include "gradc_runtime.h"

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace gradc::rt {
namespace {

/// The range a --set value must lie in, the same as the .model checker's
/// for the option of that name: "> 0" or "in [0, 1)"; "" for no limit.
std::string hyperRange(const std::string &name) {
  if (name == "lr" || name == "eps" || name.rfind("clip", 0) == 0)
    return "> 0";
  if (name == "momentum" || name == "beta1" || name == "beta2")
    return "in [0, 1)";
  return "";
}

void setHyper(const ModelConfig &config, const std::string &name, float value,
              std::vector<float> &hyper) {
  std::string range = hyperRange(name);
  bool inRange = range == "> 0" ? value > 0 : value >= 0 && value < 1;
  if (!range.empty() && !inRange)
    throw UserError("", fmt::format("--set: {} must be {}, got {}", name,
                                    range, value));
  for (size_t i = 0; i < config.hyper.size(); ++i)
    if (config.hyper[i].name == name)
      return void(hyper[i] = value);
  std::vector<std::string> names;
  for (const HyperSpec &spec : config.hyper)
    names.push_back(spec.name);
  throw UserError("", fmt::format("--set: model '{}' has no hyperparameter "
                                  "'{}' (it has: {})",
                                  config.name, name, fmt::join(names, ", ")));
}

RunSettings settingsFor(const ModelConfig &config, const Options &options) {
  RunSettings settings;
  settings.epochs = options.epochs.value_or(config.epochs);
  settings.batch = options.batch.value_or(config.batch);
  if (settings.batch > batchLimit(config))
    throw UserError("", fmt::format("--batch: model '{}' was compiled for "
                                    "batches of at most {} rows, got {}",
                                    config.name, batchLimit(config),
                                    settings.batch));
  settings.shuffle = config.shuffle;
  settings.onNonFinite = options.onNonFinite;
  settings.printEpochs = !options.quiet;
  settings.progressBar = !options.quiet && ::isatty(STDERR_FILENO);
  settings.keepLastGood = !options.save.empty();
  for (const HyperSpec &spec : config.hyper)
    settings.hyper.push_back(spec.value);
  for (const auto &[name, value] : options.sets)
    setHyper(config, name, value, settings.hyper);
  return settings;
}

TrainState startState(const ModelConfig &config, const Options &options) {
  std::string initFrom =
      options.initFrom.empty() ? config.initFrom : options.initFrom;
  if (options.resume.empty())
    return initialState(config, options.seed.value_or(config.seed), initFrom);
  if (!options.initFrom.empty())
    throw UserError("", "--resume and --init-from cannot be combined");
  TrainState state = loadCheckpoint(config, options.resume);
  if (options.seed && *options.seed != state.seed)
    throw UserError(options.resume,
                    fmt::format("checkpoint was trained with seed {}, not {}",
                                state.seed, *options.seed));
  return state;
}

/// A resumed run must have epochs left to train: otherwise it would end at
/// once and rewrite its outputs with nothing in them.
void checkEpochsAfterResume(const Options &options, const TrainState &state,
                            int64_t epochs) {
  if (options.resume.empty() || epochs > state.epoch)
    return;
  if (options.epochs)
    throw UserError("", fmt::format("--epochs {} is not after the "
                                    "checkpoint's epoch {}",
                                    epochs, state.epoch));
  throw UserError("", fmt::format("the model trains {} epochs and the "
                                  "checkpoint is already at epoch {}; give "
                                  "a larger --epochs",
                                  epochs, state.epoch));
}

/// The line that ends an interrupted run, on stderr.
void reportInterruption(const RunResult &result, int signal) {
  const History &history = result.history;
  size_t epochs = history.epochs.size();
  std::string line = fmt::format("interrupted by {}: {} full epoch{} trained",
                                 signalName(signal), epochs,
                                 epochs == 1 ? "" : "s");
  if (epochs)
    line += fmt::format(", outputs hold epoch {}", history.epochs.back().epoch);
  std::fflush(stdout);
  std::fprintf(stderr, "%s\n", line.c_str());
}

void printSummary(const Options &options, const ModelConfig &config,
                  const RunResult &result, const TrainState &state,
                  int64_t totalEpochs) {
  const History &history = result.history;
  if (options.quiet && !history.epochs.empty())
    std::printf(
        "%s\n",
        formatEpochLine(history, history.epochs.back(), totalEpochs).c_str());
  std::printf("%s", healthReport(config, result.log, history).c_str());
  if (result.diverged || result.interrupted)
    return;
  if (history.final)
    std::printf("%s\n", formatFinalLine(history).c_str());
  std::printf("%s\n", formatTrainedLine(history.epochs.size(), state.step,
                                        result.seconds)
                          .c_str());
  std::fflush(stdout);
}

int trainMain(const gradc_model &model, int argc, char **argv) {
  Options options = parseOptions(argc, argv);
  if (options.help) {
    std::printf("%s", optionsHelp(argc ? argv[0] : "train").c_str());
    return ExitOk;
  }
  ModelConfig config = parseConfig(model.config_json);
  RunSettings settings = settingsFor(config, options);
  checkOutputPaths(options, config);
  Dataset train = loadDataset(config.data, config);
  // A batch larger than the data is one batch of all rows, as in Keras;
  // the buffers never exceed the data.
  settings.batch = std::min(settings.batch, std::max<int64_t>(train.rows, 1));
  std::optional<Dataset> validation;
  if (config.validate.kind == SourceKind::Split)
    validation = splitValidation(train, config.validate.split);
  else if (config.validate.kind != SourceKind::None)
    validation = loadDataset(config.validate, config);
  TrainState state = startState(config, options);
  checkEpochsAfterResume(options, state, settings.epochs);

  // The history file follows the run (at most once a second), and SIGINT or
  // SIGTERM end it after the current step with every output written.
  HistoryWriter historyWriter(options.history, std::chrono::seconds(1));
  if (!options.history.empty())
    settings.afterEpoch = [&](const History &history) {
      historyWriter.afterEpoch(history);
    };
  StopSignal stopSignal;
  settings.stop = stopSignal.flag();
  Trainer trainer(model, config, settings, train,
                  validation ? &*validation : nullptr);
  RunResult result = trainer.run(state);
  int signal = stopSignal.received();
  if (result.diverged)
    std::fprintf(stderr, "%s", result.divergence.c_str());
  bool written = writeOutputs(options, config, result, state);
  printSummary(options, config, result, state, settings.epochs);
  if (result.diverged)
    return ExitDiverged;
  if (result.interrupted) {
    reportInterruption(result, signal);
    return ExitSignalBase + signal;
  }
  return written ? ExitOk : ExitUserError;
}

} // namespace
} // namespace gradc::rt

int gradc_train_main(const gradc_model *model, int argc, char **argv) {
  try {
    return gradc::rt::trainMain(*model, argc, argv);
  } catch (const gradc::rt::UserError &error) {
    std::fprintf(stderr, "%s\n", error.what());
    return gradc::rt::ExitUserError;
  } catch (const std::bad_alloc &) {
    std::fflush(stdout);
    std::fprintf(stderr, "%s\n", gradc::rt::OutOfMemoryMessage);
    return gradc::rt::ExitUserError;
  }
}
