// JitVsInterpSupport.h - running one graph through the JIT and the interpreter.
// SPDX-License-Identifier: MIT
//
// Shared by the JIT-versus-interpreter tests: parse and verify a .gir text,
// fill its leaves with reproducible values, run it both ways and compare
// element by element with a relative tolerance (the interpreter computes in
// f64 and rounds each node to f32; the JIT stays in f32 and fuses).

#ifndef GRADC_TEST_JITVSINTERPSUPPORT_H
#define GRADC_TEST_JITVSINTERPSUPPORT_H

#include "driver/DriverCodegen.h"
#include "driver/DriverPasses.h"
#include "interp/Interpreter.h"
#include "ir/Parser.h"
#include "ir/Verifier.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace gradc::test {

/// Runs the registered pass `name` (as gradc-opt --name=options would).
inline void runPass(ir::Graph &graph, const char *name, const char *options) {
  const driver::PassInfo *pass = driver::findPass(name);
  ASSERT_NE(pass, nullptr) << name;
  auto parsed = driver::PassOptions::parse(options);
  ASSERT_TRUE(bool(parsed)) << llvm::toString(parsed.takeError());
  llvm::Error err = pass->run(graph, *parsed);
  ASSERT_FALSE(bool(err)) << llvm::toString(std::move(err));
}

/// Parses and verifies `text`; a failure is reported and gives nullptr.
inline std::unique_ptr<ir::Graph> parseVerified(const std::string &text) {
  auto graph = ir::parseGraph(text, "test.gir");
  if (!graph) {
    ADD_FAILURE() << llvm::toString(graph.takeError());
    return nullptr;
  }
  if (llvm::Error err = ir::verifyGraph(**graph)) {
    ADD_FAILURE() << llvm::toString(std::move(err));
    return nullptr;
  }
  return std::move(*graph);
}

/// `count` uniform values in [lo, hi), the same for the same `seed`.
inline std::vector<float> sample(int64_t count, unsigned seed, float lo,
                                 float hi) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> values(count);
  for (float &v : values)
    v = dist(rng);
  return values;
}

/// How a tolerance scales: with each element (elementwise ops; elements
/// near zero use a thousandth of the largest), or with the largest element
/// of the tensor (sums of products, whose rounding error is proportional to
/// the terms, not to the possibly cancelled result).
enum class ToleranceKind { Elementwise, Normwise };

/// Every element of `jit` within `rel` of `ref`; infinities must match.
inline void expectClose(const std::vector<float> &jit,
                        const std::vector<double> &ref, double rel,
                        const std::string &what,
                        ToleranceKind kind = ToleranceKind::Elementwise) {
  ASSERT_EQ(jit.size(), ref.size()) << what;
  double largest = 0;
  for (double r : ref)
    largest = std::isfinite(r) ? std::max(largest, std::fabs(r)) : largest;
  for (size_t i = 0; i < ref.size(); ++i) {
    if (std::isnan(ref[i]) || std::isinf(ref[i])) {
      EXPECT_EQ(std::isnan(jit[i]), std::isnan(ref[i])) << what << i;
      if (std::isinf(ref[i]))
        EXPECT_EQ(double(jit[i]), ref[i]) << what << "[" << i << "]";
      continue;
    }
    double floor = kind == ToleranceKind::Normwise ? 1.0 : 1e-3;
    double scale = std::max(std::fabs(ref[i]), floor * largest);
    EXPECT_NEAR(jit[i], ref[i], rel * scale + 1e-37)
        << what << "[" << i << "]";
  }
}

inline std::vector<double> widen(const std::vector<float> &v) {
  return std::vector<double>(v.begin(), v.end());
}

/// Leaf values: explicit ones by name, random ones in [lo, hi) otherwise.
struct LeafValues {
  std::map<std::string, std::vector<float>> given;
  float lo = -2, hi = 2;

  std::vector<float> of(const ir::Node &leaf, int64_t batch) const {
    auto it = given.find(leaf.name);
    if (it != given.end())
      return it->second;
    unsigned seed = std::hash<std::string>()(leaf.name) & 0xffff;
    return sample(leaf.type.numElements(batch), seed, lo, hi);
  }
};

/// Runs the predict graph `text` ("prediction" output) with the JIT and the
/// interpreter at `batch` rows and compares; `maxBatch` sizes the arena.
inline void checkPredict(const std::string &text, int64_t batch,
                         const LeafValues &values = {}, double rel = 1e-5,
                         int64_t maxBatch = 0,
                         ToleranceKind kind = ToleranceKind::Elementwise) {
  auto graph = parseVerified(text);
  if (!graph)
    return;
  driver::ModelGraphs model;
  model.name = "t";
  model.configJson = "{}";
  model.predict = graph.get();
  model.maxBatch = maxBatch ? maxBatch : batch;
  auto jit = driver::jitModel(model, driver::CodegenOptions());
  ASSERT_TRUE(bool(jit)) << llvm::toString(jit.takeError());

  interp::Interpreter interp(*graph);
  interp.setBatchSize(batch);
  interp.setStep(0);
  std::vector<std::vector<float>> params;
  std::vector<float> x;
  for (const auto &node : graph->nodes()) {
    if (node->kind != ir::OpKind::Param && node->kind != ir::OpKind::Input)
      continue;
    std::vector<float> data = values.of(*node, batch);
    ASSERT_FALSE(bool(interp.setLeafData(node->name, widen(data))));
    if (node->kind == ir::OpKind::Param)
      params.push_back(data);
    else
      x = data;
  }
  auto ref = interp.run();
  ASSERT_TRUE(bool(ref)) << llvm::toString(ref.takeError());
  const interp::Tensor &want = ref->at("prediction");

  std::vector<float *> pointers;
  for (auto &p : params)
    pointers.push_back(p.data());
  std::vector<float> out(want.data.size(), -12345.0f);
  (*jit)->model.predict(nullptr, pointers.data(), x.data(), batch, out.data());
  expectClose(out, want.data, rel, "prediction of @" + graph->name(), kind);
}

} // namespace gradc::test

#endif // GRADC_TEST_JITVSINTERPSUPPORT_H
