// Parser.cpp - recursive-descent parser of the .gir text syntax.
// SPDX-License-Identifier: MIT
//
// Parsing runs in two steps: every node line is read into a pending record
// that keeps operand names with their positions, then the names are resolved
// to nodes. Resolving after reading lets a graph mention a value before its
// definition; the verifier, not the parser, rejects that order.
//
//   graph   := 'graph' @name '{' (node | output)* '}'
//   node    := %name '=' opname (%name (',' %name)*)? attrs? ':' type
//   attrs   := '{' (key '=' value (',' key '=' value)*)? '}'
//   output  := 'output' "name" '=' %name
//   type    := ('f32' | 'f64') '[' (dim (',' dim)*)? ']'    dim := 'B' | int

#include "ir/Parser.h"
#include "ir/Lexer.h"

#include <cmath>
#include <cstdlib>
#include <set>

namespace gradc::ir {

namespace {
struct PendingNode {
  Node *node;
  std::vector<Token> operands;
};

class Parser {
public:
  Parser(llvm::StringRef text, llvm::StringRef fileName)
      : lexer_(text), fileName_(fileName.str()) {
    tok_ = lexer_.next();
  }

  llvm::Expected<std::unique_ptr<Graph>> parse();

private:
  llvm::Error error(const Token &at, const llvm::Twine &message) const {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   fileName_ + ":" + std::to_string(at.line) +
                                       ":" + std::to_string(at.col) +
                                       ": error: " + message);
  }
  llvm::Error expected(const llvm::Twine &what) const {
    if (tok_.kind == TokenKind::Error)
      return error(tok_, tok_.text);
    return error(tok_, "expected " + what);
  }
  Token take() {
    Token current = tok_;
    tok_ = lexer_.next();
    return current;
  }
  llvm::Error expectPunct(char c);

  llvm::Error parseBody();
  llvm::Error parseNode();
  llvm::Error parseOutput();
  llvm::Error parseAttrs(AttrMap &attrs, std::string &layer);
  llvm::Expected<Attr> parseAttrValue();
  llvm::Expected<std::vector<int64_t>> parseIntList();
  llvm::Expected<int64_t> parseInt();
  llvm::Expected<Type> parseType();
  llvm::Error resolve();

