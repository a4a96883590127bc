// StepBench.cpp - times one JIT-compiled gradc training step in isolation.
// SPDX-License-Identifier: MIT
//
// `gradc-bench-step m.model [-D name=value]... [--x f --y f] [--seconds S]
// [--blocks K] [-O n]` reads the model, runs the pass pipeline, JIT-compiles
// it and then calls train_step in a loop on one fixed batch, with no data
// loading, shuffling or metrics bookkeeping around it. Each timed block
// starts again from the same initial parameters and zero optimizer state, so
// every block trains in the same numeric regime (a diverging run would
// otherwise time NaN arithmetic). The batch comes from raw little-endian f32
// files (--x, --y) or, without them, from a fixed pseudo-random pattern.
// One JSON line goes to stdout: compile times of each stage, wall and CPU
// microseconds per step of each block, the fastest of many short blocks,
// and the loss after the last step.

#include "driver/DriverCodegen.h"
#include "driver/DriverFrontend.h"
#include "driver/DriverPipeline.h"

#include "gradc_runtime.h"

#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

using namespace gradc;
using Clock = std::chrono::steady_clock;

namespace {

struct BenchArgs {
  std::string modelFile, xFile, yFile;
  std::vector<std::string> defines;
  codegen::CodegenOptions codegen;
  double seconds = 0.25; ///< target length of one timed block
  int blocks = 5;
};

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// CPU seconds of this process: on a shared, loaded machine this counts
/// only the time the step actually ran, where wall time also counts waits.
double cpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return double(now.tv_sec) + 1e-9 * double(now.tv_nsec);
}

/// Wall and CPU seconds of one block.
struct BlockTime {
  double wall = 0, cpu = 0;
};

bool parseArgs(int argc, char **argv, BenchArgs &out) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    bool hasValue = i + 1 < argc;
    if (arg == "-D" && hasValue)
      out.defines.push_back(argv[++i]);
    else if (arg.rfind("-D", 0) == 0)
      out.defines.push_back(arg.substr(2));
    else if (arg == "--x" && hasValue)
      out.xFile = argv[++i];
    else if (arg == "--y" && hasValue)
      out.yFile = argv[++i];
    else if (arg == "--seconds" && hasValue)
      out.seconds = std::stod(argv[++i]);
    else if (arg == "--blocks" && hasValue)
      out.blocks = std::stoi(argv[++i]);
    else if (arg.rfind("-O", 0) == 0 && arg.size() == 3)
      out.codegen.optLevel = unsigned(arg[2] - '0');
    else if (out.modelFile.empty() && arg[0] != '-')
      out.modelFile = arg;
    else
      return false;
  }
  return !out.modelFile.empty();
}

int64_t elementCount(const nlohmann::json &shape) {
  int64_t count = 1;
  for (const auto &dim : shape)
    count *= dim.get<int64_t>();
  return count;
}

// Reads `count` floats from a raw f32 file, or makes a fixed pattern in
// [-1, 1) (targets: small non-negative integers, valid class labels).
std::vector<float> loadFloats(const std::string &path, size_t count,
                              bool labels) {
  std::vector<float> data(count);
  if (path.empty()) {
    uint32_t state = 12345;
    for (float &value : data) {
      state = state * 1664525u + 1013904223u;
      value = labels ? float(state >> 29) : float(state >> 8) / 8388608.f - 1;
    }
    return data;
  }
  std::ifstream in(path, std::ios::binary);
  in.read(reinterpret_cast<char *>(data.data()), count * sizeof(float));
  if (!in)
    throw std::runtime_error("short read from " + path);
  return data;
}

/// Parameters and optimizer state, with a copy of their initial values.
struct StepState {
  float **params = nullptr, **state = nullptr;
  std::vector<std::vector<float>> initial;
  std::vector<size_t> sizes;
  std::vector<float> hyper, metrics;
};

void reset(StepState &s, const nlohmann::json &config) {
  size_t nParams = config["params"].size();
  for (size_t i = 0; i < nParams; ++i)
    std::memcpy(s.params[i], s.initial[i].data(), s.sizes[i] * 4);
  size_t j = 0;
  for (const auto &slot : config["state"])
    std::memset(s.state[j++], 0, elementCount(slot["shape"]) * 4);
}

StepState makeState(const char *configText, const nlohmann::json &config) {
  StepState s;
  s.params = gradc_rt_alloc_params(configText);
  s.state = gradc_rt_alloc_state(configText);
  if (!s.params || !s.state ||
      gradc_rt_init_params(configText, s.params, s.state, 1) != 0)
    throw std::runtime_error("cannot allocate or initialize parameters");
  size_t i = 0;
  for (const auto &param : config["params"]) {
    s.sizes.push_back(size_t(elementCount(param["shape"])));
    s.initial.emplace_back(s.params[i], s.params[i] + s.sizes.back());
    ++i;
  }
  for (const auto &h : config["hyper"])
    s.hyper.push_back(h["value"].get<float>());
  s.metrics.assign(config["metrics"].size(), 0.f);
  return s;
}

