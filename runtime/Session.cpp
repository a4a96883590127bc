// Session.cpp - gradc_session: create, switch models, train and reset.
// SPDX-License-Identifier: MIT
//
// The loop is the runtime's Trainer, run for a few more epochs each call
// from the TrainState the session keeps. Switching to a recompiled model
// keeps every buffer whose name and shape survived, so adding clipping or a
// layer does not throw away what was learned.
#include "Session.h"

#include "Error.h"
#include "Trainer.h"

#include <cstdio>
#include <unistd.h>

namespace gradc::rt {

std::unique_ptr<SessionData> loadSessionData(const ModelConfig &config) {
  auto data = std::make_unique<SessionData>();
  data->train = loadDataset(config.data, config);
  if (config.validate.kind == SourceKind::Split)
    data->validation = splitValidation(data->train, config.validate.split);
  else if (config.validate.kind != SourceKind::None)
    data->validation = loadDataset(config.validate, config);
  return data;
}

History emptyHistory(const ModelConfig &config, const SessionData &data) {
  History history;
  history.model = config.name;
  history.paramNames = MetricLayout::fromConfig(config).names;
  history.hasValidation = data.validation.has_value();
  history.hasAccuracy = isClassificationLoss(config.loss);
  return history;
}

namespace {

bool sameSource(const SourceSpec &a, const SourceSpec &b) {
  return a.kind == b.kind && a.path == b.path && a.target == b.target &&
         a.images == b.images && a.labels == b.labels && a.split == b.split;
}

/// True when `next` lays out the same rows as `prev`.
bool sameData(const ModelConfig &prev, const ModelConfig &next) {
  return sameSource(prev.data, next.data) &&
         sameSource(prev.validate, next.validate) &&
         prev.xShape == next.xShape && prev.yShape == next.yShape &&
         prev.loss == next.loss;
}

/// Copies each `from` buffer into the `to` slot of the same name and shape.
template <typename Spec>
void keepMatching(const std::vector<Spec> &fromSpecs,
                  const std::vector<std::vector<float>> &from,
                  const std::vector<Spec> &toSpecs,
                  std::vector<std::vector<float>> &to) {
  for (size_t i = 0; i < toSpecs.size(); ++i)
    for (size_t j = 0; j < fromSpecs.size(); ++j)
      if (fromSpecs[j].name == toSpecs[i].name &&
          fromSpecs[j].shape == toSpecs[i].shape)
        to[i] = from[j];
}

/// The state of `session` carried over to the layout of `next`.
TrainState carryState(const gradc_session &session, const ModelConfig &next) {
  const TrainState &prev = session.state;
  TrainState state = initialState(next, prev.seed, next.initFrom);
  keepMatching(session.config.params, prev.params, next.params, state.params);
  keepMatching(session.config.state, prev.state, next.state, state.state);
  state.epoch = prev.epoch;
  state.step = prev.step;
  state.rng = prev.rng;
  return state;
}

std::vector<float> hyperValues(const ModelConfig &config) {
  std::vector<float> values;
  for (const HyperSpec &spec : config.hyper)
    values.push_back(spec.value);
  return values;
}

void adoptModel(gradc_session &session, const gradc_model &model,
                std::string json) {
  session.configJson = std::move(json);
  session.model = model;
  session.model.config_json = session.configJson.c_str();
  session.hyper = hyperValues(session.config);
}

void switchModel(gradc_session &session, const gradc_model &model) {
  std::string json = model.config_json;
  ModelConfig next = parseConfig(json);
  std::unique_ptr<SessionData> data;
  if (!sameData(session.config, next))
    data = loadSessionData(next);
  TrainState state = carryState(session, next);
  bool sameLayout = MetricLayout::fromConfig(session.config).names ==
                    MetricLayout::fromConfig(next).names;

  session.config = std::move(next);
  session.state = std::move(state);
  adoptModel(session, model, std::move(json));
  if (data)
    session.data = std::move(data);
  if (data || !sameLayout) {
    session.history = emptyHistory(session.config, *session.data);
    session.lastLog.reset();
  }
}

RunSettings trainSettings(const gradc_session &session, int64_t epochs) {
  RunSettings settings;
  settings.epochs =
      session.state.epoch + (epochs > 0 ? epochs : session.config.epochs);
  settings.batch = session.config.batch;
  settings.shuffle = session.config.shuffle;
  settings.progressBar = ::isatty(STDERR_FILENO);
  settings.keepLastGood = true;
  settings.hyper = session.hyper;
  return settings;
}

/// What the caller learns about a finished run; updates the state.
int reportRun(gradc_session &session, RunResult &result) {
  if (result.diverged) {
    std::fprintf(stderr, "%s", result.divergence.c_str());
    session.state = std::move(*result.lastGood);
    std::printf("weights restored to the end of epoch %lld\n",
                (long long)session.state.epoch);
    return ExitDiverged;
  }
  if (result.interrupted) {
    if (::isatty(STDERR_FILENO))
      std::fputs("\r\033[K", stderr);
    std::printf("interrupted in epoch %lld: weights are those of step %lld\n",
                (long long)session.state.epoch + 1,
                (long long)session.state.step);
    return ExitInterrupted;
  }
  std::printf("%s\n", formatTrainedLine(result.history.epochs.size(),
                                        session.state.step, result.seconds)
                          .c_str());
  return ExitOk;
}

int train(gradc_session &session, int64_t epochs,
          const volatile sig_atomic_t *stop) {
  RunSettings settings = trainSettings(session, epochs);
  settings.stop = stop;
  const SessionData &data = *session.data;
  Trainer trainer(session.model, session.config, settings, data.train,
                  data.validation ? &*data.validation : nullptr);
  RunResult result = trainer.run(session.state);
  for (const EpochRecord &record : result.history.epochs)
    session.history.epochs.push_back(record);
  session.lastLog = result.log;
  session.lastHistory = result.history;
  int status = reportRun(session, result);
  std::fflush(stdout);
  return status;
}

} // namespace

int guarded(const std::function<int()> &body) {
  try {
    return body();
  } catch (const UserError &error) {
    std::fflush(stdout);
    std::fprintf(stderr, "%s\n", error.what());
    return ExitUserError;
  } catch (const std::bad_alloc &) {
    std::fflush(stdout);
    std::fprintf(stderr, "%s\n", OutOfMemoryMessage);
    return ExitUserError;
  }
}

} // namespace gradc::rt

