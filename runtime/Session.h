// Session.h - the state behind the gradc_session C API of gradi's REPL.
// SPDX-License-Identifier: MIT
//
// A session is the training loop of gradc_train_main taken apart: the data
// sets, the TrainState and the history outlive each call, so the REPL can
// train a few epochs, look at the gradients, change a hyperparameter or
// swap in a recompiled step, and continue from the same weights.
#ifndef GRADC_RUNTIME_SESSION_H
#define GRADC_RUNTIME_SESSION_H

#include "Dataset.h"
#include "History.h"
#include "Metrics.h"
#include "TrainState.h"
#include "gradc_runtime.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace gradc::rt {

/// The data a config reads: the training set and its validation set.
struct SessionData {
  Dataset train;
  std::optional<Dataset> validation;
};

/// Reads the training and validation sets of `config`; throws UserError.
std::unique_ptr<SessionData> loadSessionData(const ModelConfig &config);

/// gradc_session_train's status when the stop flag ended the run.
constexpr int ExitInterrupted = 4;

/// Runs `body`, turning a UserError into its message on stderr and status 1.
int guarded(const std::function<int()> &body);

/// Fresh history records for the tracked parameters of `config`.
History emptyHistory(const ModelConfig &config, const SessionData &data);

} // namespace gradc::rt

struct gradc_session {
  std::string configJson; ///< owned copy; model.config_json points here
  gradc_model model{};
  gradc::rt::ModelConfig config;
  std::unique_ptr<gradc::rt::SessionData> data;
  gradc::rt::TrainState state;
  std::vector<float> hyper;   ///< "hyper" order
  gradc::rt::History history; ///< every epoch since the last reset
  std::optional<gradc::rt::GradientLog> lastLog; ///< of the last train call
  gradc::rt::History lastHistory;                ///< of the last train call
};

#endif // GRADC_RUNTIME_SESSION_H
