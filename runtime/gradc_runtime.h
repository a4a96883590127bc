/* gradc_runtime.h - the C ABI between compiled training steps and the runtime.
 * SPDX-License-Identifier: MIT
 *
 * A compiled model (JIT or AOT object) exposes one gradc_model value: a JSON
 * description of everything the runtime needs (parameter names, shapes and
 * initializers, optimizer state, run-time hyperparameters, the metrics layout,
 * data sources, batching) and the entry points of the compiled code. The
 * runtime owns data loading, batching, initialization, the training loop,
 * history, checkpoints and the gradient-health report; it knows nothing of the
 * compiler. The reference interpreter provides the same entry points, so the
 * runtime drives interpreted and compiled models alike.
 *
 * Buffers are f32, row-major, one per parameter and per optimizer-state slot,
 * in the order of the "params" and "state" arrays of the JSON description.
 *
 * JSON description ("config"), produced by the compiler:
 *   model        model name
 *   source       absolute path of the .model file (for messages)
 *   x_shape      per-row input shape, e.g. [20] or [28,28,1]
 *   y_shape      per-row target shape: [1] for regression, [] for class
 *                labels (sparse), [C] for one-hot targets
 *   params       [{name, shape, init, fan_in, fan_out, trainable}]
 *                init: glorot_uniform he_uniform he_normal lecun_normal
 *                      zeros ones forget_bias (LSTM bias: 1 on the forget
 *                      quarter, 0 elsewhere), uniform (U(+-0.05)), vectors
 *                      (rows read from the entry's "vectors" text file,
 *                      line i = token id i) or "file"
 *   state        [{name, shape}]          zero-initialized
 *   hyper        [{name, value}]          e.g. lr, momentum, clip
 *   metrics      names of train_step's out_metrics, in order: "loss", then
 *                "norm.<param>" (pre-clip gradient norm) and
 *                "scale.<param>" (clip factor applied) per trainable param
 *   loss         mse | binary_crossentropy | categorical_crossentropy |
 *                sparse_categorical_crossentropy
 *   data         {kind: csv, path, target} | {kind: idx, images, labels}
 *                | {kind: tokens, path}; paths absolute
 *   validate     same shape as data, or {split: fraction}, or null
 *   batch, epochs, seed, shuffle
 *   max_batch    optional: the largest batch the compiled code takes (a
 *                --batch above it is refused); without it, the largest at
 *                which no x, y or output batch exceeds 2^31 elements
 *   init_from    absolute path of a safetensors file, or null
 *   input_id_limit  optional; when the input indexes an embedding, its
 *                vocabulary size: inputs must be integer ids below it
 *   output_shape optional: per-row shape of predict's output; without it
 *                the runtime derives it from y_shape (and, for class
 *                labels, from the largest label in the training data)
 */
#ifndef GRADC_RUNTIME_H
#define GRADC_RUNTIME_H

#include <signal.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Everything one training step reads and writes. */
typedef struct gradc_step_args {
  float **params;     /**< updated in place */
  float **state;      /**< updated in place */
  const float *x;     /**< [batch, x_shape...] */
  const float *y;     /**< [batch, y_shape...] */
  int64_t batch;      /**< real rows in this batch; means divide by it */
  int64_t step;       /**< 1-based global step (Adam, dropout masks) */
  uint64_t seed;      /**< run seed (dropout masks) */
  const float *hyper; /**< run-time hyperparameters, "hyper" order */
  float *metrics;     /**< out: values named by "metrics" */
} gradc_step_args;

typedef struct gradc_model {
  const char *config_json;
  void *context; /**< passed back to every entry point; NULL for compiled */
  /** Forward, backward, clip and update for one batch. */
  void (*train_step)(void *context, const gradc_step_args *args);
  /** Forward only: out[0] = batch-mean loss; no dropout, no update. */
  void (*eval_step)(void *context, float **params, const float *x,
                    const float *y, int64_t batch, float *out);
  /** Forward only: out = [batch, output...] model outputs. */
  void (*predict)(void *context, float **params, const float *x, int64_t batch,
                  float *out);
} gradc_model;

/** Trains `model` with the command-line options of a gradc executable
 *  (--epochs, --quiet, --history, --plot, --save, --resume, --on-nonfinite,
 *  ...). Returns the process exit status: 0 done, 1 user error, 3 diverged. */
int gradc_train_main(const gradc_model *model, int argc, char **argv);

/** Buffers for a C program that links a compiled model: one zeroed f32
 *  buffer per "params" (or "state") entry, in order, plus a terminating NULL
 *  pointer. Returns NULL (message on stderr) for a malformed config. Free
 *  with gradc_rt_free_buffers. */
float **gradc_rt_alloc_params(const char *config_json);
float **gradc_rt_alloc_state(const char *config_json);
void gradc_rt_free_buffers(float **buffers);

/** Initializes params from their initializers with `seed` (and init_from,
 *  if the config names a file) and zeroes the optimizer state, exactly as
 *  gradc_train_main does before the first step. Returns 0, or 1 after a
 *  message on stderr. */
int gradc_rt_init_params(const char *config_json, float **params, float **state,
                         uint64_t seed);

/** An interactive training session, as gradi's REPL drives it: the data,
 *  parameters, optimizer state and history live across calls, so training
 *  continues where it stopped and the model can be swapped for a recompiled
 *  one. Every function prints what it reports (stdout) or its error
 *  (stderr) and returns 0 on success, 1 after a user error. */
typedef struct gradc_session gradc_session;

/** Loads the data `model`'s config names and initializes the parameters
 *  with its seed. NULL after a message on stderr. */
gradc_session *gradc_session_create(const gradc_model *model);
void gradc_session_destroy(gradc_session *session);

/** Switches to `model` (new entry points, new config, or both): parameters
 *  and optimizer slots whose name and shape are unchanged keep their
 *  values, new ones are initialized; data is reloaded when its sources or
 *  shapes changed; hyperparameters take the new config's values. On error
 *  the session is left as it was. */
int gradc_session_set_model(gradc_session *session, const gradc_model *model);

/** Trains `epochs` more epochs (the config's count when <= 0) from the
 *  current state, printing one line per epoch. A non-zero *stop ends the
 *  run after the current step. Returns 0, 1, 3 when training diverged (the
 *  state goes back to the end of the last full epoch) or 4 when stopped. */
int gradc_session_train(gradc_session *session, int64_t epochs,
                        const volatile sig_atomic_t *stop);

/** Prints the loss (and accuracy) of the current parameters on the
 *  training and validation data. */
int gradc_session_eval(gradc_session *session);

/** Prints each parameter's gradient norm and clip factor of the last step,
 *  then the gradient-health summary of the last gradc_session_train. */
int gradc_session_grads(gradc_session *session);

/** Initializes parameters and optimizer state anew and clears the history. */
int gradc_session_reset(gradc_session *session);

/** Writes the state as a checkpoint (see --save) or the history as a plot
 *  (see --plot) to `path`. */
int gradc_session_save(gradc_session *session, const char *path);
int gradc_session_plot(gradc_session *session, const char *path);

#ifdef __cplusplus
}
#endif

#endif /* GRADC_RUNTIME_H */