/// Runs `steps` steps from the initial state.
BlockTime timeBlock(const gradc_model &model, StepState &s,
                    const nlohmann::json &config, const float *x,
                    const float *y, int64_t batch, int64_t steps) {
  reset(s, config);
  gradc_step_args args{s.params,       s.state,         x, y, batch, 0, 1,
                       s.hyper.data(), s.metrics.data()};
  Clock::time_point start = Clock::now();
  double cpuStart = cpuSeconds();
  for (int64_t step = 1; step <= steps; ++step) {
    args.step = step;
    model.train_step(model.context, &args);
  }
  return {secondsSince(start), cpuSeconds() - cpuStart};
}

int run(const BenchArgs &args) {
  Clock::time_point start = Clock::now();
  double cpuStart = cpuSeconds();
  auto program =
      driver::loadModelFile(args.modelFile, args.defines, llvm::errs());
  if (!program) {
    llvm::errs() << llvm::toString(program.takeError()) << "\n";
    return 1;
  }
  double frontend = secondsSince(start);
  auto pipeline = driver::buildModelPipeline(*program);
  if (!pipeline) {
    llvm::errs() << llvm::toString(pipeline.takeError()) << "\n";
    return 1;
  }
  double passes = secondsSince(start) - frontend;
  auto jit = driver::jitModel(pipeline->graphs(), args.codegen);
  if (!jit) {
    llvm::errs() << llvm::toString(jit.takeError()) << "\n";
    return 1;
  }
  double jitSeconds = secondsSince(start) - frontend - passes;
  double compileCpu = cpuSeconds() - cpuStart;
  const gradc_model &model = (*jit)->model;

  nlohmann::json config = nlohmann::json::parse(model.config_json);
  int64_t batch = config["batch"].get<int64_t>();
  bool labels = config["y_shape"].empty();
  std::vector<float> x = loadFloats(
      args.xFile, size_t(batch * elementCount(config["x_shape"])), false);
  std::vector<float> y = loadFloats(
      args.yFile,
      size_t(batch * (labels ? 1 : elementCount(config["y_shape"]))), labels);
  StepState state = makeState(model.config_json, config);

  // Calibrate: from 20 warm-up steps, double the step count until one block
  // lasts a tenth of the target (CPU time, which load does not inflate).
  int64_t steps = 20;
  double seconds = 0;
  while ((seconds =
              timeBlock(model, state, config, x.data(), y.data(), batch, steps)
                  .cpu) < args.seconds / 10)
    steps *= 2;
  steps = std::max<int64_t>(1, int64_t(steps * args.seconds / seconds));

  nlohmann::json out;
  out["system"] = "gradc";
  out["batch"] = batch;
  out["compile_s"] = {{"frontend", frontend},
                      {"passes", passes},
                      {"jit", jitSeconds},
                      {"total", frontend + passes + jitSeconds},
                      {"total_cpu", compileCpu}};
  out["steps_per_block"] = steps;
  for (int b = 0; b < args.blocks; ++b) {
    BlockTime t =
        timeBlock(model, state, config, x.data(), y.data(), batch, steps);
    out["us_per_step"].push_back(1e6 * t.wall / double(steps));
    out["cpu_us_per_step"].push_back(1e6 * t.cpu / double(steps));
  }
  // Best of many short blocks of about 0.3 ms: on a loaded machine some of
  // them run without being preempted, and the fastest is the step's cost.
  int64_t shortSteps = std::max<int64_t>(1, int64_t(3e-4 * steps / seconds));
  std::vector<double> best;
  Clock::time_point shortStart = Clock::now();
  while (best.size() < 2000 && secondsSince(shortStart) < 6 * args.seconds)
    best.push_back(
        1e6 *
        timeBlock(model, state, config, x.data(), y.data(), batch, shortSteps)
            .wall /
        double(shortSteps));
  std::sort(best.begin(), best.end());
  out["best_us_per_step"] = best.front();
  out["p10_us_per_step"] = best[best.size() / 10];
  out["short_blocks"] = best.size();
  out["final_loss"] = state.metrics.empty() ? NAN : state.metrics[0];
  std::printf("%s\n", out.dump().c_str());
  gradc_rt_free_buffers(state.params);
  gradc_rt_free_buffers(state.state);
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  BenchArgs args;
  if (!parseArgs(argc, argv, args)) {
    std::fprintf(stderr, "usage: gradc-bench-step m.model [-D name=value] "
                         "[--x f32file --y f32file] [--seconds S] "
                         "[--blocks K] [-O0..-O3]\n");
    return 1;
  }
  try {
    return run(args);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "gradc-bench-step: error: %s\n", e.what());
    return 1;
  }
}
