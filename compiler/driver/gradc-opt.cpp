// gradc-opt.cpp - runs IR passes on a .gir file and prints the result.
// SPDX-License-Identifier: MIT
//
// Like mlir-opt: read one graph, verify it, run the `--<pass>` flags in
// command-line order (verifying after each), then print the graph. With
// --interpret the graph is executed by the reference interpreter instead and
// each output is printed as `name = type [values]`, so a lit test can check
// what a pass computes, not only what it prints.
//
//   gradc-opt in.gir --autodiff --clip=kind=norm,c=1
//   gradc-opt in.gir --interpret --feed x=1,2,3 --feed w=0.5

#include "driver/DriverMain.h"
#include "driver/DriverPasses.h"
#include "interp/Interpreter.h"
#include "ir/Parser.h"
#include "ir/Printer.h"
#include "ir/Verifier.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <charconv>
#include <cmath>
#include <vector>

using namespace gradc;

namespace {
constexpr int kExitOk = 0;
constexpr int kExitUserError = 1;

struct Options {
  std::string input;
  bool verifyOnly = false;
  bool interpret = false;
  bool printAfterAll = false;
  std::vector<std::pair<const driver::PassInfo *, std::string>> passes;
  std::vector<std::string> feeds;
  int64_t batch = -1, step = 1;
  uint64_t seed = 0;
};

void printHelp() {
  llvm::outs() << "usage: gradc-opt <in.gir | -> [options] [--<pass>...]\n"
               << "  --verify-only        parse and verify, print nothing\n"
               << "  --interpret          run the graph, print its outputs\n"
               << "  --print-after-all    IR after each pass, on stderr\n"
               << "  --feed name=v1,v2    a leaf's values (with --interpret)\n"
               << "  --batch N --step K --seed S   run settings\n"
               << "  --help, -h           this text\n"
               << "  --version            gradc's and LLVM's versions\n"
               << "passes (run in command-line order):\n";
  for (const driver::PassInfo &pass : driver::registeredPasses())
    llvm::outs() << "  --" << pass.name << "  " << pass.help << "\n";
}

llvm::Error usageError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "error: " + message);
}

template <typename T>
llvm::Error parseNumber(llvm::StringRef flag, llvm::StringRef text, T &out) {
  if (llvm::to_integer(text, out))
    return llvm::Error::success();
  return usageError(flag + " needs an integer, got '" + text + "'");
}

// Reads one flag (and its value, for flags that take one) at argv[i].
llvm::Error parseFlag(int argc, char **argv, int &i, Options &opts) {
  llvm::StringRef arg = argv[i];
  auto value = [&]() -> llvm::StringRef {
    return i + 1 < argc ? argv[++i] : "";
  };
  if (arg == "--verify-only")
    opts.verifyOnly = true;
  else if (arg == "--interpret")
    opts.interpret = true;
  else if (arg == "--print-after-all")
    opts.printAfterAll = true;
  else if (arg == "--feed")
    opts.feeds.push_back(value().str());
  else if (arg == "--batch")
    return parseNumber(arg, value(), opts.batch);
  else if (arg == "--step")
    return parseNumber(arg, value(), opts.step);
  else if (arg == "--seed")
    return parseNumber(arg, value(), opts.seed);
  else if (!arg.starts_with("--") || arg == "--")
    opts.input = arg.str();
  else if (auto *pass = driver::findPass(arg.drop_front(2).split('=').first))
    opts.passes.emplace_back(pass, arg.split('=').second.str());
  else
    return usageError("unknown option '" + arg + "'; see --help");
  return llvm::Error::success();
}

llvm::Error reportVerifier(const ir::Graph &graph, llvm::StringRef file,
                           llvm::StringRef when) {
  std::vector<std::string> messages = ir::verifyGraphMessages(graph);
  if (messages.empty())
    return llvm::Error::success();
  std::string text;
  for (const std::string &message : messages)
    text += (text.empty() ? "" : "\n") + file.str() + ": error: " + when.str() +
            message;
  return llvm::createStringError(llvm::inconvertibleErrorCode(), text);
}

std::string graphText(const ir::Graph &graph) {
  std::string text;
  llvm::raw_string_ostream os(text);
  ir::printGraph(graph, os);
  return text;
}

// Prints the IR after `pass` to stderr, or "(unchanged)" when the pass left
// the text as it was.
void printAfter(llvm::StringRef pass, const std::string &before,
                const std::string &after) {
  llvm::errs() << "// ----- IR after --" << pass << " -----\n";
  llvm::errs() << (before == after ? "(unchanged)\n" : after);
}

