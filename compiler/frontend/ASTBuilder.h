// ASTBuilder.h - parse tree to AST: params, vocabulary, options, defaults.
// SPDX-License-Identifier: MIT
//
// The builder is the only code that sees ANTLR's parse tree. It substitutes
// `$param` references, recognizes layer kinds, activations, options, losses
// and optimizers (with "did you mean" suggestions), names unnamed layers
// and resolves data paths. Shapes and parameter lists are left to Sema.

#ifndef GRADC_FRONTEND_ASTBUILDER_H
#define GRADC_FRONTEND_ASTBUILDER_H

#include "frontend/AST.h"
#include "frontend/Frontend.h"
#include "frontend/Value.h"

#include "ModelParser.h"

#include <map>
#include <optional>
#include <set>

namespace gradc::frontend {

using grammar::ModelParser;

struct LayerInfo;

/// One `key=value` option or positional value of a statement.
struct Arg {
  std::string key; ///< empty for a positional value
  ast::SourceLoc keyLoc;
  unsigned keyLength = 1;
  Value value;
};

class ASTBuilder {
public:
  ASTBuilder(DiagnosticEngine &diags, std::string path,
             const ParamOverrides &overrides)
      : diags(diags), read(diags), path(std::move(path)), overrides(overrides) {
  }

  ast::Program build(ModelParser::ProgramContext *tree);

private:
  // ASTBuilder.cpp: params, values, locations.
  void declareParam(ModelParser::ParamDeclContext *ctx, ast::Program &program);
  void applyOverrides(ast::Program &program);
  Value toValue(ModelParser::ValueContext *ctx);
  Value substitute(ModelParser::ParamValueContext *ctx);
  Arg toArg(ModelParser::ArgContext *ctx);
  Arg toArg(ModelParser::OptionContext *ctx);
  ast::SourceLoc locOf(antlr4::Token *token) const;
  /// An absolute path for a path written relative to the .model file.
  std::string resolvePath(const std::string &relative) const;

  // BuildModel.cpp: models and layers.
  ast::ModelDecl buildModel(ModelParser::ModelDeclContext *ctx);
  std::optional<ast::Layer> buildLayer(ModelParser::LayerStmtContext *ctx);
  /// Applies the layer's arguments; gives the option keys it saw.
  std::set<std::string>
  applyArgs(ast::Layer &layer, const LayerInfo &info,
            const std::vector<ModelParser::ArgContext *> &args);
  /// The option a positional value stands for, or "" after an error.
  std::string positionalKey(const LayerInfo &info, const Value &v,
                            unsigned &slot);
  void applyLayerOption(ast::Layer &layer, const Arg &arg);
  void setPadding(ast::Layer &layer, const Value &v);
  std::optional<ast::Activation> activation(const Value &v);
  std::optional<std::string> initializer(const Value &v);
  void nameLayers(ast::ModelDecl &model);
  void checkRequired(const ast::Layer &layer, const LayerInfo &info);

  // BuildTrain.cpp: train blocks.
  ast::TrainDecl buildTrain(ModelParser::TrainDeclContext *ctx);
  void buildTrainStmt(ModelParser::TrainStmtContext *ctx,
                      ast::TrainDecl &train);
  std::optional<ast::DataSource> dataSource(const std::vector<Arg> &args,
                                            const ast::SourceLoc &loc);
  void buildValidate(ModelParser::ValidateStmtContext *ctx,
                     ast::TrainDecl &train);
  void buildOptimizer(ModelParser::OptimizerStmtContext *ctx,
                      ast::Optimizer &optimizer);
  void applyOptimizerOption(ast::Optimizer &optimizer, const Arg &arg);
  void buildClip(ModelParser::ClipStmtContext *ctx, ast::TrainDecl &train);
  bool firstStatement(const std::string &keyword, antlr4::Token *token);

  DiagnosticEngine &diags;
  ValueReader read;
  std::string path;
  const ParamOverrides &overrides;
  std::map<std::string, Value> params;
  /// Train statements seen in the current block, for duplicates.
  std::map<std::string, ast::SourceLoc> seenStatements;
};

/// Reports `key` as unknown among `known`, with a suggestion.
void reportUnknown(DiagnosticEngine &diags, const ast::SourceLoc &loc,
                   unsigned length, const std::string &what,
                   const std::string &word,
                   const std::vector<std::string> &known);

/// Is `v` the word valid or same (padding rather than an activation)?
bool isPaddingWord(const Value &v);

/// The Keras name prefix of unnamed layers ("max_pooling2d").
const char *autoNamePrefix(ast::LayerKind kind);

} // namespace gradc::frontend

#endif // GRADC_FRONTEND_ASTBUILDER_H
