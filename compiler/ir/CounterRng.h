// CounterRng.h - the counter-based random numbers behind dropout masks.
// SPDX-License-Identifier: MIT
//
// A mask element is a pure function of (seed, step, key, element index), so
// the interpreter, the JIT and AOT code produce the same mask bit for bit
// without carrying generator state. The hash is splitmix64's finalizer
// applied in a chain (Steele, Lea and Flood, "Fast splittable pseudorandom
// number generators", OOPSLA 2014). Everything here is integer arithmetic
// except the final scale, which is computed in double and then rounded once
// to the element type.
//
// The element index is the row-major position in the mask with the batch
// dimension at its run-time size. The key of a layer is the FNV-1a hash of
// its name, or the integer given in the op's `key` attribute.

#ifndef GRADC_IR_COUNTERRNG_H
#define GRADC_IR_COUNTERRNG_H

#include <cstdint>
#include <string_view>

namespace gradc::ir {

/// splitmix64's output function: a bijective 64-bit mixer.
inline uint64_t mix64(uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// 64 random bits for one element of one mask at one step.
inline uint64_t counterHash(uint64_t seed, uint64_t step, uint64_t key,
                            uint64_t index) {
  uint64_t h = mix64(seed);
  h = mix64(h ^ step);
  h = mix64(h ^ key);
  return mix64(h ^ index);
}

/// FNV-1a of a layer name: the key of a dropout mask named by a string.
inline uint64_t rngKeyFromName(std::string_view name) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : name) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

/// The 24-bit threshold below which an element is dropped:
/// element dropped iff (hash >> 40) < threshold.
inline uint64_t dropoutThreshold(double rate) {
  return static_cast<uint64_t>(rate * 16777216.0);
}

/// True when the element survives.
inline bool dropoutKeeps(uint64_t hash, uint64_t threshold) {
  return (hash >> 40) >= threshold;
}

/// The value of a kept element, 1 / (1 - rate), before rounding to f32/f64.
inline double dropoutScale(double rate) { return 1.0 / (1.0 - rate); }

} // namespace gradc::ir

#endif // GRADC_IR_COUNTERRNG_H
