// JitVsInterpTest.cpp - compiled forward ops agree with the interpreter.
// SPDX-License-Identifier: MIT
//
// One test per op family. Each graph is small, single-output ("prediction")
// and run through the predict entry point; chains of elementwise ops are
// written so that the JIT fuses them into one loop, which is exactly what
// the comparison has to survive. Tolerance: 1e-5 relative in f32.

#include "JitVsInterpSupport.h"

using namespace gradc::test;

namespace {

// Sums of products are compared normwise (see ToleranceKind).
void checkProducts(const std::string &text, int64_t batch,
                   int64_t maxBatch = 0) {
  checkPredict(text, batch, {}, 1e-5, maxBatch, ToleranceKind::Normwise);
}

// A unary op applied to x: the graph text for one activation.
std::string unaryGraph(const std::string &op, const std::string &attrs = "") {
  return "graph @" + op + " {\n  %x = input : f32[B,37]\n  %r = " + op +
         " %x " + attrs + " : f32[B,37]\n  output \"prediction\" = %r\n}\n";
}

TEST(JitVsInterp, FusedArithmeticWithBroadcast) {
  checkPredict(R"(graph @ew {
  %x = input : f32[B,8]
  %b = param : f32[8]
  %s = param : f32[1]
  %0 = add %x, %b : f32[B,8]
  %1 = mul %0, %s : f32[B,8]
  %2 = sub %1, %x : f32[B,8]
  %3 = div %2, %b : f32[B,8]
  %4 = maximum %3, %x : f32[B,8]
  %5 = minimum %4, %b : f32[B,8]
  %6 = greater %x, %b : f32[B,8]
  %7 = select %6, %5, %x : f32[B,8]
  %8 = neg %7 : f32[B,8]
  %9 = abs %8 : f32[B,8]
  %10 = sqrt %9 : f32[B,8]
  %11 = square %10 : f32[B,8]
  %12 = clamp %11 {lo = -1.0, hi = 1.5} : f32[B,8]
  %13 = is_finite %3 : f32[B,8]
  %14 = add %12, %13 : f32[B,8]
  output "prediction" = %14
})",
               5);
}

TEST(JitVsInterp, NaNPropagatesThroughMaximumAndClamp) {
  LeafValues values;
  values.given["x"] = {NAN, 1.0f, -3.0f, NAN};
  values.given["b"] = {0.5f, NAN, 2.0f, 0.0f};
  checkPredict(R"(graph @nan {
  %x = input : f32[B,4]
  %b = param : f32[4]
  %0 = maximum %x, %b : f32[B,4]
  %1 = minimum %b, %x : f32[B,4]
  %2 = clamp %0 {lo = -1.0, hi = 1.0} : f32[B,4]
  %3 = add %1, %2 : f32[B,4]
  %4 = relu %3 : f32[B,4]
  output "prediction" = %4
})",
               1, values);
}

TEST(JitVsInterp, Activations) {
  LeafValues wide;
  wide.lo = -20;
  wide.hi = 20;
  for (const char *op : {"tanh", "sigmoid", "softplus", "relu", "neg"})
    checkPredict(unaryGraph(op), 9, wide);
  checkPredict(unaryGraph("leaky_relu", "{alpha = 0.2}"), 9, wide);
  checkPredict(unaryGraph("elu", "{alpha = 1.5}"), 9, wide);
  LeafValues small;
  small.lo = -0.5;
  small.hi = 0.5;
  for (const char *op : {"tanh", "sigmoid", "softplus", "elu"})
    checkPredict(unaryGraph(op), 9, small);
}

TEST(JitVsInterp, ExpAndLogOverTheirRange) {
  LeafValues range;
  range.lo = -85;
  range.hi = 85;
  checkPredict(unaryGraph("exp"), 11, range);
  LeafValues positive;
  positive.given["x"] = {1e-38f, 1e-30f, 1e-3f, 0.5f, 0.99999f, 1.0f,
                         1.00001f, 2.0f, 1e10f, 3e38f, 0.0f, -1.0f};
  checkPredict(R"(graph @log {
  %x = input : f32[B,12]
  %r = log %x : f32[B,12]
  output "prediction" = %r
})",
               1, positive);
}

