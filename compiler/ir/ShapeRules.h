// ShapeRules.h - the result type of every op from its operands and attributes.
// SPDX-License-Identifier: MIT
//
// One rule per OpKind. Most ops compute their result type; ops whose result
// shape cannot be derived (leaves, reshape, broadcast_to, slice, pad,
// conv2d_grad_input, conv2d_grad_kernel, dropout_mask) take it from the
// declared type and check that it is consistent. The builder uses these rules
// to type new nodes; the verifier uses them to check parsed or edited graphs.

#ifndef GRADC_IR_SHAPERULES_H
#define GRADC_IR_SHAPERULES_H

#include "ir/Graph.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

namespace gradc::ir {

/// True when the result type of `kind` is declared rather than computed.
bool hasDeclaredType(OpKind kind);

/// The result type of `kind` applied to operands of the given types. For ops
/// with a declared type, `declared` must be non-null and is checked. The
/// error message says which rule is broken ("operand shapes [3] and [4] do
/// not broadcast"), without naming the node.
llvm::Expected<Type> inferType(OpKind kind,
                               llvm::ArrayRef<const Type *> operands,
                               const AttrMap &attrs,
                               const Type *declared = nullptr);

/// inferType applied to an existing node, its own type as the declaration.
llvm::Expected<Type> inferType(const Node &node);

/// Numpy broadcasting of two shapes (B only matches B or 1), or false.
bool broadcastDims(const std::vector<int64_t> &a, const std::vector<int64_t> &b,
                   std::vector<int64_t> &result);

/// The output size of one spatial dimension of a convolution or pooling
/// window: "valid" gives floor((in - k) / s) + 1, "same" gives ceil(in / s).
int64_t convOutputSize(int64_t in, int64_t k, int64_t s, bool same);
/// Padding before the first element for "same" (Keras/TensorFlow rule).
int64_t samePadBefore(int64_t in, int64_t k, int64_t s);

} // namespace gradc::ir

#endif // GRADC_IR_SHAPERULES_H
