// Window.h - sliding windows of conv2d and max pooling over NHWC images.
// SPDX-License-Identifier: MIT
//
// A window is placed with the Keras/TensorFlow "valid"/"same" rule
// (ir/ShapeRules.h); forEachTap visits the taps of one output position that
// lie inside the image, testing bounds only where padding can put a tap
// outside it.

#ifndef GRADC_CODEGEN_WINDOW_H
#define GRADC_CODEGEN_WINDOW_H

#include "codegen/Lowering.h"

namespace gradc::codegen {

struct Window {
  int64_t kh, kw, sh, sw, padTop, padLeft;
  int64_t inH, inW;
  bool valid; ///< every tap of every output lies inside the image
};


/// The window of conv2d (or a gradient) `n` whose kernel is `kernel`.
Window convWindow(const Node *n, const Node *image, const Node *kernel);
/// The window of maxpool2d (or its gradient) `n`.
Window poolWindow(const Node *n, const Node *image);
/// Calls body(kh, kw, ih, iw) for every tap of output (oh, ow) inside the
/// image.
void forEachTap(
    GraphLowering &L, const Window &w, llvm::Value *oh, llvm::Value *ow,
    llvm::function_ref<void(llvm::Value *, llvm::Value *, llvm::Value *,
                            llvm::Value *)>
        body);

/// The element of `n` at `idx`, through GraphLowering::read.
inline llvm::Value *at(GraphLowering &L, const Node *n,
                       llvm::SmallVector<llvm::Value *, 4> idx) {
  return L.read(n, Index{std::move(idx)});
}

} // namespace gradc::codegen

#endif // GRADC_CODEGEN_WINDOW_H
