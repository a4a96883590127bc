// ASTBuilder.cpp - the builder's driver: params, values and locations.
// SPDX-License-Identifier: MIT
//
// Params are collected first, then -D overrides replace their values, and
// only then are models and train blocks built; so a param may be used
// before the line that declares it, and every use sees the override.

#include "frontend/ASTBuilder.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"

using namespace gradc;
using namespace gradc::frontend;

void frontend::reportUnknown(DiagnosticEngine &diags, const ast::SourceLoc &loc,
                             unsigned length, const std::string &what,
                             const std::string &word,
                             const std::vector<std::string> &known) {
  diags.error(loc,
              "unknown " + what + " '" + word + "'" + didYouMean(word, known),
              length);
}

ast::Program ASTBuilder::build(ModelParser::ProgramContext *tree) {
  ast::Program program;
  program.path = path;
  for (ModelParser::DeclContext *decl : tree->decl())
    if (decl->paramDecl())
      declareParam(decl->paramDecl(), program);
  applyOverrides(program);

  for (ModelParser::DeclContext *decl : tree->decl())
    if (decl->modelDecl())
      program.models.push_back(buildModel(decl->modelDecl()));
  for (ModelParser::DeclContext *decl : tree->decl())
    if (decl->trainDecl())
      program.trains.push_back(buildTrain(decl->trainDecl()));
  return program;
}

void ASTBuilder::declareParam(ModelParser::ParamDeclContext *ctx,
                              ast::Program &program) {
  std::string name = ctx->name->getText();
  ast::SourceLoc loc = locOf(ctx->name->getStart());
  if (const ast::ParamDecl *first = program.findParam(name)) {
    diags.error(loc, "duplicate param '" + name + "'", name.size());
    diags.note(first->loc, "'" + name + "' first declared here", name.size());
    return;
  }
  Value value = toValue(ctx->value());
  value.paramLoc = loc;
  params[name] = value;
  program.params.push_back({name, value.text, false, loc});
}

void ASTBuilder::applyOverrides(ast::Program &program) {
  std::vector<std::string> declared;
  for (const ast::ParamDecl &param : program.params)
    declared.push_back(param.name);

  for (const auto &[name, text] : overrides) {
    auto it = params.find(name);
    if (it == params.end()) {
      diags.commandLineError("-D" + name + " names no declared param" +
                             didYouMean(name, declared));
      continue;
    }
    ast::SourceLoc declared = it->second.paramLoc;
    it->second = valueFromText(text);
    it->second.paramLoc = declared;
    it->second.fromDefine = true;
    for (ast::ParamDecl &param : program.params)
      if (param.name == name)
        param = {name, it->second.text, true, param.loc};
  }
}

ast::SourceLoc ASTBuilder::locOf(antlr4::Token *token) const {
  return {diags.fileName(), static_cast<unsigned>(token->getLine()),
          static_cast<unsigned>(token->getCharPositionInLine() + 1)};
}

/// Moves a substituted value (and its parts) to the place of use.
static void relocate(Value &v, const ast::SourceLoc &loc, unsigned length,
                     const std::string &param) {
  v.loc = loc;
  v.length = length;
  v.fromParam = param;
  for (Value &item : v.items) {
    item.paramLoc = v.paramLoc;
    item.fromDefine = v.fromDefine;
    relocate(item, loc, length, param);
  }
}

Value ASTBuilder::substitute(ModelParser::ParamValueContext *ctx) {
  antlr4::Token *token = ctx->PARAM_REF()->getSymbol();
  std::string name = token->getText().substr(1);
  unsigned length = token->getText().size();
  auto it = params.find(name);
  if (it != params.end()) {
    Value v = it->second;
    relocate(v, locOf(token), length, name);
    return v;
  }
  std::vector<std::string> known;
  for (const auto &entry : params)
    known.push_back(entry.first);
  reportUnknown(diags, locOf(token), length, "param", name, known);
  Value v;
  v.kind = ValueKind::Invalid;
  v.text = "$" + name;
  v.loc = locOf(token);
  return v;
}

/// The text of a string literal without quotes and escapes.
static std::string unquote(const std::string &literal) {
  std::string text;
  for (size_t i = 1; i + 1 < literal.size(); ++i) {
    if (literal[i] == '\\' && i + 2 < literal.size())
      ++i;
    text += literal[i];
  }
  return text;
}

Value ASTBuilder::toValue(ModelParser::ValueContext *ctx) {
  if (auto *param = dynamic_cast<ModelParser::ParamValueContext *>(ctx))
    return substitute(param);
  Value v;
  v.loc = locOf(ctx->getStart());
  v.text = ctx->getText();
  v.length =
      ctx->getStop()->getStopIndex() - ctx->getStart()->getStartIndex() + 1;
  if (dynamic_cast<ModelParser::NumberValueContext *>(ctx)) {
    v.kind = ValueKind::Number;
  } else if (dynamic_cast<ModelParser::StringValueContext *>(ctx)) {
    v.kind = ValueKind::String;
    v.text = unquote(v.text);
  } else if (dynamic_cast<ModelParser::DimsValueContext *>(ctx)) {
    v.kind = ValueKind::Dims;
    llvm::SmallVector<llvm::StringRef, 4> parts;
    llvm::StringRef(v.text).split(parts, 'x');
    for (llvm::StringRef part : parts) {
      Value dim = v;
      dim.kind = ValueKind::Number;
      dim.text = part.str();
      dim.items.clear();
      v.items.push_back(dim);
    }
  } else if (auto *list = dynamic_cast<ModelParser::ListValueContext *>(ctx)) {
    v.kind = ValueKind::List;
    for (ModelParser::ValueContext *item : list->value())
      v.items.push_back(toValue(item));
  } else if (auto *name = dynamic_cast<ModelParser::NameValueContext *>(ctx)) {
    v.kind = name->value() ? ValueKind::Call : ValueKind::Name;
    v.text = name->IDENT()->getText();
    if (name->value())
      v.items.push_back(toValue(name->value()));
  }
  return v;
}

Arg ASTBuilder::toArg(ModelParser::OptionContext *ctx) {
  antlr4::Token *key = ctx->key->getStart();
  return {key->getText(), locOf(key),
          static_cast<unsigned>(key->getText().size()), toValue(ctx->value())};
}

Arg ASTBuilder::toArg(ModelParser::ArgContext *ctx) {
  if (ctx->option())
    return toArg(ctx->option());
  return {"", {}, 1, toValue(ctx->value())};
}

std::string ASTBuilder::resolvePath(const std::string &relative) const {
  if (llvm::sys::path::is_absolute(relative))
    return relative;
  llvm::SmallString<256> full(llvm::sys::path::parent_path(path));
  llvm::sys::path::append(full, relative);
  llvm::sys::path::remove_dots(full, /*remove_dot_dot=*/true);
  return std::string(full);
}
