// BuildTrain.cpp - train blocks: data, validation, loss, optimizer, clips.
// SPDX-License-Identifier: MIT
//
// Each statement other than `clip` may appear once per block. Values are
// range-checked here (a learning rate > 0, a batch >= 1, a clip threshold
// > 0); what needs the model (clip layers, loss against the last layer) is
// checked by Sema.

#include "frontend/ASTBuilder.h"

using namespace gradc;
using namespace gradc::frontend;

ast::TrainDecl ASTBuilder::buildTrain(ModelParser::TrainDeclContext *ctx) {
  ast::TrainDecl train;
  train.modelName = ctx->name->getText();
  train.loc = locOf(ctx->name);
  seenStatements.clear();
  for (ModelParser::TrainStmtContext *stmt : ctx->trainStmt())
    buildTrainStmt(stmt, train);
  if (!seenStatements.count("data"))
    diags.error(train.loc,
                "train block for '" + train.modelName +
                    "' has no data statement",
                train.modelName.size());
  if (!seenStatements.count("loss"))
    diags.error(train.loc,
                "train block for '" + train.modelName +
                    "' has no loss statement",
                train.modelName.size());
  return train;
}

bool ASTBuilder::firstStatement(const std::string &keyword,
                                antlr4::Token *token) {
  auto [it, inserted] = seenStatements.emplace(keyword, locOf(token));
  if (inserted)
    return true;
  diags.error(locOf(token), "duplicate '" + keyword + "' statement",
              keyword.size());
  diags.note(it->second, "first '" + keyword + "' statement here",
             keyword.size());
  return false;
}

/// Reads `v` as a whole number >= min into `field`.
static void readInteger(ValueReader &read, const Value &v,
                        const std::string &what, int64_t min, int64_t &field) {
  if (std::optional<int64_t> n = read.integer(v, what, min))
    field = *n;
}

static std::optional<ast::LossKind> lossKind(ValueReader &read,
                                             const Value &v) {
  static const std::vector<std::pair<std::string, ast::LossKind>> table = {
      {"mse", ast::LossKind::MSE},
      {"binary_crossentropy", ast::LossKind::BinaryCrossentropy},
      {"categorical_crossentropy", ast::LossKind::CategoricalCrossentropy},
      {"sparse_categorical_crossentropy",
       ast::LossKind::SparseCategoricalCrossentropy}};
  std::optional<std::string> name = read.name(v, "the loss");
  if (!name)
    return std::nullopt;
  std::vector<std::string> names;
  for (const auto &[spelling, kind] : table) {
    if (spelling == *name)
      return kind;
    names.push_back(spelling);
  }
  read.unknown(v, "loss", names);
  return std::nullopt;
}

void ASTBuilder::buildTrainStmt(ModelParser::TrainStmtContext *ctx,
                                ast::TrainDecl &train) {
  antlr4::Token *head = ctx->getStart();
  if (dynamic_cast<ModelParser::UnknownTrainStmtContext *>(ctx)) {
    reportUnknown(diags, locOf(head), head->getText().size(),
                  "statement in train block", head->getText(),
                  {"data", "validate", "loss", "optimizer", "clip", "batch",
                   "epochs", "seed", "shuffle", "init"});
    return;
  }
  if (auto *clip = dynamic_cast<ModelParser::ClipStmtContext *>(ctx))
    return buildClip(clip, train);
  if (!firstStatement(head->getText(), head))
    return;

  if (auto *data = dynamic_cast<ModelParser::DataStmtContext *>(ctx)) {
    std::vector<Arg> args;
    for (ModelParser::ArgContext *arg : data->arg())
      args.push_back(toArg(arg));
    if (auto source = dataSource(args, locOf(head)))
      train.data = *source;
  } else if (auto *v = dynamic_cast<ModelParser::ValidateStmtContext *>(ctx)) {
    buildValidate(v, train);
  } else if (auto *loss = dynamic_cast<ModelParser::LossStmtContext *>(ctx)) {
    train.lossLoc = locOf(loss->value()->getStart());
    if (auto kind = lossKind(read, toValue(loss->value())))
      train.loss = *kind;
  } else if (auto *opt =
                 dynamic_cast<ModelParser::OptimizerStmtContext *>(ctx)) {
    buildOptimizer(opt, train.optimizer);
  } else if (auto *b = dynamic_cast<ModelParser::BatchStmtContext *>(ctx)) {
    Value value = toValue(b->value());
    train.batchSpan = {value.loc, value.length};
    readInteger(read, value, "the batch size", 1, train.batch);
  } else if (auto *e = dynamic_cast<ModelParser::EpochsStmtContext *>(ctx)) {
    readInteger(read, toValue(e->value()), "epochs", 1, train.epochs);
  } else if (auto *s = dynamic_cast<ModelParser::SeedStmtContext *>(ctx)) {
    int64_t seed = 0;
    readInteger(read, toValue(s->value()), "the seed", 0, seed);
    train.seed = static_cast<uint64_t>(seed);
  } else if (auto *s = dynamic_cast<ModelParser::ShuffleStmtContext *>(ctx)) {
    if (auto b = read.boolean(toValue(s->value()), "shuffle"))
      train.shuffle = *b;
  } else if (auto *i = dynamic_cast<ModelParser::InitStmtContext *>(ctx)) {
    if (auto file = read.string(toValue(i->value()), "the weights file"))
      train.initFrom = resolvePath(*file);
  }
}
