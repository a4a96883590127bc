// Graph.h - the graph IR: types, nodes and graphs.
// SPDX-License-Identifier: MIT
//
// A Graph is a list of Nodes in topological order. Each Node is one operation
// (its kind comes from Ops.def) and also the single value it produces, in the
// way an llvm::Instruction is its own llvm::Value. Graph outputs are named
// references to nodes. Values carry the name of the layer they came from so
// that every later message, dump and checkpoint can say "dense_1.kernel".
//
// Graph conventions shared by passes, interpreter, codegen and runtime:
//  - leaves named "x" and "y" are the batch inputs and targets;
//  - Param and State leaves are named "<layer>.<param>" ("dense_1.kernel")
//    and "<param>.<slot>" ("dense_1.kernel.velocity");
//  - output "loss" is the batch-mean loss, "prediction" the model output;
//  - autodiff adds "grad.<param>", clip adds "norm.<param>" (pre-clip) and
//    "scale.<param>", the optimizer adds "new.<param>" and "new.<state>".

#ifndef GRADC_IR_GRAPH_H
#define GRADC_IR_GRAPH_H

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace gradc::ir {

/// Every kind of operation, generated from Ops.def.
enum class OpKind {
#define GIR_OP(Kind, Name, Arity, Category) Kind,
#include "ir/Ops.def"
};

/// The family of an op: the category column of Ops.def, which describes
/// each family.
enum class OpCategoryKind {
  Leaf,
  ElementwiseBinary,
  ElementwiseUnary,
  Reduction,
  Layout,
  Linear,
  Pool,
  LossEmbed,
};

/// The textual name of an op kind ("matmul").
const char *opName(OpKind kind);
/// The op kind with this textual name, or false when there is none.
bool opKindFromName(const std::string &name, OpKind &kind);
/// The number of operands, or -1 for variadic ops.
int opArity(OpKind kind);
/// The family of an op kind.
OpCategoryKind opCategory(OpKind kind);
/// True for ops without operands: Input, Param, State, Hyper, Constant,
/// BatchSize and StepCounter.
bool isLeaf(OpKind kind);
/// True for the elementwise ops, unary and (broadcasting) binary.
bool isElementwise(OpKind kind);

enum class ElemKind { F32, F64 };

/// The run-time batch dimension inside a Shape.
constexpr int64_t kBatchDim = -1;

struct Type {
  ElemKind elem = ElemKind::F32;
  std::vector<int64_t> dims; ///< empty for a scalar; kBatchDim allowed first

  bool isScalar() const { return dims.empty(); }
  bool hasBatchDim() const { return !dims.empty() && dims[0] == kBatchDim; }
  /// The element count, counting the batch dimension as `batch`.
  int64_t numElements(int64_t batch = 1) const;
  bool operator==(const Type &o) const {
    return elem == o.elem && dims == o.dims;
  }
  bool operator!=(const Type &o) const { return !(*this == o); }
};

/// An attribute value: integer, real, string or integer list.
using Attr = std::variant<int64_t, double, std::string, std::vector<int64_t>>;
using AttrMap = std::map<std::string, Attr>;

/// One operation and the value it produces.
struct Node {
  OpKind kind;
  std::vector<Node *> operands;
  Type type;
  AttrMap attrs;
  std::string name;  ///< unique within the graph; printed as %name
  std::string layer; ///< the layer this value belongs to, may be empty

  int64_t intAttr(const std::string &key, int64_t fallback = 0) const;
  double realAttr(const std::string &key, double fallback = 0) const;
  std::string strAttr(const std::string &key, std::string fallback = "") const;
  std::vector<int64_t> listAttr(const std::string &key) const;
  void dump() const;
};

struct GraphOutput {
  std::string name;
  Node *value;
};

/// A training-step or inference graph.
class Graph {
public:
  explicit Graph(std::string name) : name_(std::move(name)) {}

  const std::string &name() const { return name_; }
  const std::vector<std::unique_ptr<Node>> &nodes() const { return nodes_; }
  std::vector<GraphOutput> &outputs() { return outputs_; }
  const std::vector<GraphOutput> &outputs() const { return outputs_; }

  /// Appends a node; an empty name gets a fresh numeric one.
  Node *create(OpKind kind, std::vector<Node *> operands, Type type,
               AttrMap attrs = {}, std::string name = "",
               std::string layer = "");
  /// The node named `name`, or nullptr.
  Node *find(const std::string &name) const;
  /// The output named `name`, or nullptr.
  Node *output(const std::string &name) const;
  /// Adds or replaces the output named `name`.
  void setOutput(const std::string &name, Node *value);
  /// Leaves of one kind in graph order (all Params, all States, ...).
  std::vector<Node *> leaves(OpKind kind) const;

  /// Replaces every use of `from` (operands and outputs) with `to`.
  void replaceAllUses(Node *from, Node *to);
  /// Removes nodes no output depends on; keeps leaves. Returns the count.
  unsigned removeDeadNodes();
  /// Removes Constant leaves that no node or output uses: unlike the other
  /// leaves they are not part of the step's interface. Returns the count.
  unsigned removeUnusedConstants();
  /// Restores topological order after nodes were created out of order.
  void sortTopologically();

  void dump() const;

private:
  std::string name_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<GraphOutput> outputs_;
  unsigned nextId_ = 0;
};

} // namespace gradc::ir

#endif // GRADC_IR_GRAPH_H
