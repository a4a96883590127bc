// Interpreter.h - the reference interpreter of the graph IR.
// SPDX-License-Identifier: MIT
//
// Executes a verified graph node by node with one plain kernel per op kind.
// It is slow on purpose: it is the oracle that codegen, passes and gradient
// checks are compared against. f32 graphs round every node's result to
// float, so results track an f32 JIT within a few ulps per op.
//
//   Interpreter interp(graph);
//   interp.setLeaf("x", xs);            // Input, Param and State leaves
//   interp.setSeed(1);                  // dropout masks
//   auto outputs = interp.run();        // output name -> Tensor

#ifndef GRADC_INTERP_INTERPRETER_H
#define GRADC_INTERP_INTERPRETER_H

#include "interp/Kernels.h"
#include "interp/Tensor.h"

#include "llvm/Support/Error.h"

#include <map>
#include <string>

namespace gradc::interp {

class Interpreter {
public:
  explicit Interpreter(const ir::Graph &graph) : graph_(graph) {}

  /// Gives a leaf its value. Hyper leaves default to their `value` attr.
  void setLeaf(const std::string &name, Tensor value);
  /// Gives a leaf its elements; the batch size follows from the count.
  llvm::Error setLeafData(const std::string &name, std::vector<double> data);
  /// The real row count of this batch; by default, the batch of the first
  /// leaf given with a B dimension, or 1.
  void setBatchSize(int64_t batch) { batch_ = batch; }
  /// The value of step leaves (1-based global step).
  void setStep(int64_t step) { ctx_.step = step; }
  /// The seed of dropout masks without their own `seed` attribute.
  void setSeed(uint64_t seed) { ctx_.seed = seed; }

  /// Runs the graph; returns every output by name.
  llvm::Expected<std::map<std::string, Tensor>> run();
  /// After run(): the value of any node, or nullptr.
  const Tensor *value(const std::string &name) const;

private:
  llvm::Expected<Tensor> leafValue(const ir::Node &node) const;
  llvm::Expected<Tensor> evalNode(const ir::Node &node) const;
  int64_t batchSize() const;

  const ir::Graph &graph_;
  std::map<std::string, Tensor> leaves_;
  std::map<const ir::Node *, Tensor> values_;
  int64_t batch_ = -1;
  RunContext ctx_;
};

} // namespace gradc::interp

#endif // GRADC_INTERP_INTERPRETER_H
