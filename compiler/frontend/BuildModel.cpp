// BuildModel.cpp - model blocks: input, layers, their options and names.
// SPDX-License-Identifier: MIT
//
// A layer statement is `kind positional... key=value... [as name]`. One
// table says, per layer kind, its spelling, its Keras auto-name prefix, its
// positional slots and the options it accepts; everything else about a
// layer follows from that table.

#include "frontend/ASTBuilder.h"

#include <map>

using namespace gradc;
using namespace gradc::frontend;
using ast::LayerKind;

namespace gradc::frontend {
struct LayerInfo {
  const char *spelling;
  LayerKind kind;
  const char *autoName;
  std::vector<std::string> positional; ///< numeric slots, in order
  std::vector<std::string> options;
};
} // namespace gradc::frontend

static const std::vector<LayerInfo> &layerTable() {
  static const std::vector<LayerInfo> table = {
      {"dense",
       LayerKind::Dense,
       "dense",
       {"units"},
       {"units", "activation", "init", "kernel_init", "bias_init", "use_bias",
        "trainable"}},
      {"conv2d",
       LayerKind::Conv2D,
       "conv2d",
       {"filters", "kernel"},
       {"filters", "kernel", "stride", "padding", "activation", "init",
        "kernel_init", "bias_init", "use_bias", "trainable"}},
      {"maxpool2d",
       LayerKind::MaxPool2D,
       "max_pooling2d",
       {"pool"},
       {"pool", "stride", "padding"}},
      {"dropout", LayerKind::Dropout, "dropout", {"rate"}, {"rate"}},
      {"alpha_dropout",
       LayerKind::AlphaDropout,
       "alpha_dropout",
       {"rate"},
       {"rate"}},
      {"flatten", LayerKind::Flatten, "flatten", {}, {}},
      {"embedding",
       LayerKind::Embedding,
       "embedding",
       {"vocab", "dim"},
       {"vocab", "dim", "vectors", "init", "trainable"}},
      {"lstm",
       LayerKind::LSTM,
       "lstm",
       {"units"},
       {"units", "return_sequences", "init", "kernel_init", "recurrent_init",
        "bias_init", "use_bias", "trainable"}},
  };
  return table;
}

static const LayerInfo *findLayerInfo(LayerKind kind) {
  for (const LayerInfo &info : layerTable())
    if (info.kind == kind)
      return &info;
  return nullptr;
}

const char *frontend::autoNamePrefix(LayerKind kind) {
  return findLayerInfo(kind)->autoName;
}

static bool contains(const std::vector<std::string> &list,
                     const std::string &word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

ast::ModelDecl ASTBuilder::buildModel(ModelParser::ModelDeclContext *ctx) {
  ast::ModelDecl model;
  model.name = ctx->name->getText();
  model.loc = locOf(ctx->name);
  bool hasInput = false;
  for (ModelParser::ModelStmtContext *stmt : ctx->modelStmt()) {
    if (auto *layer = dynamic_cast<ModelParser::LayerStmtContext *>(stmt)) {
      if (std::optional<ast::Layer> built = buildLayer(layer))
        model.layers.push_back(std::move(*built));
      continue;
    }
    auto *input = static_cast<ModelParser::InputStmtContext *>(stmt);
    ast::SourceLoc loc = locOf(input->getStart());
    if (hasInput) {
      diags.error(loc,
                  "duplicate input statement in model '" + model.name + "'", 5);
      continue;
    }
    hasInput = true;
    if (auto shape = read.shape(toValue(input->value()), "an input dimension"))
      model.inputShape = *shape;
  }
  if (!hasInput)
    diags.error(model.loc, "model '" + model.name + "' has no input statement",
                model.name.size());
  nameLayers(model);
  return model;
}

std::optional<ast::Layer>
ASTBuilder::buildLayer(ModelParser::LayerStmtContext *ctx) {
  std::string kind = ctx->kind->getText();
  ast::Layer layer;
  layer.loc = locOf(ctx->kind);
  const LayerInfo *info = nullptr;
  std::vector<std::string> spellings = {"input"};
  for (const LayerInfo &candidate : layerTable()) {
    spellings.push_back(candidate.spelling);
    if (kind == candidate.spelling)
      info = &candidate;
  }
  if (!info) {
    reportUnknown(diags, layer.loc, kind.size(), "layer", kind, spellings);
    return std::nullopt;
  }
  layer.kind = info->kind;
  // Markers that sema replaces: a conv2d needs a kernel, a pool's stride
  // defaults to its pool size.
  if (layer.kind == LayerKind::Conv2D)
    layer.kernel = {0, 0};
  if (layer.kind == LayerKind::MaxPool2D) {
    layer.pool = {2, 2};
    layer.stride = {0, 0};
  }
  if (ctx->alias)
    layer.name = ctx->alias->getText();

  unsigned errorsBefore = diags.errorCount();
  unsigned slot = 0;
  bool trainableGiven = false;
  for (ModelParser::ArgContext *argCtx : ctx->arg()) {
    Arg arg = toArg(argCtx);
    trainableGiven |= arg.key == "trainable";
    if (arg.key.empty()) {
      applyPositional(layer, arg.value, slot);
      continue;
    }
    if (!contains(info->options, arg.key)) {
      reportUnknown(diags, arg.keyLoc, arg.keyLength,
                    std::string("option for ") + info->spelling, arg.key,
                    info->options);
      continue;
    }
    applyLayerOption(layer, arg);
  }
  // Pre-trained vectors are frozen unless the layer says otherwise.
  if (!layer.vectorsFile.empty() && !trainableGiven)
    layer.trainable = false;
  // A missing value is reported only when nothing else was wrong here.
  if (diags.errorCount() == errorsBefore)
    checkRequired(layer, *info);
  return layer;
}

void ASTBuilder::checkRequired(const ast::Layer &layer, const LayerInfo &info) {
  std::string missing;
  if (layer.kind == LayerKind::Conv2D && layer.kernel.h == 0)
    missing = "a kernel size (e.g. 3x3)";
  if (layer.units == 0 && contains(info.positional, "units"))
    missing = "a number of units";
  if (layer.units == 0 && contains(info.positional, "filters"))
    missing = "a number of filters";
  if (layer.kind == LayerKind::Embedding && (!layer.vocab || !layer.dim))
    missing = "a vocabulary size and an embedding size";
  if (missing.empty())
    return;
  diags.error(layer.loc, std::string(info.spelling) + " needs " + missing,
              std::string(info.spelling).size());
}

bool frontend::isPaddingWord(const Value &v) {
  return v.kind == ValueKind::Name && (v.text == "valid" || v.text == "same");
}

bool ASTBuilder::applyPositional(ast::Layer &layer, const Value &v,
                                 unsigned &slot) {
  const LayerInfo *info = findLayerInfo(layer.kind);
  bool named = v.kind == ValueKind::Name || v.kind == ValueKind::Call;
  if (named && contains(info->options, "padding") && isPaddingWord(v)) {
    applyLayerOption(layer, {"padding", v.loc, v.length, v});
    return true;
  }
  if (named && contains(info->options, "activation")) {
    applyLayerOption(layer, {"activation", v.loc, v.length, v});
    return true;
  }
  if (slot >= info->positional.size()) {
    read.error(v, std::string("unexpected ") + v.describe() + " for " +
                      info->spelling);
    return false;
  }
  const std::string &key = info->positional[slot++];
  applyLayerOption(layer, {key, v.loc, v.length, v});
  return true;
}
