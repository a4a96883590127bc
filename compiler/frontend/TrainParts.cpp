// TrainParts.cpp - data sources, validation, optimizer and clip statements.
// SPDX-License-Identifier: MIT
//
// A data source is `format path... [target=column]`; the format fixes how
// many paths it takes. The optimizer starts from its Keras defaults and
// each named argument overrides one of them after a range check.

#include "frontend/ASTBuilder.h"

#include <cmath>
#include <cstdio>

using namespace gradc;
using namespace gradc::frontend;

/// The number of files each data format reads.
static size_t pathCount(ast::DataKind kind) {
  return kind == ast::DataKind::Idx ? 2 : 1;
}

std::optional<ast::DataSource>
ASTBuilder::dataSource(const std::vector<Arg> &args,
                       const ast::SourceLoc &loc) {
  ast::DataSource source;
  source.loc = loc;
  const Value &format = args[0].value;
  if (format.text == "csv" && format.kind == ValueKind::Name)
    source.kind = ast::DataKind::Csv;
  else if (format.text == "idx" && format.kind == ValueKind::Name)
    source.kind = ast::DataKind::Idx;
  else if (format.text == "tokens" && format.kind == ValueKind::Name)
    source.kind = ast::DataKind::Tokens;
  else if (format.kind == ValueKind::Name)
    return read.unknown(format, "data format", {"csv", "idx", "tokens"}),
           std::nullopt;
  else
    return read.error(format, "expected a data format (csv, idx or tokens), "
                              "found " +
                                  format.describe()),
           std::nullopt;

  for (size_t i = 1; i < args.size(); ++i) {
    const Arg &arg = args[i];
    if (arg.key.empty()) {
      if (auto file = read.string(arg.value, "a data file"))
        source.paths.push_back(resolvePath(*file));
      continue;
    }
    if (arg.key == "target" && source.kind == ast::DataKind::Csv) {
      if (auto column = read.string(arg.value, "the target column"))
        source.target = *column;
      continue;
    }
    reportUnknown(diags, arg.keyLoc, arg.keyLength,
                  "option for " + format.text + " data", arg.key,
                  source.kind == ast::DataKind::Csv
                      ? std::vector<std::string>{"target"}
                      : std::vector<std::string>{});
  }

  size_t wanted = pathCount(source.kind);
  if (source.paths.size() != wanted) {
    diags.error(format.loc,
                format.text + " data takes " + std::to_string(wanted) +
                    " file" + (wanted > 1 ? "s (images, labels)" : "") +
                    ", found " + std::to_string(source.paths.size()),
                format.length);
    return std::nullopt;
  }
  if (source.kind == ast::DataKind::Csv && source.target.empty()) {
    diags.error(format.loc, "csv data needs a target column (target=name)",
                format.length);
    return std::nullopt;
  }
  return source;
}

void ASTBuilder::buildValidate(ModelParser::ValidateStmtContext *ctx,
                               ast::TrainDecl &train) {
  std::vector<Arg> args;
  for (ModelParser::ArgContext *arg : ctx->arg())
    args.push_back(toArg(arg));
  train.validate.loc = locOf(ctx->getStart());
  const Value &first = args[0].value;
  if (first.kind != ValueKind::Name || first.text != "split") {
    if (auto source = dataSource(args, train.validate.loc)) {
      train.validate.kind = ast::ValidateKind::File;
      train.validate.data = *source;
    }
    return;
  }
  if (args.size() != 2 || !args[1].key.empty()) {
    read.error(first, "validate split takes one fraction, e.g. split 0.2");
    return;
  }
  std::optional<double> split = read.number(args[1].value, "the split");
  if (!split)
    return;
  if (*split <= 0 || *split >= 1) {
    read.error(args[1].value, "validation split must be in (0, 1), found " +
                                  args[1].value.text);
    return;
  }
  train.validate.kind = ast::ValidateKind::Split;
  train.validate.split = *split;
}

void ASTBuilder::buildOptimizer(ModelParser::OptimizerStmtContext *ctx,
                                ast::Optimizer &optimizer) {
  Value kind = toValue(ctx->value());
  optimizer.loc = kind.loc;
  if (kind.kind == ValueKind::Name && kind.text == "adam") {
    optimizer.kind = ast::OptimizerKind::Adam;
    optimizer.lr = 0.001;
  } else if (kind.kind == ValueKind::Invalid) {
    return;
  } else if (kind.kind != ValueKind::Name || kind.text != "sgd") {
    read.unknown(kind, "optimizer", {"sgd", "adam"});
    return;
  }
  for (ModelParser::OptionContext *option : ctx->option())
    applyOptimizerOption(optimizer, toArg(option));
}