TEST(JitVsInterp, Reductions) {
  const char *shape = "f32[B,6,5]";
  struct Case {
    const char *op, *attrs, *type;
  } cases[] = {
      {"reduce_sum", "{axes = [1], keepdims = 0}", "f32[B,5]"},
      {"reduce_sum", "{axes = [0], keepdims = 1}", "f32[1,6,5]"},
      {"reduce_sum", "{axes = [2], keepdims = 0}", "f32[B,6]"},
      {"reduce_sum", "{axes = [], keepdims = 0}", "f32[]"},
      {"reduce_max", "{axes = [1], keepdims = 0}", "f32[B,5]"},
      {"reduce_max", "{axes = [-1], keepdims = 1}", "f32[B,6,1]"},
      {"norm2", "", "f32[]"},
      {"log_softmax", "", shape},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(std::string(c.op) + " " + c.attrs);
    checkPredict(std::string("graph @red {\n  %x = input : ") + shape +
                     "\n  %e = exp %x : " + shape + "\n  %r = " + c.op +
                     " %e " + c.attrs + " : " + c.type +
                     "\n  output \"prediction\" = %r\n}\n",
                 7);
  }
}

TEST(JitVsInterp, Norm2OfHugeValuesDoesNotOverflow) {
  LeafValues huge;
  huge.given["x"] = std::vector<float>(10, 3e20f);
  checkPredict(R"(graph @big {
  %x = input : f32[B,10]
  %r = norm2 %x : f32[]
  output "prediction" = %r
})",
               1, huge);
}

TEST(JitVsInterp, MatMulLayouts) {
  checkProducts(R"(graph @tiles {
  %x = input : f32[B,20]
  %w = param : f32[20,25]
  %r = matmul %x, %w {transpose_a = 0, transpose_b = 0} : f32[B,25]
  output "prediction" = %r
})",
               13);
  checkProducts(R"(graph @dot {
  %x = input : f32[B,25]
  %w = param : f32[25,1]
  %r = matmul %x, %w {transpose_a = 0, transpose_b = 0} : f32[B,1]
  output "prediction" = %r
})",
               13);
  checkProducts(R"(graph @narrow {
  %x = input : f32[B,20]
  %w = param : f32[20,10]
  %r = matmul %x, %w {transpose_a = 0, transpose_b = 0} : f32[B,10]
  output "prediction" = %r
})",
               13);
  checkProducts(R"(graph @narrowgradw {
  %x = input : f32[B,20]
  %s = slice %x {axis = 1, begin = 17} : f32[B,3]
  %r = matmul %x, %s {transpose_a = 1, transpose_b = 0} : f32[20,3]
  output "prediction" = %r
})",
               70);
  // K = 600 is more than one block of K at every vector width: a block is
  // 16 KiB of B's panel, 512 rows of f32 for the narrowest (128-bit) tiles.
  checkProducts(R"(graph @deeptiles {
  %x = input : f32[B,600]
  %w = param : f32[600,40]
  %r = matmul %x, %w {transpose_a = 0, transpose_b = 0} : f32[B,40]
  output "prediction" = %r
})",
               13);
  checkProducts(R"(graph @computedtiles {
  %x = input : f32[B,20]
  %s = slice %x {axis = 1, begin = 2} : f32[B,18]
  %r = matmul %x, %s {transpose_a = 1, transpose_b = 0} : f32[20,18]
  output "prediction" = %r
})",
               70);
  checkProducts(R"(graph @gradw {
  %x = input : f32[B,20]
  %g = param : f32[7,25]
  %r = matmul %x, %x {transpose_a = 1, transpose_b = 0} : f32[20,20]
  output "prediction" = %r
})",
               70);
  checkProducts(R"(graph @gradx {
  %x = input : f32[B,25]
  %w = param : f32[20,25]
  %r = matmul %x, %w {transpose_a = 0, transpose_b = 1} : f32[B,20]
  output "prediction" = %r
})",
               6);
  checkProducts(R"(graph @both {
  %a = param : f32[7,9]
  %b = param : f32[10,7]
  %r = matmul %a, %b {transpose_a = 1, transpose_b = 1} : f32[9,10]
  output "prediction" = %r
})",
               1);
}

TEST(JitVsInterp, ShapeOps) {
  std::string head = "graph @shape {\n  %x = input : f32[B,3,4]\n";
  std::string tail = "  output \"prediction\" = %r\n}\n";
  for (const char *body : {
           "  %r = transpose %x {perm = [0, 2, 1]} : f32[B,4,3]\n",
           "  %r = slice %x {axis = 2, begin = 1} : f32[B,3,2]\n",
           "  %r = pad %x {axis = 2, begin = 1} : f32[B,3,7]\n",
           "  %s = slice %x {axis = 2, begin = 2} : f32[B,3,2]\n"
           "  %r = concat %x, %s {axis = 2} : f32[B,3,6]\n",
           "  %e = exp %x : f32[B,3,4]\n"
           "  %r = reshape %e : f32[B,12]\n",
           "  %b = param : f32[4]\n"
           "  %t = broadcast_to %b : f32[B,3,4]\n"
           "  %r = mul %t, %x : f32[B,3,4]\n",
       }) {
    SCOPED_TRACE(body);
    checkPredict(head + body + tail, 4);
  }
}

