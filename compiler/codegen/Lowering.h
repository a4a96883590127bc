// Lowering.h - the state of lowering one graph into one LLVM function.
// SPDX-License-Identifier: MIT
//
// GraphLowering owns the decisions made once per graph: which per-element
// nodes are computed inside their single user's loop (inlined), where every
// other node lives (a leaf buffer, an output buffer it is computed into in
// place, or the scratch arena), and the order in which nodes are emitted so
// that no buffer is overwritten while its old value is still needed. Kernels
// (Kernels.h) read operands through read(), which either loads from a buffer
// or evaluates an inlined expression at the same index, so fusion needs no
// special case in any kernel.

#ifndef GRADC_CODEGEN_LOWERING_H
#define GRADC_CODEGEN_LOWERING_H

#include "ir/Graph.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/Support/Error.h"

#include <vector>

namespace gradc::codegen {

class KernelOutliner;
using ir::Node;

/// A position inside a tensor: one i64 per dimension, or (`flat` set) the
/// row-major position, used when every tensor read has the root's shape.
struct Index {
  llvm::SmallVector<llvm::Value *, 4> dims;
  llvm::Value *flat = nullptr;
};

/// Where the value of a node lives.
enum class StorageKind {
  Inline, ///< recomputed inside its user's loop
  Scalar, ///< an SSA value (hyper, batch size, step, constants)
  Buffer, ///< a pointer: leaf buffer, output buffer or arena slot
  Alias,  ///< reshape: the operand's buffer with another shape
};

class GraphLowering {
public:
  /// Kernels are emitted through `outliner`, shared by the module's graphs.
  GraphLowering(llvm::IRBuilder<> &builder, const ir::Graph &graph,
                int64_t maxBatch, KernelOutliner &outliner);

  /// Entry-point bindings, set before lower().
  void bindBuffer(const Node *leaf, llvm::Value *ptr);
  void bindScalar(const Node *leaf, llvm::Value *value);
  void setRunValues(llvm::Value *batch, llvm::Value *step, llvm::Value *seed);
  /// What kernels may know of the target: the width of its vector
  /// registers, and whether machine code is optimized (not -O0).
  void setTarget(unsigned vectorBits, bool optimized) {
    vectorBits_ = vectorBits;
    optimized_ = optimized;
  }
  /// Asks for `value` to end up in `dest`. When `destLeaf` is set, `dest` is
  /// that leaf's buffer and is only written once its old value is dead.
  void addOutput(const Node *value, llvm::Value *dest,
                 const Node *destLeaf = nullptr);
  /// Emits the whole graph at the builder's insertion point.
  llvm::Error lower();

  // Services for kernels.
  llvm::IRBuilder<> &b;
  llvm::Value *read(const Node *n, const Index &idx);
  llvm::Value *bufferOf(const Node *n);
  llvm::Value *address(const Node *n, llvm::Value *linear);
  llvm::Value *linearize(const Node *n, llvm::ArrayRef<llvm::Value *> idx);
  llvm::Value *extent(const Node *n, unsigned dim);
  llvm::SmallVector<llvm::Value *, 4> extents(const Node *n);
  llvm::Value *numElements(const Node *n);
  llvm::Type *elemType(const Node *n);
  llvm::Value *real(const Node *n, double value);
  llvm::Value *i64(int64_t value) { return b.getInt64(value); }
  llvm::Value *batch() { return batch_; }
  llvm::Value *step() { return step_; }
  llvm::Value *seed() { return seed_; }
  unsigned vectorBits() const { return vectorBits_; }
  bool optimized() const { return optimized_; }
  void store(const Node *n, llvm::Value *linear, llvm::Value *value);
  void fill(const Node *n, double value);

  /// Emits `for (i = 0; i < count; ++i) body(i)`. Returns the back edge,
  /// or null when `count` is the constant 1 and no loop was needed.
  llvm::BranchInst *loop(llvm::Value *count,
                         llvm::function_ref<void(llvm::Value *)> body);
  /// Keeps LLVM from unrolling the loop of `backEdge` (null: no loop).
  static void keepRolled(llvm::BranchInst *backEdge);
  /// Emits a loop nest over `bounds`, innermost last.
  void forEachIndex(llvm::ArrayRef<llvm::Value *> bounds,
                    llvm::function_ref<void(llvm::ArrayRef<llvm::Value *>)>
                        body);
  void ifThen(llvm::Value *cond, llvm::function_ref<void()> body);
  /// A stack slot in the entry block, for accumulators.
  llvm::Value *localSlot(llvm::Type *type);

  /// True when `n`'s value is recomputed inside its user.
  bool isInlined(const Node *n) const;
  StorageKind storageKind(const Node *n) const;
  /// True when a root loop over `n` may use one flat index.
  bool canFlatten(const Node *n) const;

private:
  // Planning (Plan.cpp).
  void countUses();
  void chooseInlining();
  void chooseHomes();
  bool schedule();
  std::vector<llvm::SmallVector<const Node *, 2>> lastReads();
  void planArena();
  void collectReads(const Node *n, llvm::SmallVectorImpl<const Node *> &out);
  const Node *rootBuffer(const Node *n) const;
  bool sameShapeTree(const Node *n, const std::vector<int64_t> &dims) const;

  // Emission (Lowering.cpp).
  void emitArena();
  void emitKernel(const Node *n);
  void emitNode(const Node *n);
  void emitOutputs();

  struct Output {
    const Node *value;
    llvm::Value *dest;
    const Node *destLeaf;
    bool homed = false;
  };

  const ir::Graph &graph_;
  int64_t maxBatch_;
  KernelOutliner &outliner_;
  llvm::Value *batch_ = nullptr, *step_ = nullptr, *seed_ = nullptr;
  unsigned vectorBits_ = 128;
  bool optimized_ = true;
  std::vector<Output> outputs_;
  llvm::DenseMap<const Node *, unsigned> uses_;
  llvm::DenseMap<const Node *, bool> needed_;
  llvm::DenseMap<const Node *, bool> inlined_;
  llvm::DenseMap<const Node *, llvm::Value *> buffers_;
  llvm::DenseMap<const Node *, llvm::Value *> scalars_;
  llvm::DenseMap<const Node *, int64_t> fixedOffset_, rowOffset_;
  int64_t fixedBytes_ = 0, rowBytes_ = 0;
  std::vector<const Node *> order_;
};

/// True for ops computed one element at a time from operand elements at
/// (mapped) indices: the elementwise ops of the IR, broadcast_to,
/// dropout_mask and the index-mapped ops. These can be inlined into their
/// user.
bool isPerElement(ir::OpKind kind);
/// True for the per-element ops whose operand index is not the result
/// index broadcast: transpose, slice, pad, concat, one_hot, gather.
bool isIndexMapped(ir::OpKind kind);

} // namespace gradc::codegen

#endif // GRADC_CODEGEN_LOWERING_H