// A failure of the pass flag `--name`, as a user error naming the flag.
llvm::Error passError(llvm::StringRef name, llvm::Error err) {
  return usageError("--" + name + ": " + llvm::toString(std::move(err)));
}

llvm::Error runPasses(ir::Graph &graph, const Options &opts) {
  for (const auto &[pass, optionText] : opts.passes) {
    std::string before = opts.printAfterAll ? graphText(graph) : "";
    auto options = driver::PassOptions::parse(optionText);
    if (!options)
      return passError(pass->name, options.takeError());
    if (auto err = pass->run(graph, *options))
      return passError(pass->name, std::move(err));
    if (opts.printAfterAll)
      printAfter(pass->name, before, graphText(graph));
    std::string when = "after --" + pass->name.str() + ": ";
    if (auto err = reportVerifier(graph, opts.input, when))
      return err;
  }
  return llvm::Error::success();
}

// The shortest text that reads back as the stored f32 or f64 value.
std::string formatValue(double value, ir::ElemKind elem) {
  if (elem == ir::ElemKind::F64)
    return ir::formatReal(value);
  float f = static_cast<float>(value);
  if (std::isnan(f) || std::isinf(f))
    return ir::formatReal(value);
  char buffer[32];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), f);
  return std::string(buffer, result.ptr);
}

llvm::Error feed(interp::Interpreter &interp, llvm::StringRef spec) {
  auto [name, list] = spec.split('=');
  llvm::SmallVector<llvm::StringRef, 16> items;
  list.split(items, ',', -1, /*KeepEmpty=*/false);
  std::vector<double> values;
  for (llvm::StringRef item : items) {
    double v;
    if (!llvm::to_float(item.trim(), v))
      return usageError("--feed " + name + ": '" + item + "' is not a number");
    values.push_back(v);
  }
  if (auto err = interp.setLeafData(name.str(), std::move(values)))
    return usageError("--feed: " + llvm::toString(std::move(err)));
  return llvm::Error::success();
}

llvm::Error interpret(const ir::Graph &graph, const Options &opts) {
  interp::Interpreter interp(graph);
  for (const std::string &spec : opts.feeds)
    if (auto err = feed(interp, spec))
      return err;
  if (opts.batch >= 0)
    interp.setBatchSize(opts.batch);
  interp.setStep(opts.step);
  interp.setSeed(opts.seed);
  auto outputs = interp.run();
  if (!outputs)
    return usageError(llvm::toString(outputs.takeError()));
  for (const ir::GraphOutput &out : graph.outputs()) {
    const interp::Tensor &t = outputs->at(out.name);
    llvm::outs() << out.name << " = " << ir::formatType(t.type) << " [";
    for (int64_t i = 0; i < t.size(); ++i)
      llvm::outs() << (i ? ", " : "") << formatValue(t.data[i], t.type.elem);
    llvm::outs() << "]\n";
  }
  return llvm::Error::success();
}

llvm::Error runTool(const Options &opts) {
  auto buffer = llvm::MemoryBuffer::getFileOrSTDIN(opts.input);
  if (!buffer)
    return usageError("cannot read '" + opts.input +
                      "': " + buffer.getError().message());
  auto graph = ir::parseGraph((*buffer)->getBuffer(), opts.input);
  if (!graph)
    return graph.takeError();
  if (auto err = reportVerifier(**graph, opts.input, ""))
    return err;
  if (auto err = runPasses(**graph, opts))
    return err;
  if (opts.verifyOnly)
    return llvm::Error::success();
  if (opts.interpret)
    return interpret(**graph, opts);
  ir::printGraph(**graph, llvm::outs());
  return llvm::Error::success();
}
} // namespace

/// Everything gradc-opt does, from its command line to its output.
static int optMain(int argc, char **argv) {
  Options opts;
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      printHelp();
      return kExitOk;
    }
    if (arg == "--version") {
      driver::printVersion("gradc-opt", llvm::outs());
      return kExitOk;
    }
    if (auto err = parseFlag(argc, argv, i, opts)) {
      llvm::errs() << llvm::toString(std::move(err)) << "\n";
      return kExitUserError;
    }
  }
  if (opts.input.empty())
    opts.input = "-";
  if (auto err = runTool(opts)) {
    llvm::errs() << llvm::toString(std::move(err)) << "\n";
    return kExitUserError;
  }
  return kExitOk;
}

int main(int argc, char **argv) {
  return driver::runToolMain("gradc-opt", [&] { return optMain(argc, argv); });
}