/// "> 0", ">= 0" or "in [0, 1)" for messages.
static std::string rangeText(double low, bool lowOpen, double high) {
  char text[64];
  if (high == HUGE_VAL)
    std::snprintf(text, sizeof(text), "%s %g", lowOpen ? ">" : ">=", low);
  else
    std::snprintf(text, sizeof(text), "in %s%g, %g)", lowOpen ? "(" : "[", low,
                  high);
  return text;
}

/// Reads a number with `low < n` (or `low <= n`) and `n < high`.
static void readInRange(ValueReader &read, const Value &v,
                        const std::string &what, double low, bool lowOpen,
                        double high, double &field) {
  std::optional<double> n = read.number(v, what);
  if (!n)
    return;
  bool aboveLow = lowOpen ? *n > low : *n >= low;
  if (aboveLow && *n < high) {
    field = *n;
    return;
  }
  read.error(v, what + " must be " + rangeText(low, lowOpen, high) +
                    ", found " + v.text);
}

void ASTBuilder::applyOptimizerOption(ast::Optimizer &optimizer,
                                      const Arg &arg) {
  bool adam = optimizer.kind == ast::OptimizerKind::Adam;
  const Value &v = arg.value;
  if (arg.key == "lr")
    return readInRange(read, v, "learning rate", 0, true, HUGE_VAL,
                       optimizer.lr);
  if (!adam && arg.key == "momentum")
    return readInRange(read, v, "momentum", 0, false, 1, optimizer.momentum);
  if (!adam && arg.key == "nesterov") {
    if (auto b = read.boolean(v, "nesterov"))
      optimizer.nesterov = *b;
    return;
  }
  if (adam && arg.key == "beta1")
    return readInRange(read, v, "beta1", 0, false, 1, optimizer.beta1);
  if (adam && arg.key == "beta2")
    return readInRange(read, v, "beta2", 0, false, 1, optimizer.beta2);
  if (adam && arg.key == "eps")
    return readInRange(read, v, "eps", 0, true, HUGE_VAL, optimizer.eps);
  reportUnknown(diags, arg.keyLoc, arg.keyLength,
                std::string("option for ") + (adam ? "adam" : "sgd"), arg.key,
                adam ? std::vector<std::string>{"lr", "beta1", "beta2", "eps"}
                     : std::vector<std::string>{"lr", "momentum", "nesterov"});
}

static std::optional<ast::ClipKind> clipKind(ValueReader &read,
                                             const Value &v) {
  std::optional<std::string> name = read.name(v, "the clip kind");
  if (!name)
    return std::nullopt;
  if (*name == "norm")
    return ast::ClipKind::Norm;
  if (*name == "global_norm")
    return ast::ClipKind::GlobalNorm;
  if (*name == "value")
    return ast::ClipKind::Value;
  if (*name == "none")
    return ast::ClipKind::None;
  read.unknown(v, "clip kind", {"norm", "global_norm", "value", "none"});
  return std::nullopt;
}

void ASTBuilder::buildClip(ModelParser::ClipStmtContext *ctx,
                           ast::TrainDecl &train) {
  ast::ClipSpec clip;
  clip.loc = locOf(ctx->getStart());
  if (ctx->layer)
    clip.layer = ctx->layer->getText();
  std::optional<ast::ClipKind> kind = clipKind(read, toValue(ctx->kind));
  if (!kind)
    return;
  clip.kind = *kind;
  if (clip.kind == ast::ClipKind::None) {
    // No clipping: kept only as a per-layer exemption.
    if (!clip.layer.empty())
      train.clips.push_back(clip);
    return;
  }
  if (!ctx->threshold) {
    diags.error(clip.loc,
                "clip " + std::string(ast::clipKindName(clip.kind)) +
                    " needs a threshold, e.g. clip norm 1.0",
                4);
    return;
  }
  clip.threshold = -1;
  readInRange(read, toValue(ctx->threshold), "clip threshold", 0, true,
              HUGE_VAL, clip.threshold);
  if (clip.threshold > 0)
    train.clips.push_back(clip);
}