  Lexer lexer_;
  std::string fileName_;
  Token tok_;
  std::unique_ptr<Graph> graph_;
  std::vector<PendingNode> pending_;
  std::vector<std::pair<Token, std::string>> outputs_;
};

llvm::Error Parser::expectPunct(char c) {
  if (!tok_.isPunct(c))
    return expected(llvm::Twine("'") + llvm::Twine(c) + "'");
  take();
  return llvm::Error::success();
}

llvm::Expected<std::unique_ptr<Graph>> Parser::parse() {
  if (!tok_.is(TokenKind::Ident, "graph"))
    return expected("'graph'");
  take();
  if (tok_.kind != TokenKind::GraphName)
    return expected("a graph name like @model");
  graph_ = std::make_unique<Graph>(take().text);
  if (auto err = expectPunct('{'))
    return std::move(err);
  if (auto err = parseBody())
    return std::move(err);
  if (tok_.kind != TokenKind::Eof)
    return expected("the end of the file after the graph");
  if (auto err = resolve())
    return std::move(err);
  return std::move(graph_);
}

llvm::Error Parser::parseBody() {
  while (!tok_.isPunct('}')) {
    llvm::Error err = tok_.is(TokenKind::Ident, "output") ? parseOutput()
                      : tok_.kind == TokenKind::ValueName
                          ? parseNode()
                          : expected("a node, an output or '}'");
    if (err)
      return err;
  }
  take();
  return llvm::Error::success();
}

llvm::Error Parser::parseNode() {
  Token nameTok = take();
  if (graph_->find(nameTok.text))
    return error(nameTok, "redefinition of %" + nameTok.text);
  if (auto err = expectPunct('='))
    return err;
  OpKind kind;
  if (tok_.kind != TokenKind::Ident)
    return expected("an op name");
  if (!opKindFromName(tok_.text, kind))
    return error(tok_, "unknown op '" + tok_.text + "'");
  take();

  PendingNode pending{nullptr, {}};
  while (tok_.kind == TokenKind::ValueName) {
    pending.operands.push_back(take());
    if (!tok_.isPunct(','))
      break;
    take();
  }
  AttrMap attrs;
  std::string layer;
  if (tok_.isPunct('{'))
    if (auto err = parseAttrs(attrs, layer))
      return err;
  if (auto err = expectPunct(':'))
    return err;
  auto type = parseType();
  if (!type)
    return type.takeError();
  pending.node = graph_->create(kind, {}, *type, std::move(attrs), nameTok.text,
                                std::move(layer));
  pending_.push_back(std::move(pending));
  return llvm::Error::success();
}

llvm::Error Parser::parseOutput() {
  take();
  if (tok_.kind != TokenKind::String)
    return expected("an output name in quotes");
  std::string name = take().text;
  if (auto err = expectPunct('='))
    return err;
  if (tok_.kind != TokenKind::ValueName)
    return expected("a value like %loss");
  outputs_.emplace_back(take(), name);
  return llvm::Error::success();
}

llvm::Error Parser::parseAttrs(AttrMap &attrs, std::string &layer) {
  take();
  while (!tok_.isPunct('}')) {
    if (!attrs.empty() || !layer.empty())
      if (auto err = expectPunct(','))
        return err;
    if (tok_.kind != TokenKind::Ident)
      return expected("an attribute name");
    Token key = take();
    if (auto err = expectPunct('='))
      return err;
    Token valueTok = tok_;
    auto value = parseAttrValue();
    if (!value)
      return value.takeError();
    bool duplicate =
        attrs.count(key.text) || (key.text == "layer" && !layer.empty());
    if (duplicate)
      return error(key, "attribute '" + key.text + "' is given twice");
    if (key.text != "layer") {
      attrs[key.text] = std::move(*value);
      continue;
    }
    auto *text = std::get_if<std::string>(&*value);
    if (!text || text->empty())
      return error(valueTok, "attribute 'layer' must be a non-empty string");
    layer = *text;
  }
  take();
  return llvm::Error::success();
}

llvm::Expected<Attr> Parser::parseAttrValue() {
  if (tok_.kind == TokenKind::String)
    return Attr(take().text);
  if (tok_.isPunct('[')) {
    auto list = parseIntList();
    if (!list)
      return list.takeError();
    return Attr(std::move(*list));
  }
  if (tok_.kind == TokenKind::Integer) {
    auto value = parseInt();
    if (!value)
      return value.takeError();
    return Attr(*value);
  }
  static const std::set<std::string> specials = {"inf", "-inf", "nan"};
  bool special = tok_.kind == TokenKind::Ident && specials.count(tok_.text);
  if (tok_.kind != TokenKind::Real && !special)
    return expected("an attribute value");
  Token number = take();
  if (number.text == "nan")
    return Attr(std::nan(""));
  char *end = nullptr;
  double value = std::strtod(number.text.c_str(), &end);
  if (*end != '\0')
    return error(number, "malformed number '" + number.text + "'");
  return Attr(value);
}

llvm::Expected<std::vector<int64_t>> Parser::parseIntList() {
  take();
  std::vector<int64_t> values;
  while (!tok_.isPunct(']')) {
    if (!values.empty())
      if (auto err = expectPunct(','))
        return std::move(err);
    auto value = parseInt();
    if (!value)
      return value.takeError();
    values.push_back(*value);
  }
  take();
  return values;
}

llvm::Expected<int64_t> Parser::parseInt() {
  if (tok_.kind != TokenKind::Integer)
    return expected("an integer");
  Token number = take();
  errno = 0;
  char *end = nullptr;
  long long value = std::strtoll(number.text.c_str(), &end, 10);
  if (*end != '\0' || errno == ERANGE)
    return error(number, "malformed integer '" + number.text + "'");
  return static_cast<int64_t>(value);
}

llvm::Expected<Type> Parser::parseType() {
  Type type;
  if (!tok_.is(TokenKind::Ident, "f32") && !tok_.is(TokenKind::Ident, "f64"))
    return expected("a type like f32[B,20]");
  type.elem = take().text == "f32" ? ElemKind::F32 : ElemKind::F64;
  if (auto err = expectPunct('['))
    return std::move(err);
  while (!tok_.isPunct(']')) {
    if (!type.dims.empty())
      if (auto err = expectPunct(','))
        return std::move(err);
    if (tok_.is(TokenKind::Ident, "B") && type.dims.empty()) {
      take();
      type.dims.push_back(kBatchDim);
      continue;
    }
    Token at = tok_;
    auto dim = parseInt();
    if (!dim)
      return dim.takeError();
    if (*dim <= 0)
      return error(at, "dimension must be positive, got " + at.text);
    type.dims.push_back(*dim);
  }
  take();
  return type;
}

llvm::Error Parser::resolve() {
  auto lookup = [&](const Token &use) -> llvm::Expected<Node *> {
    if (Node *node = graph_->find(use.text))
      return node;
    return error(use, "use of undefined value %" + use.text);
  };
  for (PendingNode &pending : pending_) {
    for (const Token &use : pending.operands) {
      auto node = lookup(use);
      if (!node)
        return node.takeError();
      pending.node->operands.push_back(*node);
    }
  }
  for (auto &[use, name] : outputs_) {
    auto node = lookup(use);
    if (!node)
      return node.takeError();
    if (graph_->output(name))
      return error(use, "output \"" + name + "\" is given twice");
    graph_->setOutput(name, *node);
  }
  return llvm::Error::success();
}
} // namespace

llvm::Expected<std::unique_ptr<Graph>> parseGraph(llvm::StringRef text,
                                                  llvm::StringRef fileName) {
  return Parser(text, fileName).parse();
}

} // namespace gradc::ir
