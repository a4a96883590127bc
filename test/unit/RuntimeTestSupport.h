// RuntimeTestSupport.h - a hand-written fake model and helpers for the
// runtime tests.
// SPDX-License-Identifier: MIT
//
// FakeLinear is linear regression, pred = x.w + b with mean squared error,
// per-parameter norm clipping (Keras clipnorm) and SGD with momentum, written
// directly in C++ behind the gradc_model ABI. It records what the runtime
// passed to it (batch sizes, steps), and can poison the gradient of w at one
// train_step call to test divergence handling.
#ifndef GRADC_TEST_RUNTIMETESTSUPPORT_H
#define GRADC_TEST_RUNTIMETESTSUPPORT_H

#include "gradc_runtime.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace gradc::rttest {

struct FakeLinear {
  int64_t features = 20;
  int64_t poisonCall = -1; ///< 1-based train_step call whose w gradient is NaN
  std::vector<int64_t> batches; ///< batch size of each train_step call
  std::vector<int64_t> steps;   ///< step counter of each call
  std::string config;
  gradc_model model{};

  explicit FakeLinear(nlohmann::json cfg) : config(cfg.dump()) {
    features = cfg["x_shape"][0].get<int64_t>();
    model = {config.c_str(), this, &trainStep, &evalStep, &predict};
  }

  static void predict(void *ctx, float **params, const float *x, int64_t batch,
                      float *out) {
    auto *self = static_cast<FakeLinear *>(ctx);
    for (int64_t r = 0; r < batch; ++r) {
      double sum = params[1][0];
      for (int64_t f = 0; f < self->features; ++f)
        sum += double(x[r * self->features + f]) * params[0][f];
      out[r] = float(sum);
    }
  }

  static void evalStep(void *ctx, float **params, const float *x,
                       const float *y, int64_t batch, float *out) {
    std::vector<float> pred(batch);
    predict(ctx, params, x, batch, pred.data());
    double sum = 0;
    for (int64_t r = 0; r < batch; ++r)
      sum += double(pred[r] - y[r]) * double(pred[r] - y[r]);
    out[0] = float(sum / double(batch));
  }

  /// Clips `grad` to norm <= clip; returns the pre-clip norm, sets scale.
  static float clipNorm(std::vector<double> &grad, double clip, float &scale) {
    double squares = 0;
    for (double g : grad)
      squares += g * g;
    double norm = std::sqrt(squares);
    scale = norm <= clip ? 1.0f : float(clip / norm);
    for (double &g : grad)
      g *= scale;
    return float(norm);
  }

  static void trainStep(void *ctx, const gradc_step_args *args) {
    auto *self = static_cast<FakeLinear *>(ctx);
    self->batches.push_back(args->batch);
    self->steps.push_back(args->step);
    int64_t n = args->batch, f = self->features;
    std::vector<float> pred(n);
    predict(ctx, args->params, args->x, n, pred.data());
    std::vector<double> gw(f, 0.0), gb(1, 0.0);
    double loss = 0;
    for (int64_t r = 0; r < n; ++r) {
      double err = double(pred[r]) - args->y[r];
      loss += err * err / double(n);
      for (int64_t i = 0; i < f; ++i)
        gw[i] += 2 * err * args->x[r * f + i] / double(n);
      gb[0] += 2 * err / double(n);
    }
    if (int64_t(self->batches.size()) == self->poisonCall)
      gw[0] = NAN;
    float *m = args->metrics;
    m[0] = float(loss);
    m[1] = clipNorm(gw, args->hyper[2], m[3]);
    m[2] = clipNorm(gb, args->hyper[2], m[4]);
    update(args->params[0], args->state[0], gw, args->hyper);
    update(args->params[1], args->state[1], gb, args->hyper);
  }

  static void update(float *w, float *v, const std::vector<double> &g,
                     const float *hyper) {
    for (size_t i = 0; i < g.size(); ++i) {
      v[i] = float(hyper[1] * v[i] - hyper[0] * g[i]);
      w[i] += v[i];
    }
  }
};

/// The description of FakeLinear on examples/regression/train.csv.
inline nlohmann::json fakeLinearConfig() {
  std::string dir = std::string(GRADC_SOURCE_DIR) + "/examples/regression/";
  return {
      {"model", "fake_linear"},
      {"x_shape", {20}},
      {"y_shape", {1}},
      {"params",
       {{{"name", "w"},
         {"shape", {20, 1}},
         {"init", "glorot_uniform"},
         {"fan_in", 20},
         {"fan_out", 1}},
        {{"name", "b"}, {"shape", {1}}, {"init", "zeros"}}}},
      {"state",
       {{{"name", "w.velocity"}, {"shape", {20, 1}}},
        {{"name", "b.velocity"}, {"shape", {1}}}}},
      {"hyper",
       {{{"name", "lr"}, {"value", 0.01}},
        {{"name", "momentum"}, {"value", 0.9}},
        {{"name", "clip"}, {"value", 1.0}}}},
      {"metrics", {"loss", "norm.w", "norm.b", "scale.w", "scale.b"}},
      {"loss", "mse"},
      {"data", {{"kind", "csv"}, {"path", dir + "train.csv"}, {"target", "y"}}},
      {"validate",
       {{"kind", "csv"}, {"path", dir + "test.csv"}, {"target", "y"}}},
      {"batch", 32},
      {"epochs", 3},
      {"seed", 7},
      {"shuffle", true},
      {"init_from", nullptr}};
}

/// Runs gradc_train_main with `args` (argv[0] added).
inline int runTraining(FakeLinear &fake, std::vector<std::string> args) {
  args.insert(args.begin(), "fake-train");
  std::vector<char *> argv;
  for (std::string &arg : args)
    argv.push_back(arg.data());
  return gradc_train_main(&fake.model, int(argv.size()), argv.data());
}

/// A fresh empty directory for one test.
inline std::string scratchDir(const std::string &name) {
  std::string dir =
      "/tmp/gradc-runtime-test-" + name + "-" + std::to_string(::getpid());
  std::string command = "rm -rf '" + dir + "' && mkdir -p '" + dir + "'";
  if (std::system(command.c_str()) != 0)
    return "/tmp";
  return dir;
}

inline void writeText(const std::string &path, const std::string &text) {
  std::ofstream(path) << text;
}

inline std::string readText(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace gradc::rttest

#endif // GRADC_TEST_RUNTIMETESTSUPPORT_H
