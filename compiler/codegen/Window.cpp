// Window.cpp - placement of conv and pooling windows, and their taps.
// SPDX-License-Identifier: MIT

#include "codegen/Window.h"

#include "ir/ShapeRules.h"

using namespace llvm;

namespace gradc::codegen {

namespace {
// `image` is the NHWC tensor the window slides over.
Window readWindow(const Node *n, const Node *image, int64_t kh, int64_t kw,
                  std::vector<int64_t> stride) {
  Window w{kh, kw, stride[0], stride[1], 0, 0, image->type.dims[1],
           image->type.dims[2], true};
  if (n->strAttr("padding", "valid") == "same") {
    w.valid = false;
    w.padTop = ir::samePadBefore(w.inH, kh, w.sh);
    w.padLeft = ir::samePadBefore(w.inW, kw, w.sw);
  }
  return w;
}
} // namespace

Window convWindow(const Node *n, const Node *image, const Node *kernel) {
  std::vector<int64_t> stride = n->listAttr("stride");
  if (stride.empty())
    stride = {1, 1};
  return readWindow(n, image, kernel->type.dims[0], kernel->type.dims[1],
                    stride);
}

Window poolWindow(const Node *n, const Node *image) {
  std::vector<int64_t> pool = n->listAttr("pool");
  if (pool.empty())
    pool = {2, 2};
  std::vector<int64_t> stride = n->listAttr("stride");
  return readWindow(n, image, pool[0], pool[1], stride.empty() ? pool : stride);
}

// Valid windows need no bounds test, which keeps their loops branch-free.
void forEachTap(GraphLowering &L, const Window &w, Value *oh, Value *ow,
                function_ref<void(Value *, Value *, Value *, Value *)> body) {
  IRBuilder<> &b = L.b;
  auto inside = [&](Value *i, int64_t size) -> Value * {
    if (w.valid)
      return b.getTrue();
    return b.CreateAnd(b.CreateICmpSGE(i, L.i64(0)),
                       b.CreateICmpSLT(i, L.i64(size)));
  };
  L.loop(L.i64(w.kh), [&](Value *kh) {
    Value *ih = b.CreateAdd(b.CreateMul(oh, L.i64(w.sh)),
                            b.CreateSub(kh, L.i64(w.padTop)));
    L.ifThen(inside(ih, w.inH), [&] {
      L.loop(L.i64(w.kw), [&](Value *kw) {
        Value *iw = b.CreateAdd(b.CreateMul(ow, L.i64(w.sw)),
                                b.CreateSub(kw, L.i64(w.padLeft)));
        L.ifThen(inside(iw, w.inW), [&] { body(kh, kw, ih, iw); });
      });
    });
  });
}

} // namespace gradc::codegen
