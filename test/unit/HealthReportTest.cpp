// HealthReportTest.cpp - the gradient-health summary and its two warnings.
// SPDX-License-Identifier: MIT
//
// A two-kernel model's norm log is written by hand, step by step, and the
// report is checked for the table's medians and for when the vanishing and
// exploding warnings appear.
#include "HealthReport.h"

#include <gtest/gtest.h>

using namespace gradc::rt;

namespace {

ModelConfig twoKernelConfig() {
  ModelConfig config;
  config.params = {{"k1", {4, 3}, "he_uniform", 4, 3},
                   {"b1", {3}, "zeros", 0, 0},
                   {"k2", {3, 1}, "glorot_uniform", 3, 1}};
  config.metrics = {"loss", "norm.k1", "norm.b1", "norm.k2"};
  return config;
}

/// The log of steps whose norms are {k1, b1, k2}, one row per step.
GradientLog logOf(const ModelConfig &config,
                  const std::vector<std::vector<float>> &steps) {
  MetricLayout layout = MetricLayout::fromConfig(config);
  GradientLog log(layout);
  for (const std::vector<float> &norms : steps) {
    std::vector<float> metrics = {1.0f, norms[0], norms[1], norms[2]};
    log.record(layout, metrics.data());
  }
  return log;
}

History epochsWithGlobalNorms(const std::vector<double> &norms) {
  History history;
  for (size_t e = 0; e < norms.size(); ++e) {
    EpochRecord record;
    record.epoch = int64_t(e) + 1;
    record.gradNorm = norms[e];
    history.epochs.push_back(record);
  }
  return history;
}

} // namespace

TEST(HealthReport, TableHasMedianAndMaxPerParameter) {
  ModelConfig config = twoKernelConfig();
  GradientLog log = logOf(config, {{1, 2, 3}, {5, 2, 3}, {3, 2, 30}});
  std::string report = healthReport(config, log, History());
  EXPECT_NE(report.find("gradient health over 3 steps"), std::string::npos);
  EXPECT_NE(report.find("k1                        3.000e+00  5.000e+00"),
            std::string::npos)
      << report;
  EXPECT_EQ(report.find("warning"), std::string::npos) << report;
}

TEST(HealthReport, WarnsWhenFirstKernelIsFarBelowLast) {
  ModelConfig config = twoKernelConfig();
  GradientLog log = logOf(config, {{1e-4f, 1, 1}, {1e-4f, 1, 1}});
  std::string report = healthReport(config, log, History());
  EXPECT_NE(report.find("warning: vanishing gradients: median norm of k1 "
                        "(1.000e-04) is 1.0e+04x below that of k2"),
            std::string::npos)
      << report;
}

TEST(HealthReport, ZeroMedianIsReportedWithoutRatio) {
  ModelConfig config = twoKernelConfig();
  GradientLog log = logOf(config, {{0, 1, 2}, {0, 1, 2}, {1, 1, 2}});
  std::string report = healthReport(config, log, History());
  EXPECT_NE(report.find("warning: vanishing gradients: median norm of k1 is "
                        "zero, that of k2 is 2.000e+00"),
            std::string::npos)
      << report;
  EXPECT_EQ(report.find("inf"), std::string::npos) << report;
}

TEST(HealthReport, WarnsOnSteadyGrowthOnly) {
  ModelConfig config = twoKernelConfig();
  GradientLog log = logOf(config, {{1, 1, 1}});
  std::string growing = healthReport(
      config, log, epochsWithGlobalNorms({1, 2, 50, 120, 400}));
  EXPECT_NE(growing.find("warning: exploding gradients: median global norm "
                         "grew from 1.000e+00 (epoch 1) to 4.000e+02 (epoch "
                         "5)"),
            std::string::npos)
      << growing;
  std::string dipped = healthReport(
      config, log, epochsWithGlobalNorms({1, 2, 500, 120, 400}));
  EXPECT_EQ(dipped.find("exploding"), std::string::npos) << dipped;
}
