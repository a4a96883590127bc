// Initializers.cpp - the Keras-compatible initializers.
// SPDX-License-Identifier: MIT
//
// A truncated normal draws N(0, s) and redraws values beyond 2s. Truncation
// shrinks the standard deviation by the factor 0.87962566103423978, so the
// normal initializers divide by it to reach their nominal stddev.
#include "Initializers.h"

#include "Error.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace gradc::rt {
namespace {

constexpr double truncatedStddevFactor = .87962566103423978;
constexpr double kDefaultUniformLimit = 0.05;

void fillUniform(SplitMix64 &rng, double limit, float *out, int64_t count) {
  for (int64_t i = 0; i < count; ++i)
    out[i] = float(rng.uniform(-limit, limit));
}

void fillTruncatedNormal(SplitMix64 &rng, double stddev, float *out,
                         int64_t count) {
  double scale = stddev / truncatedStddevFactor;
  for (int64_t i = 0; i < count; ++i) {
    double value = rng.normal();
    while (std::fabs(value) > 2.0)
      value = rng.normal();
    out[i] = float(value * scale);
  }
}

/// Orthonormalizes the `count` vectors of length `len` stored in `vectors`
/// (modified Gram-Schmidt); count <= len.
void orthonormalize(std::vector<double> &vectors, int64_t count, int64_t len) {
  for (int64_t i = 0; i < count; ++i) {
    double *v = &vectors[i * len];
    for (int64_t j = 0; j < i; ++j) {
      const double *u = &vectors[j * len];
      double dot = 0;
      for (int64_t k = 0; k < len; ++k)
        dot += v[k] * u[k];
      for (int64_t k = 0; k < len; ++k)
        v[k] -= dot * u[k];
    }
    double norm = 0;
    for (int64_t k = 0; k < len; ++k)
      norm += v[k] * v[k];
    for (int64_t k = 0; k < len; ++k)
      v[k] /= std::sqrt(norm);
  }
}

void fillOrthogonal(const Shape &shape, SplitMix64 &rng, float *out) {
  int64_t cols = shape.empty() ? 1 : shape.back();
  int64_t rows = elementCount(shape) / std::max<int64_t>(cols, 1);
  // Orthonormal vectors along the longer side; transpose when rows < cols.
  int64_t count = std::min(rows, cols), len = std::max(rows, cols);
  std::vector<double> vectors(count * len);
  for (double &value : vectors)
    value = rng.normal();
  orthonormalize(vectors, count, len);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      out[r * cols + c] =
          float(rows >= cols ? vectors[c * len + r] : vectors[r * len + c]);
}

void fillForgetBias(const ParamSpec &param, float *out) {
  int64_t count = elementCount(param.shape);
  if (count % 4 != 0)
    throw UserError("", fmt::format("forget_bias of '{}' needs a length "
                                    "divisible by 4, got {}",
                                    param.name, count));
  std::fill(out, out + count, 0.0f);
  std::fill(out + count / 4, out + count / 2, 1.0f);
}

int64_t requireFan(const ParamSpec &param, int64_t fan, const char *which) {
  if (fan <= 0)
    throw UserError("", fmt::format("initializer {} of '{}' needs a positive "
                                    "{}",
                                    param.init, param.name, which));
  return fan;
}

} // namespace

void initializeParam(const ParamSpec &param, SplitMix64 &rng, float *out) {
  int64_t count = elementCount(param.shape);
  const std::string &init = param.init;
  if (init == "zeros" || init == "file")
    return void(std::fill(out, out + count, 0.0f));
  if (init == "ones")
    return void(std::fill(out, out + count, 1.0f));
  if (init == "forget_bias")
    return fillForgetBias(param, out);
  if (init == "orthogonal")
    return fillOrthogonal(param.shape, rng, out);
  if (init == "vectors")
    return readVectors(param, out);
  if (init == "uniform") // Keras RandomUniform defaults, used by Embedding
    return fillUniform(rng, kDefaultUniformLimit, out, count);
  if (init == "glorot_uniform") {
    double fans = double(requireFan(param, param.fanIn, "fan_in") +
                         requireFan(param, param.fanOut, "fan_out"));
    return fillUniform(rng, std::sqrt(6.0 / fans), out, count);
  }
  if (init != "he_uniform" && init != "he_normal" && init != "lecun_normal")
    throw UserError(
        "", fmt::format("unknown initializer '{}' of '{}'", init, param.name));
  double fanIn = double(requireFan(param, param.fanIn, "fan_in"));
  if (init == "he_uniform")
    return fillUniform(rng, std::sqrt(6.0 / fanIn), out, count);
  double gain = init == "he_normal" ? 2.0 : 1.0;
  fillTruncatedNormal(rng, std::sqrt(gain / fanIn), out, count);
}

} // namespace gradc::rt
