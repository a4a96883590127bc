// Evaluate.cpp - forward-only passes over a data set.
// SPDX-License-Identifier: MIT
//
// Rows are taken in file order; no shuffling, no dropout, no update.
#include "Evaluate.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace gradc::rt {
namespace {

int64_t argmax(const float *values, int64_t count) {
  return std::max_element(values, values + count) - values;
}

} // namespace

int64_t AccuracyCounter::correct(const float *out, const float *y,
                                 int64_t rows) const {
  int64_t hits = 0;
  for (int64_t r = 0; r < rows; ++r) {
    const float *o = out + r * outWidth;
    const float *t = y + r * yWidth;
    if (outWidth == 1)
      hits += (o[0] > 0.5f) == (t[0] > 0.5f);
    else if (yWidth == 1)
      hits += argmax(o, outWidth) == int64_t(t[0]);
    else
      hits += argmax(o, outWidth) == argmax(t, yWidth);
  }
  return hits;
}

int64_t outputWidth(const ModelConfig &config, const Dataset &data) {
  if (!config.outputShape.empty())
    return elementCount(config.outputShape);
  if (config.loss != "sparse_categorical_crossentropy")
    return elementCount(config.yShape);
  float largest = 0;
  for (float label : data.y)
    largest = std::max(largest, label);
  return int64_t(largest) + 1;
}

EvalResult evaluate(const gradc_model &model, float **params,
                    const Dataset &data, int64_t batch,
                    const AccuracyCounter *counter) {
  int64_t outWidth = counter ? counter->outputWidth() : 0;
  std::vector<float> out(batch * std::max<int64_t>(outWidth, 1));
  double lossSum = 0;
  int64_t hits = 0;
  for (int64_t first = 0; first < data.rows; first += batch) {
    int64_t rows = std::min(batch, data.rows - first);
    const float *x = &data.x[first * data.xWidth];
    const float *y = &data.y[first * data.yWidth];
    float loss = 0;
    model.eval_step(model.context, params, x, y, rows, &loss);
    lossSum += double(loss) * double(rows);
    if (!counter)
      continue;
    model.predict(model.context, params, x, rows, out.data());
    hits += counter->correct(out.data(), y, rows);
  }
  EvalResult result;
  result.loss = lossSum / double(data.rows);
  result.accuracy = counter ? double(hits) / double(data.rows) : NAN;
  return result;
}

} // namespace gradc::rt
