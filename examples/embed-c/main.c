/* main.c - a plain C program that trains a gradc-compiled model itself.
 * SPDX-License-Identifier: MIT
 *
 * Shows the AOT interface without the runtime's training loop: the program
 * includes the header written by `gradc -emit-header`, links the object
 * written by `gradc -c` and libgradc_runtime.a (only for buffer allocation
 * and initialization), and calls the compiled train_step and predict on its
 * own arrays. The data is synthetic: y = 3 * (x0 - x1) + 0.5 * x2 for the
 * regression example's 20 inputs. Build and run: see README.md.
 */
#include "regression.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum { kRows = 256, kBatch = 32, kEpochs = 30 };

static float xs[kRows][REGRESSION_X_SIZE];
static float ys[kRows];

static void makeData(void) {
  unsigned state = 12345;
  for (int r = 0; r < kRows; ++r) {
    for (int c = 0; c < REGRESSION_X_SIZE; ++c) {
      state = state * 1103515245u + 12345u;
      xs[r][c] = (float)((state >> 8) & 0xffff) / 32768.0f - 1.0f;
    }
    ys[r] = 3.0f * (xs[r][0] - xs[r][1]) + 0.5f * xs[r][2];
  }
}

/* One epoch of steps in order; returns the mean of the batch losses. */
static float trainEpoch(float **params, float **state, int64_t *step) {
  static const float hyper[] = REGRESSION_HYPER_DEFAULTS;
  float metrics[REGRESSION_NUM_METRICS];
  float total = 0;
  int batches = 0;
  for (int r = 0; r < kRows; r += kBatch) {
    gradc_step_args args = {params, state, &xs[r][0], &ys[r], kBatch,
                            ++*step, 1, hyper, metrics};
    regression_train_step(NULL, &args);
    total += metrics[0];
    ++batches;
  }
  return total / batches;
}

int main(void) {
  float **params = gradc_rt_alloc_params(regression_config);
  float **state = gradc_rt_alloc_state(regression_config);
  if (!params || !state ||
      gradc_rt_init_params(regression_config, params, state, 1) != 0)
    return 1;
  makeData();

  int64_t step = 0;
  float first = trainEpoch(params, state, &step);
  float last = first;
  for (int e = 1; e < kEpochs; ++e)
    last = trainEpoch(params, state, &step);
  printf("metrics: %d, hyper: %d\n", REGRESSION_NUM_METRICS,
         REGRESSION_NUM_HYPER);
  printf("first epoch loss %.4f\n", first);
  printf("last epoch loss %.4f\n", last);

  float prediction[2];
  regression_predict(NULL, params, &xs[0][0], 2, prediction);
  printf("prediction %.3f (target %.3f)\n", prediction[0], ys[0]);
  printf("%s\n", last < 0.25f * first && isfinite(last) ? "learned"
                                                         : "did not learn");
  gradc_rt_free_buffers(params);
  gradc_rt_free_buffers(state);
  return 0;
}
