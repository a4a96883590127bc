// Lexer.h - tokens of the .gir text syntax.
// SPDX-License-Identifier: MIT
//
// The lexer splits .gir text into tokens with their line and column, skipping
// whitespace and `//` or `#` comments to the end of the line. Used only by
// the parser.

#ifndef GRADC_IR_LEXER_H
#define GRADC_IR_LEXER_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace gradc::ir {

enum class TokenKind {
  Eof,
  Error,     ///< text holds the message
  Ident,     ///< graph, output, input, f32, B, inf, nan, attribute keys
  ValueName, ///< %name, text without the %
  GraphName, ///< @name, text without the @
  Integer,   ///< -12
  Real,      ///< 0.5, 1e-07, -2.0
  String,    ///< "text", unescaped, without quotes
  Punct,     ///< one of { } [ ] , : =
};

struct Token {
  TokenKind kind = TokenKind::Eof;
  std::string text;
  unsigned line = 1, col = 1;

  bool is(TokenKind k, llvm::StringRef t) const {
    return kind == k && text == t;
  }
  bool isPunct(char c) const {
    return kind == TokenKind::Punct && text[0] == c;
  }
};

class Lexer {
public:
  explicit Lexer(llvm::StringRef text) : text_(text) {}
  Token next();

private:
  void skipSpaceAndComments();
  char peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  void advance();
  Token make(TokenKind kind, std::string text, unsigned line, unsigned col);
  Token lexName(TokenKind kind, unsigned line, unsigned col);
  Token lexNumber(unsigned line, unsigned col);
  Token lexString(unsigned line, unsigned col);

  llvm::StringRef text_;
  size_t pos_ = 0;
  unsigned line_ = 1, col_ = 1;
};

} // namespace gradc::ir

#endif // GRADC_IR_LEXER_H
