// GradCheck.h - finite-difference checking of symbolic gradients.
// SPDX-License-Identifier: MIT
//
// Shared by the gradient-check tests. A test builds a small f64 graph with an
// output "loss", names the data of each leaf, and asks for the worst
// relative error between the "grad.<param>" outputs that autodiff adds and
// central differences of the loss, both evaluated by the reference
// interpreter. Values are drawn away from the kinks of the op under test.

#ifndef GRADC_TEST_GRADCHECK_H
#define GRADC_TEST_GRADCHECK_H

#include "interp/Interpreter.h"
#include "ir/Builder.h"
#include "passes/Autodiff.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <sstream>
#include <string>

namespace gradc::test {

/// The batch size of every B dimension in a gradient check.
constexpr int64_t kCheckBatch = 2;

/// Draws values uniform in [lo, hi], at least `margin` away from each kink.
class ValueSource {
public:
  explicit ValueSource(uint64_t seed) : rng_(seed) {}

  std::vector<double> draw(int64_t count, double lo, double hi,
                           std::vector<double> kinks = {0.0},
                           double margin = 0.1) {
    std::vector<double> values;
    std::uniform_real_distribution<double> dist(lo, hi);
    while (static_cast<int64_t>(values.size()) < count) {
      double v = dist(rng_);
      if (isClear(v, kinks, margin))
        values.push_back(v);
    }
    return values;
  }

private:
  static bool isClear(double v, const std::vector<double> &kinks,
                      double margin) {
    return std::none_of(kinks.begin(), kinks.end(),
                        [&](double k) { return std::fabs(v - k) < margin; });
  }
  std::mt19937_64 rng_;
};

/// Leaf name -> elements, for every Input and Param of a checked graph.
using LeafData = std::map<std::string, std::vector<double>>;

/// The outcome of a check: the worst error and where it was found.
struct GradCheckResult {
  double worstError = 0;
  std::string where;
  std::string failure; ///< non-empty when autodiff or the interpreter failed
  int checkedValues = 0;
};

inline llvm::Expected<std::map<std::string, interp::Tensor>>
evaluate(const ir::Graph &g, const LeafData &data) {
  interp::Interpreter interp(g);
  for (const auto &[name, values] : data)
    if (auto err = interp.setLeafData(name, values))
      return std::move(err);
  return interp.run();
}

inline double relativeError(double a, double b) {
  return std::fabs(a - b) / std::max({std::fabs(a), std::fabs(b), 1.0});
}

/// The loss with element `i` of leaf `name` moved by `delta`.
inline double shiftedLoss(const ir::Graph &g, LeafData data,
                          const std::string &name, size_t i, double delta) {
  data[name][i] += delta;
  auto out = evaluate(g, data);
  if (!out) {
    llvm::consumeError(out.takeError());
    return NAN;
  }
  return out->at("loss").data[0];
}

/// Compares every "grad.<param>" output of `g` with central differences of
/// step `h`.
inline GradCheckResult compareWithDifferences(const ir::Graph &g,
                                              const LeafData &data,
                                              double h = 1e-5) {
  GradCheckResult result;
  auto out = evaluate(g, data);
  if (!out) {
    result.failure = llvm::toString(out.takeError());
    return result;
  }
  for (ir::Node *param : g.leaves(ir::OpKind::Param)) {
    if (param->intAttr("trainable", 1) == 0)
      continue;
    auto grad = out->find("grad." + param->name);
    if (grad == out->end()) {
      result.failure += "no output grad." + param->name + "; ";
      continue;
    }
    for (size_t i = 0; i < grad->second.data.size(); ++i) {
      double numeric = (shiftedLoss(g, data, param->name, i, h) -
                        shiftedLoss(g, data, param->name, i, -h)) /
                       (2 * h);
      double error = relativeError(grad->second.data[i], numeric);
      error = std::isnan(error) ? INFINITY : error;
      ++result.checkedValues;
      if (error > result.worstError || result.where.empty()) {
        std::ostringstream where;
        where << param->name << "[" << i << "]: symbolic "
              << grad->second.data[i] << ", numeric " << numeric;
        result.worstError = error;
        result.where = where.str();
      }
    }
  }
  return result;
}

/// Runs autodiff on `g`, then compareWithDifferences.
inline GradCheckResult checkGradients(ir::Graph &g, const LeafData &data,
                                      double h = 1e-5) {
  if (auto err = passes::runAutodiff(g)) {
    GradCheckResult result;
    result.failure = llvm::toString(std::move(err));
    return result;
  }
  return compareWithDifferences(g, data, h);
}

} // namespace gradc::test

#endif // GRADC_TEST_GRADCHECK_H
