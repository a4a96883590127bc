// SyntaxErrors.h - ANTLR syntax errors turned into user diagnostics.
// SPDX-License-Identifier: MIT
//
// ANTLR's own console messages ("mismatched input ... expecting ...") never
// reach the user. This listener replaces them with messages that say what
// was expected and what was found, in the front end's one format.

#ifndef GRADC_FRONTEND_SYNTAXERRORS_H
#define GRADC_FRONTEND_SYNTAXERRORS_H

#include "frontend/Diagnostics.h"

#include "BaseErrorListener.h"

namespace gradc::frontend {

class SyntaxErrorListener : public antlr4::BaseErrorListener {
public:
  explicit SyntaxErrorListener(DiagnosticEngine &diags) : diags(diags) {}

  void syntaxError(antlr4::Recognizer *recognizer, antlr4::Token *offending,
                   size_t line, size_t charPositionInLine,
                   const std::string &msg, std::exception_ptr e) override;

private:
  DiagnosticEngine &diags;
  size_t lastErrorLine = 0;
};

} // namespace gradc::frontend

#endif // GRADC_FRONTEND_SYNTAXERRORS_H
