// Buffers.cpp - the C helpers that let a plain C program allocate and
// initialize the buffers of a compiled model.
// SPDX-License-Identifier: MIT
//
// Buffers come from calloc so C code may also free them itself; the pointer
// arrays are NULL-terminated so gradc_rt_free_buffers needs no count.
#include "Error.h"
#include "TrainState.h"
#include "gradc_runtime.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace gradc::rt {
namespace {

float **allocate(const std::vector<Shape> &shapes) {
  auto **buffers =
      static_cast<float **>(std::calloc(shapes.size() + 1, sizeof(float *)));
  for (size_t i = 0; buffers && i < shapes.size(); ++i)
    buffers[i] = static_cast<float *>(std::calloc(
        std::max<int64_t>(elementCount(shapes[i]), 1), sizeof(float)));
  return buffers;
}

template <typename Spec>
std::vector<Shape> shapesOf(const std::vector<Spec> &specs) {
  std::vector<Shape> shapes;
  for (const Spec &spec : specs)
    shapes.push_back(spec.shape);
  return shapes;
}

/// Runs `body` on the parsed config; prints a UserError (or running out of
/// memory) and returns its failure value instead of throwing across the C
/// boundary.
template <typename Result, typename Body>
Result withConfig(const char *json, Result failure, Body body) {
  try {
    return body(parseConfig(json));
  } catch (const UserError &error) {
    std::fprintf(stderr, "%s\n", error.what());
    return failure;
  } catch (const std::bad_alloc &) {
    std::fprintf(stderr, "%s\n", OutOfMemoryMessage);
    return failure;
  }
}

} // namespace
} // namespace gradc::rt

using namespace gradc::rt;

float **gradc_rt_alloc_params(const char *config_json) {
  return withConfig(config_json, (float **)nullptr, [](const ModelConfig &c) {
    return allocate(shapesOf(c.params));
  });
}

float **gradc_rt_alloc_state(const char *config_json) {
  return withConfig(config_json, (float **)nullptr, [](const ModelConfig &c) {
    return allocate(shapesOf(c.state));
  });
}

void gradc_rt_free_buffers(float **buffers) {
  for (float **buffer = buffers; buffer && *buffer; ++buffer)
    std::free(*buffer);
  std::free(buffers);
}

int gradc_rt_init_params(const char *config_json, float **params, float **state,
                         uint64_t seed) {
  return withConfig(config_json, int(ExitUserError), [&](const ModelConfig &c) {
    TrainState fresh = initialState(c, seed, c.initFrom);
    for (size_t i = 0; i < c.params.size(); ++i)
      std::copy(fresh.params[i].begin(), fresh.params[i].end(), params[i]);
    for (size_t i = 0; i < c.state.size(); ++i)
      std::copy(fresh.state[i].begin(), fresh.state[i].end(), state[i]);
    return int(ExitOk);
  });
}
