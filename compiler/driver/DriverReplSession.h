// DriverReplSession.h - one gradi REPL session: lines in, actions out.
// SPDX-License-Identifier: MIT
//
// Each input line is a part of a block (a `model` or `train` block stays
// open until its closing brace), a `param` line, a one-line edit
// (DriverReplEdits.h), a `:command`, or blank. A change is applied to a copy
// of the program text, which the front end checks as a whole; only a
// program that checks (and whose pass pipeline builds) replaces the
// session's, so an error leaves the session as it was. The session does not
// read input itself: gradi feeds it from a terminal or from stdin.

#ifndef GRADC_DRIVER_DRIVERREPLSESSION_H
#define GRADC_DRIVER_DRIVERREPLSESSION_H

#include "driver/DriverReplEngine.h"
#include "driver/DriverReplSource.h"
#include "frontend/Frontend.h"

#include <csignal>
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace gradc::driver {

struct ReplOptions {
  frontend::ParamOverrides overrides; ///< -D name=value
  CodegenOptions codegen;
  /// Set (by a SIGINT handler) to stop :train after the current step.
  volatile sig_atomic_t *stop = nullptr;
};

class ReplSession {
public:
  ReplSession(ReplOptions options, llvm::raw_ostream &out,
              llvm::raw_ostream &err);

  /// Handles one input line; false when the session ends (:quit).
  bool handleLine(const std::string &line);
  /// True inside an unfinished block.
  bool inBlock() const { return !pending.empty(); }
  /// Drops an unfinished block.
  void cancelBlock();
  /// True once a line failed: the exit status of a script.
  bool hadError() const { return errors > 0; }
  /// Words for tab completion: keywords, layer kinds, activations,
  /// commands and the layer names of the current program.
  std::vector<std::string> completionWords() const;

private:
  void addToBlock(const SourceLine &line);
  void handleStatement(const SourceLine &line);
  bool commit(ReplSource next);
  void reportError(const std::string &message);
  void reportError(llvm::Error error);
  void reportErrorIf(llvm::Error error);

  // Commands, in DriverReplCommands.cpp.
  bool runCommand(const std::string &line);
  void commandLoad(const std::string &path);
  void commandShow();
  void commandIR(const std::string &stage);
  void commandTrain(const std::string &epochs);
  void commandHelp();
  void commandText();
  void commandCompile();
  void commandFile(const std::string &name, const std::string &path);
  /// Runs `action` on the runtime session; counts a non-zero status.
  template <typename Action> void withSession(Action action);

  ReplOptions options;
  llvm::raw_ostream &out;
  llvm::raw_ostream &err;
  ReplSource source;
  std::optional<ast::Program> program; ///< the checked source text
  ReplEngine engine;
  std::vector<SourceLine> pending;
  int depth = 0;
  unsigned lineNumber = 0;
  unsigned errors = 0;
};

} // namespace gradc::driver

#endif // GRADC_DRIVER_DRIVERREPLSESSION_H
