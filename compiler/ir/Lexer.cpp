// Lexer.cpp - splits .gir text into tokens.
// SPDX-License-Identifier: MIT
//
// Value and graph names may contain letters, digits, '_', '.' and '-', so
// "%dense_1.kernel" and "%grad.dense_1.kernel" are single tokens. A number
// is real when it has a '.' or an exponent; "-inf", "inf" and "nan" are
// identifiers the parser reads as reals.

#include "ir/Lexer.h"

#include <cctype>

namespace gradc::ir {

namespace {
bool isNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' ||
         c == '-';
}
} // namespace

void Lexer::advance() {
  if (peek() == '\n') {
    ++line_;
    col_ = 1;
  } else {
    ++col_;
  }
  ++pos_;
}

void Lexer::skipSpaceAndComments() {
  while (pos_ < text_.size()) {
    char c = peek();
    bool comment = c == '#' || (c == '/' && peek(1) == '/');
    if (comment) {
      while (pos_ < text_.size() && peek() != '\n')
        advance();
      continue;
    }
    if (!std::isspace(static_cast<unsigned char>(c)))
      return;
    advance();
  }
}

Token Lexer::make(TokenKind kind, std::string text, unsigned line,
                  unsigned col) {
  Token token;
  token.kind = kind;
  token.text = std::move(text);
  token.line = line;
  token.col = col;
  return token;
}

Token Lexer::lexName(TokenKind kind, unsigned line, unsigned col) {
  std::string name;
  while (isNameChar(peek())) {
    name += peek();
    advance();
  }
  if (name.empty())
    return make(TokenKind::Error, "expected a name", line, col);
  return make(kind, name, line, col);
}

Token Lexer::lexNumber(unsigned line, unsigned col) {
  std::string text;
  bool real = false;
  auto take = [&] {
    text += peek();
    advance();
  };
  if (peek() == '-')
    take();
  if (std::isalpha(static_cast<unsigned char>(peek()))) {
    Token word = lexName(TokenKind::Ident, line, col);
    word.text = text + word.text;
    return word;
  }
  while (std::isdigit(static_cast<unsigned char>(peek())) || peek() == '.' ||
         peek() == 'e' || peek() == 'E' ||
         ((peek() == '-' || peek() == '+') &&
          (text.back() == 'e' || text.back() == 'E'))) {
    real = real || !std::isdigit(static_cast<unsigned char>(peek()));
    take();
  }
  return make(real ? TokenKind::Real : TokenKind::Integer, text, line, col);
}

Token Lexer::lexString(unsigned line, unsigned col) {
  std::string text;
  advance();
  while (peek() != '"') {
    if (pos_ >= text_.size() || peek() == '\n')
      return make(TokenKind::Error, "unterminated string", line, col);
    if (peek() == '\\')
      advance();
    text += peek();
    advance();
  }
  advance();
  return make(TokenKind::String, text, line, col);
}

Token Lexer::next() {
  skipSpaceAndComments();
  unsigned line = line_, col = col_;
  char c = peek();
  if (pos_ >= text_.size())
    return make(TokenKind::Eof, "", line, col);
  if (c == '%' || c == '@') {
    advance();
    return lexName(c == '%' ? TokenKind::ValueName : TokenKind::GraphName, line,
                   col);
  }
  if (c == '"')
    return lexString(line, col);
  if (c == '-' || std::isdigit(static_cast<unsigned char>(c)))
    return lexNumber(line, col);
  if (std::isalpha(static_cast<unsigned char>(c)) || c == '_')
    return lexName(TokenKind::Ident, line, col);
  if (llvm::StringRef("{}[],:=").contains(c)) {
    advance();
    return make(TokenKind::Punct, std::string(1, c), line, col);
  }
  advance();
  return make(TokenKind::Error, std::string("unexpected character '") + c + "'",
              line, col);
}

} // namespace gradc::ir
