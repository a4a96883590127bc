// SessionReport.cpp - gradc_session: evaluation, gradients, save and plot.
// SPDX-License-Identifier: MIT
//
// What the REPL shows between training runs. The gradient table is the last
// step's pre-clip norm and clip factor per parameter, read from the step's
// own metrics; the health summary is the one gradc_train_main prints.
#include "Session.h"

#include "Error.h"
#include "Evaluate.h"
#include "HealthReport.h"
#include "OutputPaths.h"
#include "Plot.h"

#include <fmt/format.h>

#include <cstdio>

namespace gradc::rt {
namespace {

void printEval(const char *what, const EvalResult &result, bool accuracy) {
  std::string line = fmt::format("{:<10} loss {:.6e}", what, result.loss);
  if (accuracy)
    line += fmt::format("  accuracy {:.4f}", result.accuracy);
  std::printf("%s\n", line.c_str());
}

int evaluateAll(gradc_session &session) {
  const SessionData &data = *session.data;
  std::vector<float *> params = session.state.paramPointers();
  std::unique_ptr<AccuracyCounter> counter;
  if (isClassificationLoss(session.config.loss))
    counter = std::make_unique<AccuracyCounter>(
        outputWidth(session.config, data.train), data.train.yWidth);
  int64_t batch = session.config.batch;
  printEval(
      "train",
      evaluate(session.model, params.data(), data.train, batch, counter.get()),
      counter != nullptr);
  if (data.validation)
    printEval("validate",
              evaluate(session.model, params.data(), *data.validation, batch,
                       counter.get()),
              counter != nullptr);
  return ExitOk;
}

int printGrads(const gradc_session &session) {
  if (!session.lastLog || session.lastLog->steps() == 0)
    throw UserError("", "no training step yet: run :train first");
  const GradientLog &log = *session.lastLog;
  size_t last = log.steps() - 1;
  std::printf("%-24s %12s %10s\n", "parameter", "grad_norm", "clip_scale");
  for (size_t p = 0; p < log.names.size(); ++p)
    std::printf("%-24s %12.4e %10.4g\n", log.names[p].c_str(),
                log.norms[p][last], log.scales[p][last]);
  std::printf("%-24s %12.4e\n", "(global)", log.globalNorm(last));
  std::printf("%s",
              healthReport(session.config, log, session.lastHistory).c_str());
  return ExitOk;
}

/// Refuses what the command line would refuse for the same file given as
/// `flag`: a wrong extension, a missing directory, a directory or special
/// file in the way, an input of the session.
void checkOutput(const gradc_session &session, const char *flag,
                 const std::string &path) {
  Options outputs;
  applyOption(outputs, flag, path);
  checkOutputPaths(outputs, session.config);
}

} // namespace
} // namespace gradc::rt

using namespace gradc::rt;

int gradc_session_eval(gradc_session *session) {
  return guarded([&] { return evaluateAll(*session); });
}

int gradc_session_grads(gradc_session *session) {
  int status = guarded([&] { return printGrads(*session); });
  std::fflush(stdout);
  return status;
}

int gradc_session_save(gradc_session *session, const char *path) {
  return guarded([&] {
    checkOutput(*session, "--save", path);
    saveCheckpoint(session->config, session->state, path);
    std::printf("saved %s (epoch %lld, step %lld)\n", path,
                (long long)session->state.epoch,
                (long long)session->state.step);
    return ExitOk;
  });
}

int gradc_session_plot(gradc_session *session, const char *path) {
  return guarded([&] {
    if (session->history.epochs.empty())
      throw UserError("", "nothing to plot: no epoch trained since the "
                          "last reset");
    checkOutput(*session, "--plot", path);
    writePlot(path, session->history);
    size_t epochs = session->history.epochs.size();
    std::printf("wrote %s (%zu epoch%s)\n", path, epochs,
                epochs == 1 ? "" : "s");
    return ExitOk;
  });
}
