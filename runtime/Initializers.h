// Initializers.h - fill a parameter tensor from its initializer name.
// SPDX-License-Identifier: MIT
//
// The formulas follow Keras so that a model ported from Keras starts from
// the same distributions:
//   glorot_uniform  U(-a, a), a = sqrt(6 / (fan_in + fan_out))
//   he_uniform      U(-a, a), a = sqrt(6 / fan_in)
//   he_normal       normal truncated at 2 stddev, stddev sqrt(2 / fan_in)
//                   after truncation
//   lecun_normal    the same with sqrt(1 / fan_in)
//   orthogonal      rows or columns of a random orthogonal matrix (the
//                   shape flattened to [prod(shape[:-1]), shape[-1]])
//   zeros, ones, forget_bias (LSTM: ones on the second quarter)
//   file            zeros here; the values come from init_from
#ifndef GRADC_RUNTIME_INITIALIZERS_H
#define GRADC_RUNTIME_INITIALIZERS_H

#include "Config.h"
#include "Rng.h"

namespace gradc::rt {

/// Fills an embedding table from its vectors file: a text file whose line i
/// holds the shape[1] numbers of token id i, one line per id.
void readVectors(const ParamSpec &param, float *out);

/// Fills `out` (elementCount(param.shape) floats); throws UserError for an
/// unknown initializer or a missing fan.
void initializeParam(const ParamSpec &param, SplitMix64 &rng, float *out);

} // namespace gradc::rt

#endif // GRADC_RUNTIME_INITIALIZERS_H