TEST(JitVsInterp, EmbeddingOps) {
  LeafValues values;
  values.given["ids"] = {0, 5, 2, 2, 3};
  checkPredict(R"(graph @onehot {
  %ids = param : f32[5]
  %r = one_hot %ids {depth = 6} : f32[5,6]
  output "prediction" = %r
})",
               1, values);
  checkPredict(R"(graph @gather {
  %table = param : f32[6,3]
  %ids = param : f32[5]
  %r = gather %table, %ids : f32[5,3]
  output "prediction" = %r
})",
               1, values);
  checkPredict(R"(graph @scatter {
  %ids = param : f32[5]
  %dy = param : f32[5,3]
  %r = scatter_add %ids, %dy {rows = 6} : f32[6,3]
  output "prediction" = %r
})",
               1, values);
}

TEST(JitVsInterp, ConvolutionAndPooling) {
  std::string head = "graph @conv {\n  %x = input : f32[B,6,6,2]\n"
                     "  %k = param : f32[3,3,2,4]\n";
  std::string tail = "  output \"prediction\" = %r\n}\n";
  std::string valid =
      "  %c = conv2d %x, %k {padding = \"valid\", stride = [1, 1]} : "
      "f32[B,4,4,4]\n";
  std::string same =
      "  %c = conv2d %x, %k {padding = \"same\", stride = [2, 2]} : "
      "f32[B,3,3,4]\n";
  for (const std::string &body : {
           valid + "  %r = relu %c : f32[B,4,4,4]\n",
           same + "  %r = relu %c : f32[B,3,3,4]\n",
           valid + "  %r = conv2d_grad_input %c, %k {padding = \"valid\", "
                   "stride = [1, 1]} : f32[B,6,6,2]\n",
           same + "  %r = conv2d_grad_input %c, %k {padding = \"same\", "
                  "stride = [2, 2]} : f32[B,6,6,2]\n",
           same + "  %r = conv2d_grad_kernel %x, %c {padding = \"same\", "
                  "stride = [2, 2]} : f32[3,3,2,4]\n",
           valid + "  %r = conv2d_grad_kernel %x, %c {padding = \"valid\", "
                   "stride = [1, 1]} : f32[3,3,2,4]\n",
           std::string("  %c = conv2d %x, %k {padding = \"valid\", stride = "
                       "[2, 2]} : f32[B,2,2,4]\n"
                       "  %r = conv2d_grad_kernel %x, %c {padding = "
                       "\"valid\", stride = [2, 2]} : f32[3,3,2,4]\n"),
           std::string("  %m = maxpool2d %x {padding = \"valid\", pool = "
                       "[2, 2], stride = [2, 2]} : f32[B,3,3,2]\n"
                       "  %r = maxpool2d_grad %x, %m {padding = \"valid\", "
                       "pool = [2, 2], stride = [2, 2]} : f32[B,6,6,2]\n"),
           std::string("  %m = maxpool2d %x {padding = \"valid\", pool = "
                       "[4, 4], stride = [4, 4]} : f32[B,1,1,2]\n"
                       "  %r = maxpool2d_grad %x, %m {padding = \"valid\", "
                       "pool = [4, 4], stride = [4, 4]} : f32[B,6,6,2]\n"),
           std::string("  %r = maxpool2d %x {padding = \"valid\", pool = "
                       "[2, 2], stride = [2, 2]} : f32[B,3,3,2]\n"),
           std::string("  %m = maxpool2d %x {padding = \"same\", pool = "
                       "[3, 3], stride = [2, 2]} : f32[B,3,3,2]\n"
                       "  %r = maxpool2d_grad %x, %m {padding = \"same\", "
                       "pool = [3, 3], stride = [2, 2]} : f32[B,6,6,2]\n"),
       }) {
    SCOPED_TRACE(body);
    checkProducts(head + body + tail, 3);
  }
}

TEST(JitVsInterp, DropoutMaskIsBitIdentical) {
  checkPredict(R"(graph @drop {
  %x = input : f32[B,10]
  %st = step : f32[]
  %m = dropout_mask %st {key = "dropout_1", rate = 0.3} : f32[B,10]
  %r = mul %x, %m : f32[B,10]
  output "prediction" = %r
})",
               8, {}, 0);
}

TEST(JitVsInterp, BatchLargerThanPlannedUsesGrownArena) {
  std::string text = R"(graph @grow {
  %x = input : f32[B,20]
  %w = param : f32[20,25]
  %h = matmul %x, %w {transpose_a = 0, transpose_b = 0} : f32[B,25]
  %t = tanh %h : f32[B,25]
  %r = matmul %t, %w {transpose_a = 0, transpose_b = 1} : f32[B,20]
  output "prediction" = %r
})";
  checkProducts(text, 50, 4);
  checkProducts(text, 3, 4);
}

} // namespace
