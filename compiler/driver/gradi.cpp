// gradi.cpp - JIT-compiles a .model file and trains it, or opens the REPL.
// SPDX-License-Identifier: MIT
//
// `gradi [compiler options] m.model [training options]`. Compiler options
// (-D name=value, -O0..-O3, -march=/-mcpu=, --time-compile, --interp,
// --train model) are taken wherever they appear; every other argument goes
// to the runtime's training loop (--epochs, --history, --save,
// --on-nonfinite, ...).
// `gradi [compiler options]` without a file is the interactive session of
// docs/gradi.md: on a terminal with line editing, else reading stdin.

#include "driver/DriverCodegen.h"
#include "driver/DriverFrontend.h"
#include "driver/DriverMain.h"
#include "driver/DriverReplInput.h"
#include "driver/DriverRun.h"

#include "Options.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <iostream>
#include <string>
#include <unistd.h>
#include <vector>

using namespace gradc::driver;

namespace {

struct GradiArgs {
  std::string modelFile;
  std::vector<std::string> defines;
  RunOptions run;
};

/// Takes one compiler option; false when `arg` is not one.
bool takeCompilerOption(llvm::StringRef arg, GradiArgs &out) {
  if (arg.consume_front("-D")) {
    out.defines.push_back(arg.str());
    return true;
  }
  if (arg.consume_front("-march=") || arg.consume_front("-mcpu=")) {
    out.run.codegen.cpu = arg.str();
    return true;
  }
  if (arg.consume_front("--train=")) {
    out.run.trainModel = arg.str();
    return true;
  }
  if (arg == "--time-compile") {
    out.run.codegen.timeCompile = true;
    return true;
  }
  if (arg == "--interp") {
    out.run.engine = EngineKind::Interpreter;
    return true;
  }
  unsigned level = 0;
  if (arg.consume_front("-O") && parseOptLevel(arg, level)) {
    out.run.codegen.optLevel = level;
    return true;
  }
  return false;
}

bool isModelFile(llvm::StringRef arg) {
  return !arg.starts_with("-") && arg.ends_with(".model");
}

GradiArgs splitArguments(int argc, char **argv) {
  GradiArgs args;
  args.run.runtimeArgs.push_back(argv[0]);
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg(argv[i]);
    if (arg == "-D" && i + 1 < argc) {
      args.defines.push_back(argv[++i]);
      continue;
    }
    if (arg == "--train" && i + 1 < argc) {
      args.run.trainModel = argv[++i];
      continue;
    }
    if (takeCompilerOption(arg, args))
      continue;
    if (args.modelFile.empty() && isModelFile(arg)) {
      args.modelFile = arg.str();
      continue;
    }
    args.run.runtimeArgs.push_back(arg.str());
  }
  return args;
}

constexpr const char *Usage =
    "usage: gradi [compiler options] m.model [training options]\n"
    "       gradi [compiler options]   (interactive session)\n";

/// `--help`: the usage, the compiler options gradi takes itself and the
/// training options it passes to the runtime, listed by the runtime.
void printHelp(llvm::raw_ostream &os) {
  std::string training = gradc::rt::optionsHelp("gradi");
  training.erase(0, training.find('\n') + 1);
  os << Usage
     << "compiler options (anywhere on the line):\n"
        "  -D name=value             override a param of the file "
        "(or -Dname=value)\n"
        "  -O0 .. -O3                optimization level (default -O2)\n"
        "  -march=cpu, -mcpu=cpu     target CPU (default: the host)\n"
        "  --time-compile            print the time of each compile stage\n"
        "  --interp                  run the step in the reference "
        "interpreter\n"
        "  --train model             the train block to run (when the file "
        "has several)\n"
        "  --help, -h                this text\n"
        "  --version                 gradc's and LLVM's versions\n"
        "training options:\n"
     << training;
}

int runRepl(const GradiArgs &args) {
  if (args.run.runtimeArgs.size() > 1 ||
      args.run.engine == EngineKind::Interpreter) {
    llvm::errs() << Usage << "see gradi --help\n";
    return ExitUserError;
  }
  auto overrides = parseDefines(args.defines, llvm::errs());
  if (!overrides) {
    llvm::consumeError(overrides.takeError());
    return ExitUserError;
  }
  ReplOptions options{std::move(*overrides), args.run.codegen,
                      &replInterrupted};
  ReplSession session(std::move(options), llvm::outs(), llvm::errs());
  installInterruptHandler();
  if (::isatty(STDIN_FILENO))
    return runInteractive(session);
  return runScript(session, std::cin);
}

} // namespace

int main(int argc, char **argv) {
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      printHelp(llvm::outs());
      return ExitSuccess;
    }
    if (arg == "--version") {
      printVersion("gradi", llvm::outs());
      return ExitSuccess;
    }
  }
  return runToolMain("gradi", [&] {
    GradiArgs args = splitArguments(argc, argv);
    if (args.modelFile.empty())
      return runRepl(args);
    auto program = loadModelFile(args.modelFile, args.defines, llvm::errs());
    if (!program) {
      llvm::consumeError(program.takeError());
      return int(ExitUserError);
    }
    if (auto err = checkTrainChoice(*program, args.run.trainModel,
                                    llvm::errs())) {
      llvm::consumeError(std::move(err));
      return int(ExitUserError);
    }
    return trainProgram(*program, args.run);
  });
}
