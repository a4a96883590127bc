// Diagnostics.h - user-facing error messages with source line and caret.
// SPDX-License-Identifier: MIT
//
// Every user error of the front end goes through one DiagnosticEngine:
// `file:line:col: error: message`, then the source line and a caret (with
// tildes under the rest of the token). Errors are counted, never thrown, so
// that independent errors in one file are all reported.

#ifndef GRADC_FRONTEND_DIAGNOSTICS_H
#define GRADC_FRONTEND_DIAGNOSTICS_H

#include "frontend/AST.h"

#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace gradc::frontend {

class DiagnosticEngine {
public:
  /// `text` is the whole file; it is kept to print source lines.
  DiagnosticEngine(std::string file, const std::string &text,
                   llvm::raw_ostream &out);

  /// Reports an error at `loc`, underlining `length` characters.
  void error(const ast::SourceLoc &loc, const std::string &message,
             unsigned length = 1);
  /// Adds a note (e.g. "first defined here") to the previous error.
  void note(const ast::SourceLoc &loc, const std::string &message,
            unsigned length = 1);
  /// Reports an error that belongs to no position of the file (-D).
  void commandLineError(const std::string &message);

  unsigned errorCount() const { return errors; }
  const std::string &fileName() const { return file; }

private:
  void report(const ast::SourceLoc &loc, const char *severity,
              const std::string &message, unsigned length);
  void printSourceLine(const ast::SourceLoc &loc, unsigned length);

  std::string file;
  std::vector<std::string> lines;
  llvm::raw_ostream &out;
  unsigned errors = 0;
};

/// " did you mean 'x'?" when a candidate is close to `word`, else "".
std::string didYouMean(const std::string &word,
                       const std::vector<std::string> &candidates);

} // namespace gradc::frontend

#endif // GRADC_FRONTEND_DIAGNOSTICS_H
