// Frontend.h - the one entry point from a .model file to a checked AST.
// SPDX-License-Identifier: MIT
//
// loadProgram reads, parses and checks a .model file. Every user error is
// printed as `file:line:col: error: message` with the source line and a
// caret; independent errors are all reported before it gives up. The
// returned Error only says that diagnostics were printed (or that the file
// could not be read), so callers just exit with status 1.

#ifndef GRADC_FRONTEND_FRONTEND_H
#define GRADC_FRONTEND_FRONTEND_H

#include "frontend/AST.h"

#include "llvm/Support/Error.h"

#include <string>
#include <utility>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace gradc::frontend {

/// `-D name=value` overrides, in command-line order.
using ParamOverrides = std::vector<std::pair<std::string, std::string>>;

/// Options of one front-end run.
struct FrontendOptions {
  ParamOverrides overrides;
  /// Stop before semantic analysis: no shapes, no params, no cross-checks.
  bool parseOnly = false;
};

/// Reads, parses and checks the .model file at `path`. Diagnostics go to
/// `diagOut`. Fails when any error was reported.
llvm::Expected<ast::Program> loadProgram(const std::string &path,
                                         const FrontendOptions &options,
                                         llvm::raw_ostream &diagOut);

/// The same from text already in memory; `path` names it in diagnostics
/// and anchors relative data paths.
llvm::Expected<ast::Program> loadProgramFromText(const std::string &path,
                                                 const std::string &text,
                                                 const FrontendOptions &options,
                                                 llvm::raw_ostream &diagOut);

} // namespace gradc::frontend

#endif // GRADC_FRONTEND_FRONTEND_H