using namespace gradc::rt;

gradc_session *gradc_session_create(const gradc_model *model) {
  auto session = std::make_unique<gradc_session>();
  int status = guarded([&] {
    session->config = parseConfig(model->config_json);
    session->data = loadSessionData(session->config);
    session->history = emptyHistory(session->config, *session->data);
    session->state = initialState(session->config, session->config.seed,
                                  session->config.initFrom);
    adoptModel(*session, *model, model->config_json);
    return ExitOk;
  });
  return status == ExitOk ? session.release() : nullptr;
}

void gradc_session_destroy(gradc_session *session) { delete session; }

int gradc_session_set_model(gradc_session *session, const gradc_model *model) {
  return guarded([&] {
    switchModel(*session, *model);
    return ExitOk;
  });
}

int gradc_session_train(gradc_session *session, int64_t epochs,
                        const volatile sig_atomic_t *stop) {
  return guarded([&] { return train(*session, epochs, stop); });
}

int gradc_session_reset(gradc_session *session) {
  return guarded([&] {
    gradc_session &s = *session;
    s.state = initialState(s.config, s.config.seed, s.config.initFrom);
    s.history = emptyHistory(s.config, *s.data);
    s.lastLog.reset();
    std::printf("weights and optimizer state initialized (seed %llu)\n",
                (unsigned long long)s.config.seed);
    std::fflush(stdout);
    return ExitOk;
  });
}
