// TrainMain.cpp - gradc_train_main: options, data, state, training, outputs.
// SPDX-License-Identifier: MIT
//
// The one place where UserErrors are caught and turned into exit statuses.
// On divergence the run still writes its history and plot up to the last
// full epoch, and --save writes the state after the last full epoch (the
// last good one, from which --resume can retry, e.g. with a smaller --set
// lr); a checkpoint is never written from diverged parameters.
#include "Error.h"
#include "HealthReport.h"
#include "Options.h"
#include "Plot.h"
#include "Trainer.h"
#include "gradc_runtime.h"

#include <algorithm>
#include <cstdio>
#include <sys/stat.h>
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

/// Fails before any training when an output file could not be written
/// afterwards, so a long run is never lost to a typo in a path.
void checkOutputDirectory(const std::string &path, const char *flag) {
  if (path.empty())
    return;
  std::string dir = path.substr(0, path.find_last_of('/') + 1);
  if (dir.empty())
    dir = ".";
  struct stat info;
  if (::stat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode))
    throw UserError("", fmt::format("{}: directory '{}' does not exist", flag,
                                    dir));
  if (::access(dir.c_str(), W_OK) != 0)
    throw UserError("", fmt::format("{}: directory '{}' is not writable",
                                    flag, dir));
}

void checkOutputDirectories(const Options &options) {
  checkOutputDirectory(options.history, "--history");
  checkOutputDirectory(options.plot, "--plot");
  checkOutputDirectory(options.save, "--save");
}

void writeOutputs(const Options &options, const ModelConfig &config,
                  const RunResult &result, const TrainState &state) {
  if (!options.history.empty())
    writeHistory(options.history, result.history);
  if (!options.plot.empty())
    writePlot(options.plot, result.history);
  if (!options.save.empty())
    saveCheckpoint(config, result.diverged ? *result.lastGood : state,
                   options.save);
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
  if (result.diverged)
    return;
  if (history.final)
    std::printf("%s\n", formatFinalLine(history).c_str());
  std::printf("trained %zu epochs (%lld steps in total) in %.2fs\n",
              history.epochs.size(), (long long)state.step, result.seconds);
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
  checkOutputDirectories(options);
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

  Trainer trainer(model, config, settings, train,
                  validation ? &*validation : nullptr);
  RunResult result = trainer.run(state);
  if (result.diverged)
    std::fprintf(stderr, "%s", result.divergence.c_str());
  writeOutputs(options, config, result, state);
  printSummary(options, config, result, state, settings.epochs);
  return result.diverged ? ExitDiverged : ExitOk;
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
