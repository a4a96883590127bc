// RunOutputs.cpp - the output files of a run, each independent of the others.
// SPDX-License-Identifier: MIT
#include "RunOutputs.h"

#include "Error.h"
#include "OutputPaths.h"
#include "Plot.h"

#include <algorithm>
#include <cstdio>
#include <functional>

namespace gradc::rt {
namespace {

/// Runs `write`; prints its UserError and returns false instead of throwing.
bool attempt(const std::function<void()> &write) {
  try {
    write();
    return true;
  } catch (const UserError &error) {
    std::fflush(stdout);
    std::fprintf(stderr, "%s\n", error.what());
    return false;
  }
}

/// Whether an existing `path` must be kept because the run has no epoch
/// to write into it; prints the note saying so.
bool keepExisting(const std::string &path, const char *flag,
                  const History &history) {
  if (!history.epochs.empty() || !pathExists(path))
    return false;
  std::fflush(stdout);
  std::fprintf(stderr, "note: no epoch completed; %s file '%s' left "
               "unchanged\n", flag, path.c_str());
  return true;
}

/// A plot needs at least one epoch: without one, no file is drawn at all.
bool writePlotOf(const std::string &path, const History &history) {
  if (keepExisting(path, "--plot", history))
    return true;
  if (!history.epochs.empty())
    return attempt([&] { writePlot(path, history); });
  std::fflush(stdout);
  std::fprintf(stderr, "note: no epoch completed; --plot file '%s' not "
               "drawn\n", path.c_str());
  return true;
}

} // namespace

bool writeOutputs(const Options &options, const ModelConfig &config,
                  const RunResult &result, const TrainState &state) {
  const History &history = result.history;
  bool ok = true;
  if (!options.history.empty() &&
      !keepExisting(options.history, "--history", history))
    ok &= attempt([&] { writeHistory(options.history, history); });
  if (!options.plot.empty())
    ok &= writePlotOf(options.plot, history);
  if (!options.save.empty() && !keepExisting(options.save, "--save", history)) {
    bool partial = result.diverged || result.interrupted;
    const TrainState &saved = partial ? *result.lastGood : state;
    ok &= attempt([&] { saveCheckpoint(config, saved, options.save); });
  }
  return ok;
}

HistoryWriter::HistoryWriter(std::string path,
                             std::chrono::milliseconds interval)
    : path(std::move(path)), interval(interval) {}

void HistoryWriter::afterEpoch(const History &history) {
  auto start = std::chrono::steady_clock::now();
  if (failed || start < nextWrite)
    return;
  try {
    writeHistory(path, history);
  } catch (const UserError &) {
    failed = true;
  }
  // The file grows with every epoch; waiting 20 times as long as a write
  // took keeps the rewrites under 5% of the run however long it gets.
  auto took = std::chrono::steady_clock::now() - start;
  nextWrite = start + std::max<std::chrono::steady_clock::duration>(
                          interval, took * 20);
}

} // namespace gradc::rt
