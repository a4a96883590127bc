// AST.cpp - lookups and spellings of the checked syntax tree.
// SPDX-License-Identifier: MIT
//
// The spellings here are the ones the language uses, so that dumps and
// messages read like the source.

#include "frontend/AST.h"

#include "llvm/Support/ErrorHandling.h"

using namespace gradc;
using namespace gradc::ast;

const Layer *ModelDecl::findLayer(const std::string &layerName) const {
  for (const Layer &layer : layers)
    if (layer.name == layerName)
      return &layer;
  return nullptr;
}

const ClipSpec *TrainDecl::clipFor(const std::string &layerName) const {
  const ClipSpec *global = nullptr;
  for (const ClipSpec &clip : clips) {
    if (clip.layer == layerName)
      return clip.kind == ClipKind::None ? nullptr : &clip;
    if (clip.layer.empty())
      global = &clip;
  }
  return global;
}

const ParamDecl *Program::findParam(const std::string &name) const {
  for (const ParamDecl &param : params)
    if (param.name == name)
      return &param;
  return nullptr;
}

const ModelDecl *Program::findModel(const std::string &name) const {
  for (const ModelDecl &model : models)
    if (model.name == name)
      return &model;
  return nullptr;
}

const TrainDecl *Program::findTrain(const std::string &modelName) const {
  for (const TrainDecl &train : trains)
    if (train.modelName == modelName)
      return &train;
  return nullptr;
}

const char *ast::layerKindName(LayerKind kind) {
  switch (kind) {
  case LayerKind::Dense:
    return "dense";
  case LayerKind::Conv2D:
    return "conv2d";
  case LayerKind::MaxPool2D:
    return "maxpool2d";
  case LayerKind::Dropout:
    return "dropout";
  case LayerKind::AlphaDropout:
    return "alpha_dropout";
  case LayerKind::Flatten:
    return "flatten";
  case LayerKind::Embedding:
    return "embedding";
  case LayerKind::LSTM:
    return "lstm";
  }
  llvm_unreachable("unknown layer kind");
}

const char *ast::activationKindName(ActivationKind kind) {
  switch (kind) {
  case ActivationKind::Linear:
    return "linear";
  case ActivationKind::Relu:
    return "relu";
  case ActivationKind::LeakyRelu:
    return "leaky_relu";
  case ActivationKind::Elu:
    return "elu";
  case ActivationKind::Selu:
    return "selu";
  case ActivationKind::Sigmoid:
    return "sigmoid";
  case ActivationKind::Tanh:
    return "tanh";
  case ActivationKind::Softmax:
    return "softmax";
  }
  llvm_unreachable("unknown activation kind");
}

const char *ast::lossKindName(LossKind kind) {
  switch (kind) {
  case LossKind::MSE:
    return "mse";
  case LossKind::BinaryCrossentropy:
    return "binary_crossentropy";
  case LossKind::CategoricalCrossentropy:
    return "categorical_crossentropy";
  case LossKind::SparseCategoricalCrossentropy:
    return "sparse_categorical_crossentropy";
  }
  llvm_unreachable("unknown loss kind");
}

const char *ast::optimizerKindName(OptimizerKind kind) {
  return kind == OptimizerKind::SGD ? "sgd" : "adam";
}

const char *ast::clipKindName(ClipKind kind) {
  switch (kind) {
  case ClipKind::Norm:
    return "norm";
  case ClipKind::GlobalNorm:
    return "global_norm";
  case ClipKind::Value:
    return "value";
  case ClipKind::None:
    return "none";
  }
  llvm_unreachable("unknown clip kind");
}

const char *ast::dataKindName(DataKind kind) {
  switch (kind) {
  case DataKind::Csv:
    return "csv";
  case DataKind::Idx:
    return "idx";
  case DataKind::Tokens:
    return "tokens";
  }
  llvm_unreachable("unknown data kind");
}
