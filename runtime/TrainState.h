// TrainState.h - everything a run needs to continue: parameters, optimizer
// state, counters and the shuffle RNG position.
// SPDX-License-Identifier: MIT
//
// A checkpoint is this struct in a safetensors file: one tensor per
// parameter and per optimizer-state slot, named as in the config, and
// __metadata__ with model, epoch, step, seed and rng (the SplitMix64
// position, decimal). Loading it restores the run bit for bit.
#ifndef GRADC_RUNTIME_TRAINSTATE_H
#define GRADC_RUNTIME_TRAINSTATE_H

#include "Config.h"

#include <string>
#include <vector>

namespace gradc::rt {

struct TrainState {
  std::vector<std::vector<float>> params; ///< "params" order
  std::vector<std::vector<float>> state;  ///< "state" order
  int64_t epoch = 0;                      ///< completed epochs
  int64_t step = 0;                       ///< applied steps
  uint64_t seed = 0;
  uint64_t rng = 0; ///< shuffle stream position

  std::vector<float *> paramPointers();
  std::vector<float *> statePointers();
};

/// Fresh state: parameters from their initializers (seeded by `seed`),
/// optimizer state zero, then the parameters of `initFrom` if not empty.
TrainState initialState(const ModelConfig &config, uint64_t seed,
                        const std::string &initFrom);

/// Overwrites parameters with the same-named tensors of a safetensors file;
/// shapes must match and params with init "file" must be present.
void loadParamsFrom(const ModelConfig &config, const std::string &path,
                    TrainState &state);

void saveCheckpoint(const ModelConfig &config, const TrainState &state,
                    const std::string &path);
TrainState loadCheckpoint(const ModelConfig &config, const std::string &path);

} // namespace gradc::rt

#endif // GRADC_RUNTIME_TRAINSTATE_H
