// Plan.cpp - fusion, in-place outputs, emission order and arena layout.
// SPDX-License-Identifier: MIT
//
// The plan is made once per graph, before any instruction is emitted:
//  1. only nodes some requested output depends on are lowered;
//  2. a per-element node with one user that is itself per-element (or a
//     reduction) is inlined into that user's loop instead of stored;
//  3. an output is computed directly into its destination buffer (a
//     parameter, a state slot, the prediction) when it owns a loop;
//  4. nodes are ordered so that a destination leaf is written only after
//     every other reader of its old value ran (anti-dependences); if that is
//     impossible the output is computed in the arena and copied at the end;
//  5. the remaining nodes get arena slots: fixed-size ones first, then the
//     ones with a batch dimension, whose offsets scale with the batch; a
//     slot whose node has been read for the last time is reused.

#include "codegen/Lowering.h"

#include <map>
#include <queue>

using namespace llvm;

namespace gradc::codegen {

using ir::OpKind;

namespace {
// Whether `kind` reads its operands through GraphLowering::read, which
// evaluates an inlined operand in place. norm2 is not one of them: it loads
// its operand from memory as explicit vectors.
bool readsThroughLoad(OpKind kind) {
  return isPerElement(kind) || kind == OpKind::ReduceSum ||
         kind == OpKind::ReduceMax;
}

int64_t roundUp(int64_t value, int64_t to) {
  return (value + to - 1) / to * to;
}

int64_t elemBytes(const Node *n) {
  return n->type.elem == ir::ElemKind::F64 ? 8 : 4;
}
} // namespace

void GraphLowering::countUses() {
  std::vector<const Node *> work;
  for (const Output &out : outputs_)
    work.push_back(out.value);
  while (!work.empty()) {
    const Node *n = work.back();
    work.pop_back();
    if (needed_.lookup(n))
      continue;
    needed_[n] = true;
    for (const Node *op : n->operands)
      work.push_back(op);
  }
  for (const auto &node : graph_.nodes())
    if (needed_.lookup(node.get()))
      for (const Node *op : node->operands)
        ++uses_[op];
  for (const Output &out : outputs_)
    uses_[out.value] += 2; // an output is never recomputed inline
}

void GraphLowering::chooseInlining() {
  for (const auto &node : graph_.nodes()) {
    const Node *user = node.get();
    if (!needed_.lookup(user) || !readsThroughLoad(user->kind))
      continue;
    for (const Node *op : user->operands)
      if (isPerElement(op->kind) && uses_.lookup(op) == 1)
        inlined_[op] = true;
  }
}

void GraphLowering::chooseHomes() {
  for (Output &out : outputs_) {
    const Node *n = out.value;
    if (storageKind(n) != StorageKind::Buffer || ir::isLeaf(n->kind) ||
        buffers_.count(n))
      continue;
    out.homed = true;
    buffers_[n] = out.dest;
  }
}

const Node *GraphLowering::rootBuffer(const Node *n) const {
  while (storageKind(n) == StorageKind::Alias)
    n = n->operands[0];
  return n;
}

void GraphLowering::collectReads(const Node *n,
                                 SmallVectorImpl<const Node *> &out) {
  for (const Node *op : n->operands) {
    if (isInlined(op)) {
      out.push_back(op); // an inlined dropout mask reads nothing, others do
      collectReads(op, out);
      continue;
    }
    out.push_back(rootBuffer(op));
  }
}

// Kahn's algorithm over data dependences plus "read the old value of a leaf
// before its new value is written", preferring graph order. Returns false
// (after demoting one in-place output to a copy) when the edges form a cycle.
bool GraphLowering::schedule() {
  DenseMap<const Node *, unsigned> position, pending;
  std::vector<const Node *> emitted;
  for (const auto &node : graph_.nodes()) {
    const Node *n = node.get();
    position[n] = position.size();
    if (needed_.lookup(n) && !ir::isLeaf(n->kind) &&
        storageKind(n) == StorageKind::Buffer)
      emitted.push_back(n);
  }
  DenseMap<const Node *, const Node *> writerOf;
  for (const Output &out : outputs_)
    if (out.homed && out.destLeaf)
      writerOf[out.destLeaf] = out.value;

  DenseMap<const Node *, SmallVector<const Node *, 4>> successors;
  for (const Node *r : emitted) {
    SmallVector<const Node *, 8> reads;
    collectReads(r, reads);
    for (const Node *x : reads) {
      if (const Node *w = writerOf.lookup(x); w && w != r) {
        successors[r].push_back(w);
        ++pending[w];
      }
      if (x != r && storageKind(x) == StorageKind::Buffer &&
          !ir::isLeaf(x->kind)) {
        successors[x].push_back(r);
        ++pending[r];
      }
    }
  }

  auto later = [&](const Node *a, const Node *c) {
    return position[a] > position[c];
  };
  std::priority_queue<const Node *, std::vector<const Node *>,
                      decltype(later)>
      ready(later);
  for (const Node *n : emitted)
    if (!pending.lookup(n))
      ready.push(n);
  order_.clear();
  while (!ready.empty()) {
    const Node *n = ready.top();
    ready.pop();
    order_.push_back(n);
    for (const Node *s : successors[n])
      if (--pending[s] == 0)
        ready.push(s);
  }
  if (order_.size() == emitted.size())
    return true;

  // A cycle: compute one blocked in-place output in the arena instead.
  for (Output &out : outputs_) {
    if (!out.homed || !out.destLeaf || !pending.lookup(out.value))
      continue;
    out.homed = false;
    buffers_.erase(out.value);
    return false;
  }
  llvm_unreachable("dependence cycle without an in-place output");
}

namespace {
/// Arena slots of one kind (fixed or per row): a freed slot is handed to
/// the next node that fits in it (the smallest such), otherwise the arena
/// grows. Slots are never split or merged.
class SlotPool {
public:
  int64_t take(const Node *n, int64_t bytes) {
    auto it = free_.lower_bound(bytes);
    if (it == free_.end()) {
      slots_[n] = {end_, bytes};
      end_ += bytes;
      return end_ - bytes;
    }
    slots_[n] = {it->second, it->first};
    free_.erase(it);
    return slots_[n].first;
  }
  void release(const Node *n) {
    auto it = slots_.find(n);
    if (it != slots_.end())
      free_.insert({it->second.second, it->second.first});
  }
  int64_t size() const { return end_; }

private:
  int64_t end_ = 0;
  std::multimap<int64_t, int64_t> free_; // capacity -> offset
  DenseMap<const Node *, std::pair<int64_t, int64_t>> slots_;
};
} // namespace

// For each position in order_, the buffers read there for the last time, in
// the order that node reads them; outputs copied at the end are read after
// every node and never freed. The lists follow the schedule, not the map's
// (pointer) order, so the arena layout is the same in every run.
std::vector<SmallVector<const Node *, 2>> GraphLowering::lastReads() {
  std::vector<SmallVector<const Node *, 8>> reads(order_.size());
  DenseMap<const Node *, size_t> last;
  for (size_t i = 0; i < order_.size(); ++i) {
    collectReads(order_[i], reads[i]);
    for (const Node *x : reads[i])
      last[x] = i;
  }
  for (const Output &out : outputs_)
    last.erase(rootBuffer(out.value));

  std::vector<SmallVector<const Node *, 2>> dying(order_.size());
  for (size_t i = 0; i < order_.size(); ++i)
    for (const Node *x : reads[i])
      if (auto it = last.find(x); it != last.end() && it->second == i) {
        dying[i].push_back(x);
        last.erase(it); // a node reading x twice frees it once
      }
  return dying;
}

// A node's slot is taken before the slots of the operands it reads for the
// last time are freed, so no kernel writes over its own input.
void GraphLowering::planArena() {
  std::vector<SmallVector<const Node *, 2>> dying = lastReads();
  SlotPool fixed, rows;
  for (size_t i = 0; i < order_.size(); ++i) {
    const Node *n = order_[i];
    int64_t bytes = n->type.numElements(1) * elemBytes(n);
    if (!buffers_.count(n) && n->type.hasBatchDim())
      rowOffset_[n] = rows.take(n, roundUp(bytes, 16));
    else if (!buffers_.count(n))
      fixedOffset_[n] = fixed.take(n, roundUp(bytes, 64));
    for (const Node *d : dying[i]) {
      rows.release(d);
      fixed.release(d);
    }
  }
  fixedBytes_ = fixed.size();
  rowBytes_ = rows.size();
}

bool GraphLowering::isInlined(const Node *n) const {
  return inlined_.lookup(n);
}

StorageKind GraphLowering::storageKind(const Node *n) const {
  switch (n->kind) {
  case OpKind::Hyper:
  case OpKind::Constant:
  case OpKind::BatchSize:
  case OpKind::StepCounter:
    return StorageKind::Scalar;
  case OpKind::Reshape:
    if (storageKind(n->operands[0]) == StorageKind::Scalar)
      return StorageKind::Scalar;
    return StorageKind::Alias;
  default:
    return isInlined(n) ? StorageKind::Inline : StorageKind::Buffer;
  }
}

// A flat loop is valid when every tensor the expression touches has the
// root's dims or is a single element.
bool GraphLowering::sameShapeTree(const Node *n,
                                  const std::vector<int64_t> &dims) const {
  if (n->type.dims != dims && n->type.numElements(2) != 1)
    return false;
  if (!isInlined(n) || n->type.numElements(2) == 1)
    return true;
  if (n->kind == OpKind::DropoutMask)
    return true;
  if (isIndexMapped(n->kind))
    return false;
  for (const Node *op : n->operands)
    if (!sameShapeTree(op, dims))
      return false;
  return true;
}

bool GraphLowering::canFlatten(const Node *n) const {
  if (n->kind == OpKind::DropoutMask)
    return true;
  if (isIndexMapped(n->kind))
    return false;
  for (const Node *op : n->operands)
    if (!sameShapeTree(op, n->type.dims))
      return false;
  return true;
}

} // namespace gradc::codegen
