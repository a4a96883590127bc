// gradc.cpp - the gcc-style compiler driver for .model files.
// SPDX-License-Identifier: MIT
//
// gradc reads one .model file, checks it, and performs one action chosen by
// its flags. Each action is one entry of the dispatch table in main: a
// new output kind (IR, object, executable) adds an enumerator, an
// llvm::cl value and a table entry, and nothing else changes.

#include "driver/DriverFrontend.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <map>

using namespace gradc;
using namespace gradc::driver;
namespace cl = llvm::cl;

namespace {
/// What gradc produces after the front end.
enum class ActionKind {
  SyntaxOnly, ///< -fsyntax-only: check and stop
  EmitAST,    ///< --emit=ast
  Compile,    ///< default: code generation
};
} // namespace

static cl::OptionCategory gradcCategory("gradc options");

static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<input .model>"),
                                      cl::cat(gradcCategory));

static cl::opt<bool> syntaxOnly("fsyntax-only",
                                cl::desc("Check the file and stop"),
                                cl::cat(gradcCategory));

static cl::list<std::string>
    defines("D", cl::Prefix, cl::value_desc("name=value"),
            cl::desc("Override a param declared in the file"),
            cl::cat(gradcCategory));

static cl::opt<ActionKind>
    emit("emit", cl::desc("Print one stage instead of compiling"),
         cl::init(ActionKind::Compile),
         cl::values(clEnumValN(ActionKind::EmitAST, "ast",
                               "the checked AST with shapes and params")),
         cl::cat(gradcCategory));

static ActionKind chosenAction() {
  if (syntaxOnly)
    return ActionKind::SyntaxOnly;
  return emit;
}

static int compileProgram(const ast::Program &) {
  llvm::errs() << "gradc: error: code generation is not available in this "
                  "build; use -fsyntax-only or --emit=ast\n";
  return ExitUserError;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(gradcCategory);
  cl::ParseCommandLineOptions(argc, argv, "gradc - .model compiler\n");

  llvm::Expected<ast::Program> program =
      loadModelFile(inputFile, defines, llvm::errs());
  if (!program) {
    llvm::consumeError(program.takeError());
    return ExitUserError;
  }

  using Action = std::function<int(const ast::Program &)>;
  const std::map<ActionKind, Action> actions = {
      {ActionKind::SyntaxOnly, [](const ast::Program &) { return 0; }},
      {ActionKind::EmitAST,
       [](const ast::Program &p) { return emitAST(p, llvm::outs()); }},
      {ActionKind::Compile, compileProgram},
  };
  return actions.at(chosenAction())(*program);
}
