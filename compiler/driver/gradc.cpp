// gradc.cpp - the gcc-style compiler driver for .model files.
// SPDX-License-Identifier: MIT
//
// gradc reads one .model file, checks it, and performs one action chosen by
// its flags. Each action is one entry of the dispatch table in main: a
// new output kind (IR, object, executable) adds an enumerator, an
// llvm::cl value and a table entry, and nothing else changes.

#include "driver/DriverEmit.h"
#include "driver/DriverFrontend.h"
#include "driver/DriverMain.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <map>
#include <optional>

using namespace gradc;
using namespace gradc::driver;
namespace cl = llvm::cl;

namespace {
/// What gradc produces after the front end.
enum class ActionKind {
  SyntaxOnly,  ///< -fsyntax-only: check and stop
  EmitAST,     ///< --emit=ast
  EmitIR,      ///< --emit=ir: forward graph after lowering
  EmitGradIR,  ///< --emit=grad-ir: after autodiff
  EmitOptIR,   ///< --emit=opt-ir: the whole optimized step
  EmitLLVM,    ///< -emit-llvm, --emit=llvm
  EmitAsm,     ///< -S, --emit=asm
  EmitObject,  ///< -c
  EmitHeader,  ///< -emit-header
  Executable,  ///< default: a linked program that trains the model
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

static cl::opt<ActionKind> emit(
    "emit", cl::desc("Print one stage instead of compiling"),
    cl::init(ActionKind::Executable),
    cl::values(
        clEnumValN(ActionKind::EmitAST, "ast",
                   "the checked AST with shapes and params"),
        clEnumValN(ActionKind::EmitIR, "ir", "graph IR after lowering"),
        clEnumValN(ActionKind::EmitGradIR, "grad-ir",
                   "graph IR after autodiff"),
        clEnumValN(ActionKind::EmitOptIR, "opt-ir",
                   "graph IR of the whole optimized step"),
        clEnumValN(ActionKind::EmitLLVM, "llvm", "LLVM IR"),
        clEnumValN(ActionKind::EmitAsm, "asm", "assembly")),
    cl::cat(gradcCategory));

static cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                       cl::value_desc("file"),
                                       cl::cat(gradcCategory));
static cl::opt<bool> objectOnly("c", cl::desc("Write an object file"),
                                cl::cat(gradcCategory));
static cl::opt<bool> assemblyOnly("S", cl::desc("Write assembly"),
                                  cl::cat(gradcCategory));
static cl::opt<bool> emitLLVM("emit-llvm", cl::desc("Write LLVM IR"),
                              cl::cat(gradcCategory));
static cl::opt<bool> emitHeader("emit-header",
                                cl::desc("Write a C header for the ABI"),
                                cl::cat(gradcCategory));
static cl::opt<std::string> optLevel("O", cl::Prefix, cl::init("2"),
                                     cl::desc("Optimization level 0-3"),
                                     cl::value_desc("n"),
                                     cl::cat(gradcCategory));
static cl::opt<std::string> cpuName("mcpu", cl::init("native"),
                                    cl::desc("Target CPU (default: host)"),
                                    cl::cat(gradcCategory));
static cl::alias marchAlias("march", cl::aliasopt(cpuName),
                            cl::desc("Alias for -mcpu"));
static cl::opt<std::string>
    trainModel("train", cl::value_desc("model"),
               cl::desc("The model whose train block is compiled (needed "
                        "when the file has several)"),
               cl::cat(gradcCategory));
static cl::opt<bool> timeCompile("time-compile",
                                 cl::desc("Print the time of each stage"),
                                 cl::cat(gradcCategory));

static ActionKind chosenAction() {
  if (syntaxOnly)
    return ActionKind::SyntaxOnly;
  if (emit != ActionKind::Executable)
    return emit;
  if (emitHeader)
    return ActionKind::EmitHeader;
  if (emitLLVM)
    return ActionKind::EmitLLVM;
  if (assemblyOnly)
    return ActionKind::EmitAsm;
  if (objectOnly)
    return ActionKind::EmitObject;
  return ActionKind::Executable;
}

/// The artifact kind written by `action`; none for the actions that only
/// check or print to stdout unless -o names a file.
static std::optional<OutputKind> artifactKind(ActionKind action) {
  switch (action) {
  case ActionKind::EmitLLVM:
    return OutputKind::LLVMIR;
  case ActionKind::EmitAsm:
    return OutputKind::Assembly;
  case ActionKind::EmitObject:
    return OutputKind::Object;
  case ActionKind::EmitHeader:
    return OutputKind::Header;
  case ActionKind::Executable:
    return OutputKind::Executable;
  default:
    return std::nullopt;
  }
}

/// The file `action` writes, or "" when it writes only to stdout.
static std::string outputPathFor(ActionKind action) {
  if (!outputFile.empty())
    return outputFile == "-" ? "" : std::string(outputFile);
  if (auto kind = artifactKind(action))
    return defaultOutputPath(inputFile, *kind);
  return "";
}

/// The action that writes the artifact of `kind` with the codegen flags.
static std::function<int(const ast::Program &)>
compileTo(OutputKind kind, const CodegenOptions &options) {
  return [kind, options](const ast::Program &program) {
    std::string path = outputFile.empty()
                           ? defaultOutputPath(inputFile, kind)
                           : std::string(outputFile);
    return emitCompiled(program, options, kind, path, trainModel);
  };
}

static std::function<int(const ast::Program &)>
printStage(PipelineStageKind stage) {
  return [stage](const ast::Program &program) {
    return emitGraphs(program, stage, outputFile, trainModel);
  };
}

/// Everything gradc does after parsing its command line.
static int compile() {
  CodegenOptions options;
  options.cpu = cpuName;
  options.timeCompile = timeCompile;
  if (!parseOptLevel(optLevel, options.optLevel)) {
    llvm::errs() << "gradc: error: -O" << optLevel
                 << ": expected an optimization level 0, 1, 2 or 3\n";
    return ExitUserError;
  }

  ActionKind action = chosenAction();
  std::string output = outputPathFor(action);
  if (!output.empty() && isSameFile(inputFile, output)) {
    llvm::errs() << "gradc: error: output file '" << output
                 << "' is the same file as the input '" << inputFile
                 << "'\n";
    return ExitUserError;
  }

  llvm::Expected<ast::Program> program =
      loadModelFile(inputFile, defines, llvm::errs());
  if (!program) {
    llvm::consumeError(program.takeError());
    return ExitUserError;
  }

  bool usesTrainBlock =
      action != ActionKind::SyntaxOnly && action != ActionKind::EmitAST;
  if (usesTrainBlock) {
    if (llvm::Error err =
            checkTrainChoice(*program, trainModel, llvm::errs())) {
      llvm::consumeError(std::move(err));
      return ExitUserError;
    }
  }

  using Action = std::function<int(const ast::Program &)>;
  const std::map<ActionKind, Action> actions = {
      {ActionKind::SyntaxOnly, [](const ast::Program &) { return 0; }},
      {ActionKind::EmitAST,
       [](const ast::Program &p) { return emitAST(p, llvm::outs()); }},
      {ActionKind::EmitIR, printStage(PipelineStageKind::Forward)},
      {ActionKind::EmitGradIR, printStage(PipelineStageKind::Gradients)},
      {ActionKind::EmitOptIR, printStage(PipelineStageKind::Optimized)},
      {ActionKind::EmitLLVM, compileTo(OutputKind::LLVMIR, options)},
      {ActionKind::EmitAsm, compileTo(OutputKind::Assembly, options)},
      {ActionKind::EmitObject, compileTo(OutputKind::Object, options)},
      {ActionKind::EmitHeader, compileTo(OutputKind::Header, options)},
      {ActionKind::Executable, compileTo(OutputKind::Executable, options)},
  };
  return actions.at(action)(*program);
}

/// Reports `-D=value`, which has no name. The command-line library reads
/// it as the value "value" of -D, so it is caught before parsing to echo
/// what was typed.
static bool checkUnnamedDefines(int argc, char **argv) {
  for (int i = 1; i < argc; ++i) {
    if (llvm::StringRef(argv[i]).starts_with("-D=")) {
      llvm::errs() << "<command line>: error: " << argv[i]
                   << " needs the form -Dname=value\n";
      return false;
    }
  }
  return true;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  if (!checkUnnamedDefines(argc, argv))
    return ExitUserError;
  cl::HideUnrelatedOptions(gradcCategory);
  // The command-line library suggests every option not "really hidden" for
  // a misspelled one; the hidden ones (--print-options, --help-hidden) are
  // not gradc's to offer.
  for (auto &[name, option] : cl::getRegisteredOptions())
    if (option->getOptionHiddenFlag() == cl::Hidden)
      option->setHiddenFlag(cl::ReallyHidden);
  cl::SetVersionPrinter(
      [](llvm::raw_ostream &os) { printVersion("gradc", os); });
  cl::ParseCommandLineOptions(argc, argv, "gradc - .model compiler\n");
  return runToolMain("gradc", compile);
}
