// Sema.cpp - whole-program checks: shapes through models, train blocks.
// SPDX-License-Identifier: MIT
//
// Shape inference stops at the first layer of a model that does not fit,
// since every later shape would be wrong too; other models and train blocks
// are still checked, so independent mistakes are all reported.

#include "frontend/Sema.h"

#include <map>

using namespace gradc;
using namespace gradc::frontend;
using ast::ActivationKind;
using ast::LossKind;

/// The option whose number sizes the parameters of a layer of `kind`.
static const char *sizeOption(ast::LayerKind kind) {
  if (kind == ast::LayerKind::Conv2D)
    return "filters";
  if (kind == ast::LayerKind::Embedding)
    return "vocab";
  return "units";
}

/// Reports that the params up to `layer` exceed MaxModelParams, with the
/// caret at the number that sizes that layer.
static void reportTooManyParams(const ast::ModelDecl &model,
                                const ast::Layer &layer,
                                DiagnosticEngine &diags) {
  ast::SourceSpan at = optionSpan(layer, sizeOption(layer.kind));
  diags.error(at.loc,
              "model '" + model.name + "' has " +
                  std::to_string(model.paramCount) + " parameters up to " +
                  layer.name + ", over the limit of " +
                  std::to_string(MaxModelParams) + " (2^31) per model",
              at.length);
}

static void analyzeModel(ast::ModelDecl &model, DiagnosticEngine &diags) {
  if (model.inputShape.empty())
    return; // no input statement: already reported
  if (model.layers.empty()) {
    diags.error(model.loc, "model '" + model.name + "' has no layers",
                model.name.size());
    return;
  }
  if (!checkTensorSize("input", model.inputShape, model.inputSpan, diags))
    return;
  std::vector<int64_t> shape = model.inputShape;
  for (ast::Layer &layer : model.layers) {
    std::optional<std::vector<int64_t>> out = inferLayer(layer, shape, diags);
    if (!out)
      return;
    shape = *out;
    model.paramCount += layer.paramCount;
    if (model.paramCount > MaxModelParams)
      return reportTooManyParams(model, layer, diags);
  }
  model.outputShape = shape;
}

/// The activation the model ends with (linear for layers without one).
static ActivationKind lastActivation(const ast::Layer &layer) {
  if (layer.kind == ast::LayerKind::Dense ||
      layer.kind == ast::LayerKind::Conv2D)
    return layer.activation.kind;
  return ActivationKind::Linear;
}

/// The activation a loss needs on the model output, if any.
static std::optional<ActivationKind> requiredActivation(LossKind loss) {
  switch (loss) {
  case LossKind::BinaryCrossentropy:
    return ActivationKind::Sigmoid;
  case LossKind::CategoricalCrossentropy:
  case LossKind::SparseCategoricalCrossentropy:
    return ActivationKind::Softmax;
  case LossKind::MSE:
    return std::nullopt;
  }
  return std::nullopt;
}

static void checkLoss(const ast::TrainDecl &train, const ast::ModelDecl &model,
                      DiagnosticEngine &diags) {
  if (model.layers.empty() || model.outputShape.empty())
    return;
  const ast::Layer &last = model.layers.back();
  std::string loss = ast::lossKindName(train.loss);
  std::optional<ActivationKind> needed = requiredActivation(train.loss);
  if (needed && lastActivation(last) != *needed) {
    diags.error(train.lossLoc,
                "loss " + loss + " needs a " +
                    ast::activationKindName(*needed) +
                    " output, but the last layer '" + last.name + "' is " +
                    ast::activationKindName(lastActivation(last)),
                loss.size());
    diags.note(last.loc, "last layer '" + last.name + "' is here",
               std::string(ast::layerKindName(last.kind)).size());
    return;
  }
  bool categorical = train.loss == LossKind::CategoricalCrossentropy ||
                     train.loss == LossKind::SparseCategoricalCrossentropy;
  if (categorical && model.outputShape.back() < 2)
    diags.error(train.lossLoc,
                "loss " + loss +
                    " needs at least 2 classes, "
                    "but the model output is " +
                    shapeText(model.outputShape),
                loss.size());
}

