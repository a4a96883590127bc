// ASTDump.cpp - the stable, readable text of `gradc --emit=ast`.
// SPDX-License-Identifier: MIT
//
// One line per declaration, layer, parameter and train statement, with
// every default made explicit, so the dump answers "what will be trained"
// without reading the source. Tests compare it line by line: change the
// format only together with test/lit/frontend.

#include "frontend/AST.h"
#include "frontend/Sema.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

using namespace gradc;
using namespace gradc::ast;

namespace {
/// Numbers print in %g form: 0.01, 1e-07, 100.
struct Num {
  double value;
};
llvm::raw_ostream &operator<<(llvm::raw_ostream &os, Num n) {
  return os << llvm::format("%g", n.value);
}
} // namespace

static std::string extentText(Extent2 e) {
  return std::to_string(e.h) + "x" + std::to_string(e.w);
}

static void dumpActivation(const Activation &act, llvm::raw_ostream &os) {
  os << " activation=" << activationKindName(act.kind);
  if (act.kind == ActivationKind::LeakyRelu || act.kind == ActivationKind::Elu)
    os << "(" << Num{act.alpha} << ")";
}

static void dumpLayerAttrs(const Layer &layer, llvm::raw_ostream &os) {
  const char *padding = layer.padding == PaddingKind::Same ? "same" : "valid";
  switch (layer.kind) {
  case LayerKind::Dense:
    os << " units=" << layer.units;
    return dumpActivation(layer.activation, os);
  case LayerKind::Conv2D:
    os << " filters=" << layer.units << " kernel=" << extentText(layer.kernel)
       << " stride=" << extentText(layer.stride) << " padding=" << padding;
    return dumpActivation(layer.activation, os);
  case LayerKind::MaxPool2D:
    os << " pool=" << extentText(layer.pool)
       << " stride=" << extentText(layer.stride) << " padding=" << padding;
    return;
  case LayerKind::Dropout:
  case LayerKind::AlphaDropout:
    os << " rate=" << Num{layer.rate};
    return;
  case LayerKind::Flatten:
    return;
  case LayerKind::Embedding:
    os << " vocab=" << layer.vocab << " dim=" << layer.dim;
    if (!layer.vectorsFile.empty())
      os << " vectors=\"" << layer.vectorsFile << "\"";
    return;
  case LayerKind::LSTM:
    os << " units=" << layer.units
       << " return_sequences=" << (layer.returnSequences ? "true" : "false");
    return;
  }
}

static void dumpLayer(const Layer &layer, llvm::raw_ostream &os) {
  os << "  layer " << layer.name << ": " << layerKindName(layer.kind);
  dumpLayerAttrs(layer, os);
  if (!layer.trainable)
    os << " trainable=false";
  os << " " << frontend::shapeText(layer.inputShape) << " -> "
     << frontend::shapeText(layer.outputShape) << " params=" << layer.paramCount
     << "\n";
  for (const ParamSpec &param : layer.params) {
    os << "    param " << param.name << " " << frontend::shapeText(param.shape)
       << " init=" << param.init << " fan_in=" << param.fanIn
       << " fan_out=" << param.fanOut;
    if (!param.trainable)
      os << " frozen";
    os << "\n";
  }
}

static void dumpModel(const ModelDecl &model, llvm::raw_ostream &os) {
  os << "model " << model.name << ": input "
     << frontend::shapeText(model.inputShape) << " -> output "
     << frontend::shapeText(model.outputShape) << " params=" << model.paramCount
     << "\n";
  for (const Layer &layer : model.layers)
    dumpLayer(layer, os);
}

static void dumpSource(const char *keyword, const DataSource &data,
                       llvm::raw_ostream &os) {
  os << "  " << keyword << " " << dataKindName(data.kind);
  for (const std::string &path : data.paths)
    os << " \"" << path << "\"";
  if (!data.target.empty())
    os << " target=" << data.target;
  os << "\n";
}

static void dumpOptimizer(const Optimizer &opt, llvm::raw_ostream &os) {
  os << "  optimizer " << optimizerKindName(opt.kind) << " lr=" << Num{opt.lr};
  if (opt.kind == OptimizerKind::SGD)
    os << " momentum=" << Num{opt.momentum}
       << " nesterov=" << (opt.nesterov ? "true" : "false") << "\n";
  else
    os << " beta1=" << Num{opt.beta1} << " beta2=" << Num{opt.beta2}
       << " eps=" << Num{opt.eps} << "\n";
}

static void dumpTrain(const TrainDecl &train, llvm::raw_ostream &os) {
  os << "train " << train.modelName << "\n";
  dumpSource("data", train.data, os);
  if (train.validate.kind == ValidateKind::File)
    dumpSource("validate", train.validate.data, os);
  if (train.validate.kind == ValidateKind::Split)
    os << "  validate split " << Num{train.validate.split} << "\n";
  os << "  loss " << lossKindName(train.loss) << "\n";
  dumpOptimizer(train.optimizer, os);
  for (const ClipSpec &clip : train.clips) {
    os << "  clip " << clipKindName(clip.kind);
    if (clip.kind != ClipKind::None)
      os << " " << Num{clip.threshold};
    os << " on " << (clip.layer.empty() ? "*" : clip.layer) << "\n";
  }
  if (train.clips.empty())
    os << "  clip none\n";
  os << "  batch " << train.batch << " epochs " << train.epochs << " seed "
     << train.seed << " shuffle " << (train.shuffle ? "true" : "false") << "\n";
  if (!train.initFrom.empty())
    os << "  init from \"" << train.initFrom << "\"\n";
}

void ast::dumpProgram(const Program &program, llvm::raw_ostream &os) {
  os << "program \"" << program.path << "\"\n";
  for (const ParamDecl &param : program.params)
    os << "param " << param.name << " = " << param.value
       << (param.overridden ? " (from -D)" : "") << "\n";
  for (const ModelDecl &model : program.models)
    dumpModel(model, os);
  for (const TrainDecl &train : program.trains)
    dumpTrain(train, os);
}
