// LayerShapes.cpp - per-layer shape inference and Keras parameter lists.
// SPDX-License-Identifier: MIT
//
// Shapes are per row (no batch dimension) and channels-last. Output sizes
// follow Keras: valid padding gives (in - k) / s + 1, same padding gives
// ceil(in / s). Fans follow Keras variance scaling: a conv2d kernel has
// fan_in = kh*kw*cin and fan_out = kh*kw*cout. A layer's output and
// parameters are checked against MaxTensorElements before anything is
// multiplied out of them, with the caret at the number that makes them
// large; products are overflow-checked, so no size wraps around.

#include "frontend/Sema.h"

#include "llvm/Support/MathExtras.h"

using namespace gradc;
using namespace gradc::frontend;
using ast::Layer;
using ast::LayerKind;
using Shape = std::vector<int64_t>;

std::string frontend::shapeText(const Shape &shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

std::optional<int64_t> frontend::elementCount(const Shape &shape) {
  int64_t count = 1;
  for (int64_t dim : shape)
    if (llvm::MulOverflow(count, dim, count))
      return std::nullopt;
  return count;
}

bool frontend::checkTensorSize(const std::string &what, const Shape &shape,
                               const ast::SourceSpan &at,
                               DiagnosticEngine &diags) {
  std::optional<int64_t> count = elementCount(shape);
  if (count && *count <= MaxTensorElements)
    return true;
  std::string elements =
      count ? std::to_string(*count) + " elements" : "2^63 or more elements";
  diags.error(at.loc,
              what + " " + shapeText(shape) + " has " + elements +
                  ", over the limit of " + std::to_string(MaxTensorElements) +
                  " (2^31) per tensor",
              at.length);
  return false;
}

ast::SourceSpan frontend::optionSpan(const Layer &layer,
                                     const std::string &key) {
  auto it = layer.optionSpans.find(key);
  if (it != layer.optionSpans.end())
    return it->second;
  return {layer.loc, unsigned(std::string(layerKindName(layer.kind)).size())};
}

/// checkTensorSize for a tensor of `layer` (" output", ".kernel"), blaming
/// the value of option `key`.
static bool fits(const Layer &layer, const std::string &what,
                 const Shape &shape, const std::string &key,
                 DiagnosticEngine &diags) {
  return checkTensorSize(layer.name + what, shape, optionSpan(layer, key),
                         diags);
}

static void addParam(Layer &layer, std::string name, Shape shape,
                     std::string init, int64_t fanIn, int64_t fanOut) {
  // Every parameter's shape was checked against MaxTensorElements first.
  layer.paramCount += *elementCount(shape);
  layer.params.push_back({std::move(name), std::move(shape), std::move(init),
                          fanIn, fanOut, layer.trainable});
}

static std::string orDefault(const std::string &init, const char *fallback) {
  return init.empty() ? fallback : init;
}

/// Fills the Keras defaults a layer did not state: inits of its params
/// and the stride of a pool.
static void fillDefaults(Layer &layer) {
  switch (layer.kind) {
  case LayerKind::Dense:
  case LayerKind::Conv2D:
    layer.kernelInit = orDefault(layer.kernelInit, "glorot_uniform");
    layer.biasInit = orDefault(layer.biasInit, "zeros");
    return;
  case LayerKind::LSTM:
    layer.kernelInit = orDefault(layer.kernelInit, "glorot_uniform");
    layer.recurrentInit = orDefault(layer.recurrentInit, "orthogonal");
    layer.biasInit = orDefault(layer.biasInit, "forget_bias");
    return;
  case LayerKind::Embedding:
    layer.kernelInit = layer.vectorsFile.empty()
                           ? orDefault(layer.kernelInit, "uniform")
                           : "vectors";
    return;
  case LayerKind::MaxPool2D:
    if (layer.stride.h == 0)
      layer.stride = layer.pool;
    return;
  default:
    return;
  }
}

/// Reports that `layer` cannot take `input`.
static std::nullopt_t reject(Layer &layer, DiagnosticEngine &diags,
                             const std::string &message) {
  diags.error(layer.loc, message,
              std::string(ast::layerKindName(layer.kind)).size());
  return std::nullopt;
}

/// Output size along one axis of a windowed layer, or 0 if it does not fit.
static int64_t windowed(int64_t in, int64_t window, int64_t stride,
                        ast::PaddingKind padding) {
  if (padding == ast::PaddingKind::Same)
    return (in - 1) / stride + 1; // ceil(in / s) without overflow
  return in < window ? 0 : (in - window) / stride + 1;
}

static std::optional<Shape> inferWindowed(Layer &layer, const Shape &in,
                                          ast::Extent2 window,
                                          DiagnosticEngine &diags) {
  const char *kind = ast::layerKindName(layer.kind);
  if (in.size() != 3)
    return reject(layer, diags,
                  std::string(kind) +
                      " expects a [height, width, channels] "
                      "input, found " +
                      shapeText(in));
  int64_t h = windowed(in[0], window.h, layer.stride.h, layer.padding);
  int64_t w = windowed(in[1], window.w, layer.stride.w, layer.padding);
  if (h == 0 || w == 0)
    return reject(layer, diags,
                  std::string(kind) + " window " + std::to_string(window.h) +
                      "x" + std::to_string(window.w) + " is larger than its " +
                      std::to_string(in[0]) + "x" + std::to_string(in[1]) +
                      " input");
  return Shape{h, w, layer.kind == LayerKind::Conv2D ? layer.units : in[2]};
}

static std::optional<Shape> inferDense(Layer &layer, const Shape &in,
                                       DiagnosticEngine &diags) {
  if (in.size() != 1)
    return reject(layer, diags,
                  "dense expects a flat input, found " + shapeText(in) +
                      "; add flatten before it");
  if (!fits(layer, " output", {layer.units}, "units", diags) ||
      !fits(layer, ".kernel", {in[0], layer.units}, "units", diags))
    return std::nullopt;
  addParam(layer, "kernel", {in[0], layer.units}, layer.kernelInit, in[0],
           layer.units);
  if (layer.useBias)
    addParam(layer, "bias", {layer.units}, layer.biasInit, in[0], layer.units);
  return Shape{layer.units};
}

static std::optional<Shape> inferConv(Layer &layer, const Shape &in,
                                      DiagnosticEngine &diags) {
  std::optional<Shape> out = inferWindowed(layer, in, layer.kernel, diags);
  if (!out)
    return std::nullopt;
  // The fans are products of the kernel's dimensions, so they fit once the
  // kernel does.
  Shape kernel = {layer.kernel.h, layer.kernel.w, in[2], layer.units};
  if (!fits(layer, " output", *out, "filters", diags) ||
      !fits(layer, ".kernel", kernel, "kernel", diags))
    return std::nullopt;
  int64_t area = layer.kernel.h * layer.kernel.w;
  addParam(layer, "kernel", kernel, layer.kernelInit, area * in[2],
           area * layer.units);
  if (layer.useBias)
    addParam(layer, "bias", {layer.units}, layer.biasInit, area * in[2],
             area * layer.units);
  return out;
}

static std::optional<Shape> inferEmbedding(Layer &layer, const Shape &in,
                                           DiagnosticEngine &diags) {
  if (in.size() != 1)
    return reject(layer, diags,
                  "embedding expects a sequence of token ids "
                  "[length], found " +
                      shapeText(in));
  Shape out = {in[0], layer.dim};
  if (!fits(layer, " output", out, "dim", diags) ||
      !fits(layer, ".embeddings", {layer.vocab, layer.dim}, "vocab", diags))
    return std::nullopt;
  addParam(layer, "embeddings", {layer.vocab, layer.dim}, layer.kernelInit,
           layer.vocab, layer.dim);
  return out;
}

static std::optional<Shape> inferLSTM(Layer &layer, const Shape &in,
                                      DiagnosticEngine &diags) {
  if (in.size() != 2)
    return reject(layer, diags,
                  "lstm expects a sequence [length, features], "
                  "found " +
                      shapeText(in));
  // The output bounds u first, so that 4u cannot overflow.
  int64_t u = layer.units;
  Shape out = layer.returnSequences ? Shape{in[0], u} : Shape{u};
  if (!fits(layer, " output", out, "units", diags) ||
      !fits(layer, ".kernel", {in[1], 4 * u}, "units", diags) ||
      !fits(layer, ".recurrent_kernel", {u, 4 * u}, "units", diags))
    return std::nullopt;
  addParam(layer, "kernel", {in[1], 4 * u}, layer.kernelInit, in[1], 4 * u);
  addParam(layer, "recurrent_kernel", {u, 4 * u}, layer.recurrentInit, u,
           4 * u);
  if (layer.useBias)
    addParam(layer, "bias", {4 * u}, layer.biasInit, in[1], 4 * u);
  return out;
}

/// Flatten, pooling and dropout never give more elements than they take,
/// and their input was checked, so the count fits.
static Shape flattened(const Shape &in) { return {*elementCount(in)}; }

std::optional<Shape> frontend::inferLayer(Layer &layer, const Shape &input,
                                          DiagnosticEngine &diags) {
  layer.inputShape = input;
  layer.params.clear();
  layer.paramCount = 0;
  fillDefaults(layer);
  std::optional<Shape> out;
  switch (layer.kind) {
  case LayerKind::Dense:
    out = inferDense(layer, input, diags);
    break;
  case LayerKind::Conv2D:
    out = inferConv(layer, input, diags);
    break;
  case LayerKind::MaxPool2D:
    out = inferWindowed(layer, input, layer.pool, diags);
    break;
  case LayerKind::Dropout:
  case LayerKind::AlphaDropout:
    out = input;
    break;
  case LayerKind::Flatten:
    out = flattened(input);
    break;
  case LayerKind::Embedding:
    out = inferEmbedding(layer, input, diags);
    break;
  case LayerKind::LSTM:
    out = inferLSTM(layer, input, diags);
    break;
  }
  if (out)
    layer.outputShape = *out;
  return out;
}
