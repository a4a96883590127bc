// AST.h - the checked syntax tree of a .model file.
// SPDX-License-Identifier: MIT
//
// Plain C++ types, free of ANTLR: this is what the front end hands to the
// lowering into the graph IR. After semantic analysis (Sema.h) every field
// is filled in: params are substituted, Keras defaults are applied, every
// layer has a unique name, an input and output shape per row (no batch
// dimension) and its parameter list in Keras order and shapes. Lowering can
// read it directly and never has to re-derive a default or a shape.

#ifndef GRADC_FRONTEND_AST_H
#define GRADC_FRONTEND_AST_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace gradc::ast {

/// A position in a .model file; line and col are 1-based.
struct SourceLoc {
  std::string file;
  unsigned line = 0;
  unsigned col = 0;
};

/// Where a value is written: its first character and its length, for a
/// diagnostic that Sema reports about it later.
struct SourceSpan {
  SourceLoc loc;
  unsigned length = 1;
};

/// A `param name = value` declaration, after any `-D name=value` override.
struct ParamDecl {
  std::string name;
  std::string value;       ///< the value's text (without quotes for strings)
  bool overridden = false; ///< true when -D replaced the declared value
  SourceLoc loc;
};

enum class LayerKind {
  Dense,
  Conv2D,
  MaxPool2D,
  Dropout,
  AlphaDropout,
  Flatten,
  Embedding,
  LSTM
};

enum class ActivationKind {
  Linear,
  Relu,
  LeakyRelu,
  Elu,
  Selu,
  Sigmoid,
  Tanh,
  Softmax
};

/// An activation with its parameter. alpha is the negative slope of
/// leaky_relu (default 0.2, Keras' `activation="leaky_relu"`) and the
/// saturation of elu (default 1.0); it is 0 for the other kinds.
struct Activation {
  ActivationKind kind = ActivationKind::Linear;
  double alpha = 0;
};

enum class PaddingKind { Valid, Same };

/// A two-dimensional extent (kernel, stride or pool size).
struct Extent2 {
  int64_t h = 1;
  int64_t w = 1;
};

/// One parameter tensor of a layer, as Keras would create it.
///
/// Names: "kernel", "bias", "embeddings", "recurrent_kernel"; the graph IR
/// leaf is "<layer>.<name>". Initializer names: glorot_uniform,
/// he_uniform, he_normal, lecun_normal, zeros, ones, orthogonal,
/// uniform (U(+-0.05), the Keras embedding
/// default), forget_bias (LSTM bias: zeros except 1 on the forget-gate
/// slice [u, 2u)) and vectors (rows read from Layer::vectorsFile).
struct ParamSpec {
  std::string name;
  std::vector<int64_t> shape;
  std::string init;
  int64_t fanIn = 0; ///< as Keras computes it for variance scaling
  int64_t fanOut = 0;
  bool trainable = true;
};

/// One layer of a model.
struct Layer {
  LayerKind kind = LayerKind::Dense;
  /// Given with `as name`, or automatic per kind as Keras does: dense_1,
  /// dense_2, conv2d_1, max_pooling2d_1, dropout_1, alpha_dropout_1,
  /// flatten_1, embedding_1, lstm_1.
  std::string name;
  SourceLoc loc;

  int64_t units = 0; ///< dense units, conv2d filters, lstm units
  Extent2 kernel;    ///< conv2d
  Extent2 stride;    ///< conv2d (1x1), maxpool2d (= pool)
  PaddingKind padding = PaddingKind::Valid; ///< conv2d, maxpool2d
  Extent2 pool;                             ///< maxpool2d (2x2)
  double rate = 0;       ///< dropout, alpha_dropout, in [0, 1); required
  Activation activation; ///< dense, conv2d (linear by default)
  /// Initializers (see ParamSpec). Defaults: glorot_uniform kernels, zeros
  /// biases, orthogonal recurrent kernels (Keras), forget_bias for the LSTM
  /// bias, uniform embeddings (vectors when vectorsFile is set).
  std::string kernelInit;
  std::string biasInit;
  std::string recurrentInit;
  bool useBias = true;          ///< dense, conv2d, lstm
  bool trainable = true;        ///< false for an embedding loaded from vectors
  std::string vectorsFile;      ///< embedding: absolute path, or empty
  int64_t vocab = 0;            ///< embedding: number of token ids
  int64_t dim = 0;              ///< embedding: vector size
  bool returnSequences = false; ///< lstm: [T, u] instead of [u]

  std::vector<int64_t> inputShape;  ///< per row, filled by sema
  std::vector<int64_t> outputShape; ///< per row, filled by sema
  std::vector<ParamSpec> params;    ///< filled by sema, Keras order
  int64_t paramCount = 0;           ///< elements over all params
  /// Where each option given on the layer's line is written, by key
  /// ("units", "filters", ...; positional values under their slot's key).
  std::map<std::string, SourceSpan> optionSpans;
};

