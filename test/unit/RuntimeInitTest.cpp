// RuntimeInitTest.cpp - initializer distributions and the C buffer helpers.
// SPDX-License-Identifier: MIT
//
// Statistics are taken over 40,000 draws; tolerances are several standard
// errors wide, so the tests are stable yet catch a wrong formula (a factor
// of sqrt(2) in a stddev is far outside them).
#include "Error.h"
#include "Initializers.h"
#include "RuntimeTestSupport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace gradc::rt;

namespace {

struct Stats {
  double mean = 0, stddev = 0, low = 0, high = 0;
};

Stats drawStats(const std::string &init, Shape shape, int64_t fanIn,
                int64_t fanOut) {
  ParamSpec param{"p", shape, init, fanIn, fanOut, true};
  std::vector<float> values(elementCount(shape));
  SplitMix64 rng(123);
  initializeParam(param, rng, values.data());
  Stats stats;
  for (float v : values)
    stats.mean += v / double(values.size());
  for (float v : values)
    stats.stddev += (v - stats.mean) * (v - stats.mean) / double(values.size());
  stats.stddev = std::sqrt(stats.stddev);
  stats.low = *std::min_element(values.begin(), values.end());
  stats.high = *std::max_element(values.begin(), values.end());
  return stats;
}

} // namespace

TEST(RuntimeInit, GlorotUniformBoundsAndVariance) {
  double limit = std::sqrt(6.0 / (200 + 200));
  Stats s = drawStats("glorot_uniform", {200, 200}, 200, 200);
  EXPECT_GE(s.low, -limit);
  EXPECT_LT(s.high, limit);
  EXPECT_GT(s.high, 0.99 * limit);
  EXPECT_NEAR(s.mean, 0.0, 0.01 * limit);
  EXPECT_NEAR(s.stddev, limit / std::sqrt(3.0), 0.01 * limit);
}

TEST(RuntimeInit, HeUniformUsesFanInOnly) {
  double limit = std::sqrt(6.0 / 100);
  Stats s = drawStats("he_uniform", {100, 400}, 100, 400);
  EXPECT_GE(s.low, -limit);
  EXPECT_GT(s.high, 0.99 * limit);
  EXPECT_NEAR(s.stddev, limit / std::sqrt(3.0), 0.01 * limit);
}

// Keras' Embedding default: RandomUniform(-0.05, 0.05), independent of fans.
TEST(RuntimeInit, UniformIsKerasEmbeddingDefault) {
  Stats s = drawStats("uniform", {1000, 50}, 1000, 50);
  EXPECT_GE(s.low, -0.05);
  EXPECT_LT(s.high, 0.05);
  EXPECT_GT(s.high, 0.99 * 0.05);
  EXPECT_NEAR(s.stddev, 0.05 / std::sqrt(3.0), 0.0005);
}

TEST(RuntimeInit, TruncatedNormalsHaveTheirNominalStddev) {
  double he = std::sqrt(2.0 / 100);
  Stats s = drawStats("he_normal", {100, 400}, 100, 400);
  EXPECT_NEAR(s.stddev, he, 0.02 * he);
  EXPECT_LE(std::max(-s.low, s.high), 2 * he / .87962566103423978);
  double lecun = std::sqrt(1.0 / 50);
  s = drawStats("lecun_normal", {100, 400}, 50, 400);
  EXPECT_NEAR(s.stddev, lecun, 0.02 * lecun);
  EXPECT_NEAR(s.mean, 0.0, 0.02 * lecun);
}

TEST(RuntimeInit, ConstantsAndForgetBias) {
  ParamSpec bias{"lstm.bias", {8}, "forget_bias", 0, 0, true};
  std::vector<float> values(8, -1);
  SplitMix64 rng(1);
  initializeParam(bias, rng, values.data());
  EXPECT_EQ(values, (std::vector<float>{0, 0, 1, 1, 0, 0, 0, 0}));
  EXPECT_EQ(drawStats("ones", {5}, 0, 0).low, 1.0);
  EXPECT_EQ(drawStats("zeros", {5}, 0, 0).high, 0.0);
}

TEST(RuntimeInit, OrthogonalColumnsAreOrthonormal) {
  ParamSpec param{"q", {6, 4}, "orthogonal", 6, 4, true};
  std::vector<float> q(24);
  SplitMix64 rng(9);
  initializeParam(param, rng, q.data());
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      double dot = 0;
      for (int r = 0; r < 6; ++r)
        dot += double(q[r * 4 + i]) * q[r * 4 + j];
      EXPECT_NEAR(dot, i == j ? 1.0 : 0.0, 1e-5) << i << "," << j;
    }
}

TEST(RuntimeInit, UnknownInitializerIsAUserError) {
  EXPECT_THROW(drawStats("glorot_normalish", {2}, 1, 1), UserError);
  EXPECT_THROW(drawStats("he_uniform", {2}, 0, 1), UserError);
}

TEST(RuntimeInit, CHelpersMatchTheTrainerAndAreSeeded) {
  std::string config = gradc::rttest::fakeLinearConfig().dump();
  float **params = gradc_rt_alloc_params(config.c_str());
  float **state = gradc_rt_alloc_state(config.c_str());
  ASSERT_NE(params, nullptr);
  ASSERT_EQ(params[2], nullptr);
  state[0][0] = 5;
  ASSERT_EQ(gradc_rt_init_params(config.c_str(), params, state, 7), 0);
  EXPECT_EQ(state[0][0], 0.0f);
  EXPECT_EQ(params[1][0], 0.0f);
  float first = params[0][0];
  ASSERT_EQ(gradc_rt_init_params(config.c_str(), params, state, 7), 0);
  EXPECT_EQ(params[0][0], first);
  ASSERT_EQ(gradc_rt_init_params(config.c_str(), params, state, 8), 0);
  EXPECT_NE(params[0][0], first);
  gradc_rt_free_buffers(params);
  gradc_rt_free_buffers(state);
  EXPECT_EQ(gradc_rt_alloc_params("{"), nullptr);
}
