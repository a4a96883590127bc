// DriverReplInput.cpp - libedit line editing and plain stdin for gradi.
// SPDX-License-Identifier: MIT
//
// libedit's readline interface is used without its own signal handling:
// our SIGINT handler only sets a flag, and since it is installed without
// SA_RESTART a Ctrl-C at the prompt makes readline return, which tells it
// apart from Ctrl-D by the flag.

#include "driver/DriverReplInput.h"
#include "driver/DriverFrontend.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <editline/readline.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace gradc::driver {

volatile sig_atomic_t replInterrupted = 0;

namespace {

void onInterrupt(int) { replInterrupted = 1; }

ReplSession *completing = nullptr;

char *nextCompletion(const char *text, int state) {
  static std::vector<std::string> matches;
  static size_t next = 0;
  if (state == 0) {
    matches.clear();
    next = 0;
    for (const std::string &word : completing->completionWords())
      if (llvm::StringRef(word).starts_with(text))
        matches.push_back(word);
  }
  return next < matches.size() ? strdup(matches[next++].c_str()) : nullptr;
}

char **completeWord(const char *text, int, int) {
  rl_attempted_completion_over = 1;
  return rl_completion_matches(text, nextCompletion);
}

std::string historyPath() {
  const char *home = std::getenv("HOME");
  return std::string(home ? home : ".") + "/.gradi_history";
}

void rememberLine(const std::string &line, const std::string &path) {
  if (llvm::StringRef(line).trim().empty())
    return;
  add_history(line.c_str());
  write_history(path.c_str());
}

} // namespace

void installInterruptHandler() {
  struct sigaction action = {};
  action.sa_handler = onInterrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  sigaction(SIGINT, &action, nullptr);
}

int runInteractive(ReplSession &session) {
  completing = &session;
  rl_catch_signals = 0;
  rl_attempted_completion_function = completeWord;
  std::string history = historyPath();
  using_history();
  stifle_history(1000);
  read_history(history.c_str());
  llvm::outs() << "gradi: type :help for commands, Ctrl-D to quit\n";
  for (;;) {
    llvm::outs().flush();
    replInterrupted = 0;
    char *raw = readline(session.inBlock() ? "...> " : "gradi> ");
    if (!raw && replInterrupted) {
      session.cancelBlock();
      llvm::outs() << "\n";
      continue;
    }
    if (!raw)
      break;
    std::string line(raw);
    std::free(raw);
    rememberLine(line, history);
    if (!session.handleLine(line))
      break;
  }
  llvm::outs() << "\n";
  return ExitSuccess;
}

int runScript(ReplSession &session, std::istream &in) {
  std::string line;
  while (std::getline(in, line))
    if (!session.handleLine(line))
      break;
  llvm::outs().flush();
  if (session.inBlock()) {
    llvm::errs() << "<stdin>: error: input ended inside a block\n";
    return ExitUserError;
  }
  return session.hadError() ? ExitUserError : ExitSuccess;
}

} // namespace gradc::driver
