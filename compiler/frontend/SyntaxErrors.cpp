// SyntaxErrors.cpp - wording of syntax errors: what was expected, what found.
// SPDX-License-Identifier: MIT
//
// The parser's expected-token set is turned into words ("a value", "end of
// line", "'}'"). A missing '}' at the end of the file is reported at the
// block it leaves open. Only the first error of a line is shown: the ones
// after it are usually the parser recovering from the first.

#include "frontend/SyntaxErrors.h"

#include "ModelParser.h"

#include "llvm/ADT/STLExtras.h"

using namespace gradc;
using namespace gradc::frontend;
using grammar::ModelParser;

/// The offending token in words: "end of line", "name 'x'", "'='".
static std::string describeToken(antlr4::Token *token) {
  switch (token->getType()) {
  case antlr4::Token::EOF:
    return "end of file";
  case ModelParser::NL:
    return "end of line";
  case ModelParser::IDENT:
    return "name '" + token->getText() + "'";
  case ModelParser::NUMBER:
  case ModelParser::DIMS:
    return "number " + token->getText();
  case ModelParser::STRING:
    return "string " + token->getText();
  case ModelParser::PARAM_REF:
    return "param reference " + token->getText();
  default:
    return "'" + token->getText() + "'";
  }
}

/// Is `type` a token that can start a value?
static bool startsValue(size_t type) {
  return type == ModelParser::NUMBER || type == ModelParser::STRING ||
         type == ModelParser::DIMS || type == ModelParser::PARAM_REF ||
         type == ModelParser::LBRACKET;
}

/// The expected tokens in words, values folded into "a value".
/// At the start of a line, "end of line" is no useful expectation.
static std::string describeExpected(antlr4::Parser *parser, bool lineStart) {
  std::vector<std::string> words;
  bool value = false;
  for (size_t type : parser->getExpectedTokens().toList()) {
    if (startsValue(type)) {
      value = true;
      continue;
    }
    bool endOfLine = type == ModelParser::NL || type == antlr4::Token::EOF;
    if (endOfLine && lineStart)
      continue;
    if (endOfLine)
      words.push_back("end of line");
    else if (type == ModelParser::IDENT)
      words.push_back("a name");
    else
      words.push_back(parser->getVocabulary().getDisplayName(type));
  }
  if (value) {
    llvm::erase(words, "a name");
    words.insert(words.begin(), "a value");
  }
  // Keep the first of repeated words ("end of line" for newline and EOF).
  std::vector<std::string> unique;
  for (const std::string &word : words)
    if (!llvm::is_contained(unique, word))
      unique.push_back(word);
  words = unique;
  std::string text;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0)
      text += i + 1 == words.size() ? " or " : ", ";
    text += words[i];
  }
  return text;
}

/// The innermost model or train block the parser is in, or null.
static antlr4::ParserRuleContext *openBlock(antlr4::Parser *parser) {
  for (antlr4::tree::ParseTree *ctx = parser->getContext(); ctx;
       ctx = ctx->parent) {
    if (dynamic_cast<ModelParser::ModelDeclContext *>(ctx) ||
        dynamic_cast<ModelParser::TrainDeclContext *>(ctx))
      return static_cast<antlr4::ParserRuleContext *>(ctx);
  }
  return nullptr;
}

static ast::SourceLoc locOf(const DiagnosticEngine &diags,
                            antlr4::Token *token) {
  return {diags.fileName(), static_cast<unsigned>(token->getLine()),
          static_cast<unsigned>(token->getCharPositionInLine() + 1)};
}

/// Characters to underline for a token.
static unsigned widthOf(antlr4::Token *token) {
  if (token->getType() == antlr4::Token::EOF ||
      token->getType() == ModelParser::NL)
    return 1;
  return std::max<size_t>(1,
                          token->getStopIndex() - token->getStartIndex() + 1);
}

void SyntaxErrorListener::syntaxError(antlr4::Recognizer *recognizer,
                                      antlr4::Token *offending, size_t line,
                                      size_t, const std::string &,
                                      std::exception_ptr) {
  if (line == lastErrorLine)
    return;
  lastErrorLine = line;
  auto *parser = dynamic_cast<antlr4::Parser *>(recognizer);
  assert(parser && offending && "the lexer never fails: STRAY catches all");
  ast::SourceLoc loc = locOf(diags, offending);

  if (offending->getType() == ModelParser::STRAY) {
    diags.error(loc, "unexpected character '" + offending->getText() + "'");
    return;
  }
  if (offending->getType() == ModelParser::UNTERMINATED_STRING) {
    diags.error(loc, "unterminated string: expected '\"' before end of line",
                widthOf(offending));
    return;
  }

  // A block still open at the end of the file: point at the block.
  antlr4::ParserRuleContext *block = openBlock(parser);
  if (offending->getType() == antlr4::Token::EOF && block) {
    antlr4::Token *start = block->getStart();
    diags.error(locOf(diags, start),
                "unterminated " + start->getText() +
                    " block: expected '}' before end of file",
                widthOf(start));
    return;
  }

  size_t index = offending->getTokenIndex();
  antlr4::Token *previous =
      index > 0 ? parser->getTokenStream()->get(index - 1) : nullptr;
  bool lineStart = !previous || previous->getType() == ModelParser::NL;
  std::string expected = describeExpected(parser, lineStart);
  if (expected.empty()) {
    diags.error(loc, "unexpected " + describeToken(offending),
                widthOf(offending));
    return;
  }
  std::string message = "expected " + expected;
  if (!lineStart)
    message += " after " + describeToken(previous);
  diags.error(loc, message + ", found " + describeToken(offending),
              widthOf(offending));
}
