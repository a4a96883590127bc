// Rng.h - the runtime's deterministic random numbers (SplitMix64).
// SPDX-License-Identifier: MIT
//
// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
// generators", OOPSLA 2014) keeps its whole position in one 64-bit word, so a
// checkpoint stores it exactly and a resumed run draws the same numbers. The
// integer stream is identical on every platform; floats are built from the
// top 24 bits, and normals use Box-Muller in double precision.
#ifndef GRADC_RUNTIME_RNG_H
#define GRADC_RUNTIME_RNG_H

#include <cstdint>

namespace gradc::rt {

class SplitMix64 {
public:
  explicit SplitMix64(uint64_t state) : state(state) {}

  /// The next 64 random bits.
  uint64_t next();
  /// Uniform in [0, bound); bound > 0. Unbiased (rejection sampling).
  uint64_t below(uint64_t bound);
  /// Uniform in [0, 1) with 24 random bits, exactly representable in f32.
  double unit();
  /// Uniform in [low, high).
  double uniform(double low, double high);
  /// Standard normal (Box-Muller, one value per call).
  double normal();

  uint64_t position() const { return state; }

private:
  uint64_t state;
};

/// Seeds of the independent streams derived from the run seed.
uint64_t initStreamSeed(uint64_t runSeed);
uint64_t shuffleStreamSeed(uint64_t runSeed);

} // namespace gradc::rt

#endif // GRADC_RUNTIME_RNG_H
