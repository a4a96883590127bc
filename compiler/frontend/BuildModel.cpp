// BuildModel.cpp - model blocks: input, layers, their options and names.
// SPDX-License-Identifier: MIT
//
// A layer statement is `kind positional... key=value... [as name]`. One
// table says, per layer kind, its spelling, its Keras auto-name prefix, its
// positional slots and the options it accepts; everything else about a
// layer follows from that table.

#include "frontend/ASTBuilder.h"

#include <map>
#include <set>

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
    Value value = toValue(input->value());
    model.inputSpan = {value.loc, value.length};
    if (auto shape = read.shape(value, "an input dimension"))
      model.inputShape = *shape;
  }
  if (!hasInput)
    diags.error(model.loc, "model '" + model.name + "' has no input statement",
                model.name.size());
  nameLayers(model);
  return model;
}

/// Is `kind` a dropout layer (dropout or alpha_dropout)?
static bool isDropout(LayerKind kind) {
  return kind == LayerKind::Dropout || kind == LayerKind::AlphaDropout;
}

/// A layer of this kind with the markers of values not given yet: a conv2d
/// must get a kernel and a dropout a rate (checkRequired), a pool's stride
/// defaults to its pool size (sema).
static ast::Layer newLayer(const LayerInfo &info) {
  ast::Layer layer;
  layer.kind = info.kind;
  if (layer.kind == LayerKind::Conv2D)
    layer.kernel = {0, 0};
  if (isDropout(layer.kind))
    layer.rate = -1;
  if (layer.kind == LayerKind::MaxPool2D) {
    layer.pool = {2, 2};
    layer.stride = {0, 0};
  }
  return layer;
}

std::optional<ast::Layer>
ASTBuilder::buildLayer(ModelParser::LayerStmtContext *ctx) {
  std::string kind = ctx->kind->getText();
  const LayerInfo *info = nullptr;
  std::vector<std::string> spellings = {"input"};
  for (const LayerInfo &candidate : layerTable()) {
    spellings.push_back(candidate.spelling);
    if (kind == candidate.spelling)
      info = &candidate;
  }
  if (!info) {
    reportUnknown(diags, locOf(ctx->kind), kind.size(), "layer", kind,
                  spellings);
    return std::nullopt;
  }
  ast::Layer layer = newLayer(*info);
  layer.loc = locOf(ctx->kind);
  if (ctx->alias)
    layer.name = ctx->alias->getText();

  unsigned errorsBefore = diags.errorCount();
  std::set<std::string> given = applyArgs(layer, *info, ctx->arg());
  // Pre-trained vectors are frozen unless the layer says otherwise.
  if (!layer.vectorsFile.empty() && !given.count("trainable"))
    layer.trainable = false;
  // A missing value is reported only when nothing else was wrong here.
  if (diags.errorCount() == errorsBefore)
    checkRequired(layer, *info);
  return layer;
}

std::set<std::string>
ASTBuilder::applyArgs(ast::Layer &layer, const LayerInfo &info,
                      const std::vector<ModelParser::ArgContext *> &args) {
  std::set<std::string> given;
  unsigned slot = 0;
  for (ModelParser::ArgContext *argCtx : args) {
    Arg arg = toArg(argCtx);
    if (arg.key.empty())
      arg.key = positionalKey(info, arg.value, slot);
    else if (!contains(info.options, arg.key))
      reportUnknown(diags, arg.keyLoc, arg.keyLength,
                    std::string("option for ") + info.spelling, arg.key,
                    info.options);
    if (arg.key.empty() || !contains(info.options, arg.key))
      continue;
    if (!given.insert(arg.key).second) {
      read.error(arg.value, arg.key + " is given twice for " + info.spelling);
      continue;
    }
    layer.optionSpans[arg.key] = {arg.value.loc, arg.value.length};
    applyLayerOption(layer, arg);
  }
  return given;
}

void ASTBuilder::checkRequired(const ast::Layer &layer, const LayerInfo &info) {
  std::string missing;
  if (layer.kind == LayerKind::Conv2D && layer.kernel.h == 0)
    missing = "a kernel size (e.g. 3x3)";
  // Keras has no default rate either: rate 0 would silently do nothing.
  if (isDropout(layer.kind) && layer.rate < 0)
    missing = "a rate in [0, 1) (e.g. 0.5)";
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

std::string ASTBuilder::positionalKey(const LayerInfo &info, const Value &v,
                                      unsigned &slot) {
  bool named = v.kind == ValueKind::Name || v.kind == ValueKind::Call;
  if (named && contains(info.options, "padding") && isPaddingWord(v))
    return "padding";
  if (named && contains(info.options, "activation"))
    return "activation";
  if (slot < info.positional.size())
    return info.positional[slot++];
  read.error(v, std::string("unexpected ") + v.describe() + " for " +
                    info.spelling);
  return "";
}