static void checkClips(const ast::TrainDecl &train, const ast::ModelDecl &model,
                       DiagnosticEngine &diags) {
  std::vector<std::string> layerNames;
  for (const ast::Layer &layer : model.layers)
    layerNames.push_back(layer.name);

  std::map<std::string, const ast::ClipSpec *> byScope;
  for (const ast::ClipSpec &clip : train.clips) {
    if (!clip.layer.empty() && !model.findLayer(clip.layer)) {
      diags.error(clip.loc,
                  "clip on '" + clip.layer + "' names no layer of model '" +
                      model.name + "'" + didYouMean(clip.layer, layerNames),
                  4);
      continue;
    }
    auto [it, inserted] = byScope.emplace(clip.layer, &clip);
    if (inserted)
      continue;
    std::string scope =
        clip.layer.empty() ? "all parameters" : "layer '" + clip.layer + "'";
    diags.error(clip.loc, "conflicting clip statements for " + scope, 4);
    diags.note(it->second->loc, "previous clip statement here", 4);
  }
}

/// Checks the largest activation of the model, a batch of rows at a time,
/// against MaxTensorElements: the step's buffers hold whole batches.
static void checkBatch(const ast::TrainDecl &train, const ast::ModelDecl &model,
                       DiagnosticEngine &diags) {
  if (model.outputShape.empty())
    return;
  std::string largest = "input";
  std::vector<int64_t> row = model.inputShape;
  for (const ast::Layer &layer : model.layers) {
    if (*elementCount(layer.outputShape) <= *elementCount(row))
      continue;
    largest = layer.name + " output";
    row = layer.outputShape;
  }
  row.insert(row.begin(), train.batch);
  ast::SourceSpan at = train.batchSpan;
  std::string batch = "batch " + std::to_string(train.batch);
  if (at.loc.line == 0) { // the default batch: point at the train block
    at = {train.loc, unsigned(train.modelName.size())};
    batch += " (the default)";
  }
  checkTensorSize("at " + batch + ", " + largest, row, at, diags);
}

static void analyzeTrain(const ast::TrainDecl &train,
                         const ast::Program &program, DiagnosticEngine &diags) {
  const ast::ModelDecl *model = program.findModel(train.modelName);
  if (!model) {
    std::vector<std::string> names;
    for (const ast::ModelDecl &m : program.models)
      names.push_back(m.name);
    diags.error(train.loc,
                "train block for undefined model '" + train.modelName + "'" +
                    didYouMean(train.modelName, names),
                train.modelName.size());
    return;
  }
  if (program.findTrain(train.modelName) != &train) {
    diags.error(train.loc,
                "second train block for model '" + train.modelName + "'",
                train.modelName.size());
    return;
  }
  checkLoss(train, *model, diags);
  checkClips(train, *model, diags);
  checkBatch(train, *model, diags);
}

void frontend::analyzeProgram(ast::Program &program, DiagnosticEngine &diags) {
  std::map<std::string, const ast::ModelDecl *> models;
  for (ast::ModelDecl &model : program.models) {
    auto [it, inserted] = models.emplace(model.name, &model);
    if (!inserted) {
      diags.error(model.loc, "duplicate model '" + model.name + "'",
                  model.name.size());
      diags.note(it->second->loc, "'" + model.name + "' first defined here",
                 model.name.size());
    }
    analyzeModel(model, diags);
  }
  for (const ast::TrainDecl &train : program.trains)
    analyzeTrain(train, program, diags);
  if (program.models.empty() && diags.errorCount() == 0)
    diags.error({diags.fileName(), 1, 1}, "no model block in file");
}
