// Rng.cpp - SplitMix64 and the distributions built on it.
// SPDX-License-Identifier: MIT
//
// The mixing constants are those of the SplitMix64 paper; the stream seeds
// differ by odd constants so initialization and shuffling never share
// numbers even for seed 0.
#include "Rng.h"

#include <cmath>

namespace gradc::rt {

uint64_t SplitMix64::next() {
  state += 0x9e3779b97f4a7c15ULL;
  uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t SplitMix64::below(uint64_t bound) {
  // Reject the low values that would make some results more likely.
  uint64_t threshold = (0 - bound) % bound;
  for (;;) {
    uint64_t bits = next();
    if (bits >= threshold)
      return bits % bound;
  }
}

double SplitMix64::unit() { return double(next() >> 40) / double(1 << 24); }

double SplitMix64::uniform(double low, double high) {
  return low + (high - low) * unit();
}

double SplitMix64::normal() {
  // 1 - unit() lies in (0, 1], so the logarithm is finite.
  double radius = std::sqrt(-2.0 * std::log(1.0 - unit()));
  return radius * std::cos(2.0 * M_PI * unit());
}

uint64_t initStreamSeed(uint64_t runSeed) {
  return runSeed ^ 0x6a09e667f3bcc909ULL;
}

uint64_t shuffleStreamSeed(uint64_t runSeed) {
  return runSeed ^ 0xbb67ae8584caa73bULL;
}

} // namespace gradc::rt
