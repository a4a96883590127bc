// InterpDropoutTest.cpp - dropout masks from the counter-based RNG.
// SPDX-License-Identifier: MIT
//
// A mask must be a pure function of (seed, step, key, element): the same
// inputs give the same mask, changing any one of them gives another, every
// element is 0 or 1/(1-rate), and the kept fraction is close to 1 - rate.

#include "interp/Interpreter.h"
#include "ir/Builder.h"
#include "ir/CounterRng.h"

#include <gtest/gtest.h>

using namespace gradc;

namespace {
std::vector<double> mask(uint64_t seed, int64_t step, const std::string &key,
                         double rate, int64_t batch = 100) {
  ir::Graph g("dropout");
  ir::Builder b(g);
  ir::Type type{ir::ElemKind::F32, {ir::kBatchDim, 100}};
  g.setOutput("m", b.dropoutMask(b.step(), type, rate, key));
  interp::Interpreter interp(g);
  interp.setBatchSize(batch);
  interp.setSeed(seed);
  interp.setStep(step);
  auto out = interp.run();
  EXPECT_TRUE(!!out) << llvm::toString(out.takeError());
  return out ? out->at("m").data : std::vector<double>{};
}

TEST(InterpDropout, SameCounterSameMask) {
  EXPECT_EQ(mask(1, 3, "dropout_1", 0.5), mask(1, 3, "dropout_1", 0.5));
}

TEST(InterpDropout, AnyCounterChangesTheMask) {
  std::vector<double> base = mask(1, 3, "dropout_1", 0.5);
  EXPECT_NE(base, mask(2, 3, "dropout_1", 0.5));
  EXPECT_NE(base, mask(1, 4, "dropout_1", 0.5));
  EXPECT_NE(base, mask(1, 3, "dropout_2", 0.5));
}

TEST(InterpDropout, ValuesAreZeroOrInverseKeepRate) {
  double rate = 0.3;
  float scale = static_cast<float>(1.0 / (1.0 - rate));
  std::vector<double> m = mask(7, 1, "d", rate);
  ASSERT_EQ(m.size(), 10000u);
  size_t kept = 0;
  for (double v : m) {
    ASSERT_TRUE(v == 0.0 || v == double(scale)) << v;
    kept += v != 0;
  }
  EXPECT_NEAR(double(kept) / m.size(), 1 - rate, 0.03);
}

TEST(InterpDropout, MatchesTheSharedCounterHash) {
  std::vector<double> m = mask(5, 2, "drop", 0.25, 1);
  uint64_t key = ir::rngKeyFromName("drop");
  uint64_t threshold = ir::dropoutThreshold(0.25);
  for (uint64_t i = 0; i < m.size(); ++i) {
    bool keep = ir::dropoutKeeps(ir::counterHash(5, 2, key, i), threshold);
    EXPECT_EQ(m[i] != 0, keep) << "element " << i;
  }
}

TEST(InterpDropout, RateZeroKeepsEverything) {
  for (double v : mask(9, 1, "d", 0.0, 3))
    EXPECT_EQ(v, 1.0);
}
} // namespace