/// A `model name { ... }` block.
struct ModelDecl {
  std::string name;
  SourceLoc loc;
  std::vector<int64_t> inputShape; ///< per row: [20], [28, 28, 1], [T]
  SourceSpan inputSpan;            ///< the input statement's shape
  std::vector<Layer> layers;
  std::vector<int64_t> outputShape; ///< per row, filled by sema
  int64_t paramCount = 0;           ///< sum over layers, filled by sema

  /// The layer with this name, or null.
  const Layer *findLayer(const std::string &layerName) const;
};

/// Where training or validation rows come from.
///  - Csv: paths = {file}; target names the label column, every other
///    column is a feature (a header row names the columns).
///  - Idx: paths = {images, labels} in MNIST idx format, gzip or raw; pixel
///    bytes are scaled to [0, 1].
///  - Tokens: paths = {file}; one example per line, "label<TAB>id id ...",
///    ids fitted to the model's input length as Keras pad_sequences does:
///    leading zeros, or the last tokens kept (see docs/language.md).
enum class DataKind { Csv, Idx, Tokens };

struct DataSource {
  DataKind kind = DataKind::Csv;
  std::vector<std::string> paths; ///< absolute, resolved against the .model
  std::string target;             ///< csv only
  SourceLoc loc;
};

enum class ValidateKind { None, File, Split };

/// `validate csv ...` (File) or `validate split 0.2` (Split: the last
/// fraction of the training rows, taken before shuffling).
struct Validation {
  ValidateKind kind = ValidateKind::None;
  DataSource data;  ///< File only
  double split = 0; ///< Split only, in (0, 1)
  SourceLoc loc;
};

enum class LossKind {
  MSE,
  BinaryCrossentropy,
  CategoricalCrossentropy,
  SparseCategoricalCrossentropy
};

enum class OptimizerKind { SGD, Adam };

/// Optimizer and its hyper-parameters with Keras defaults; fields that do
/// not belong to the kind keep their defaults and are ignored.
struct Optimizer {
  OptimizerKind kind = OptimizerKind::SGD;
  double lr = 0.01; ///< 0.01 for sgd, 0.001 for adam
  double momentum = 0;
  bool nesterov = false;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-7;
  SourceLoc loc;
};

/// Gradient clipping. None only ever appears with a layer: `clip none on
/// l` exempts that layer from the program-wide clip. A program-wide `clip
/// none ...` (e.g. from -Dclip_kind=none) is dropped by sema.
enum class ClipKind { Norm, GlobalNorm, Value, None };

/// One `clip` statement. An empty layer means every parameter; a named
/// layer overrides the program-wide statement for that layer's params.
/// GlobalNorm on a layer makes that layer's params share one factor.
struct ClipSpec {
  ClipKind kind = ClipKind::Norm;
  double threshold = 0; ///< > 0 for Norm, GlobalNorm and Value
  std::string layer;
  SourceLoc loc;
};

/// A `train model { ... }` block.
struct TrainDecl {
  std::string modelName;
  SourceLoc loc;
  DataSource data;
  Validation validate;
  LossKind loss = LossKind::MSE;
  SourceLoc lossLoc;
  Optimizer optimizer;
  std::vector<ClipSpec> clips; ///< at most one per layer and one global
  int64_t batch = 32;
  SourceSpan batchSpan; ///< the batch statement's value; empty loc if none
  int64_t epochs = 1;
  uint64_t seed = 0;
  bool shuffle = true;
  std::string initFrom; ///< absolute path of a safetensors file, or empty

  /// The clip that applies to params of this layer (its own, else the
  /// program-wide one), or null when none applies.
  const ClipSpec *clipFor(const std::string &layerName) const;
};

/// A whole .model file.
struct Program {
  std::vector<ParamDecl> params;
  std::vector<ModelDecl> models;
  std::vector<TrainDecl> trains;
  std::string path; ///< absolute path of the .model file

  const ParamDecl *findParam(const std::string &name) const;
  const ModelDecl *findModel(const std::string &name) const;
  /// The train block of this model, or null.
  const TrainDecl *findTrain(const std::string &modelName) const;
};

/// Spelling used in source and dumps ("dense", "leaky_relu", "mse", ...).
const char *layerKindName(LayerKind kind);
const char *activationKindName(ActivationKind kind);
const char *lossKindName(LossKind kind);
const char *optimizerKindName(OptimizerKind kind);
const char *clipKindName(ClipKind kind);
const char *dataKindName(DataKind kind);

/// Prints the stable, readable dump of `gradc --emit=ast`.
void dumpProgram(const Program &program, llvm::raw_ostream &os);

} // namespace gradc::ast

#endif // GRADC_FRONTEND_AST_H
