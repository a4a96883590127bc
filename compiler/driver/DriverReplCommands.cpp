// DriverReplCommands.cpp - the `:` commands of a gradi session.
// SPDX-License-Identifier: MIT
//
// Commands that touch weights go through the runtime session of the
// current model (DriverReplEngine.h), which compiles first when the graphs
// changed; the others only read the checked program.

#include "driver/DriverReplSession.h"

#include "ir/Printer.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

namespace gradc::driver {
namespace {

const char *const helpText =
    R"(Statements (checked as a whole program after each change):
  param NAME = VALUE            declare or change a param
  model NAME { ... }            define or replace a model (multi-line)
  train NAME { ... }            define or replace a train block
  clip norm 0.5                 replace a statement of the current train
  optimizer adam lr=0.001       block (data validate loss optimizer clip
  epochs 20                     batch epochs seed shuffle init), or add it
  layer dense_1 activation=tanh set options of a layer line
Commands:
  :load FILE.model     replace the program with a file
  :show                the checked program with every shape
  :text                the program text of the session
  :ir [ir|grad-ir|opt-ir]   the train graph after that stage
  :compile             JIT-compile now and print the time
  :train [EPOCHS]      train on from the current weights (Ctrl-C stops)
  :eval                loss on the training and validation data
  :grads               last step's gradient norms and the health summary
  :reset               initialize weights and optimizer state again
  :save FILE.safetensors   write a checkpoint
  :plot FILE.png       plot loss and gradient norms since the last reset
  :help  :quit
)";

std::optional<PipelineStageKind> stageNamed(llvm::StringRef name) {
  if (name == "ir")
    return PipelineStageKind::Forward;
  if (name == "grad-ir")
    return PipelineStageKind::Gradients;
  if (name.empty() || name == "opt-ir")
    return PipelineStageKind::Optimized;
  return std::nullopt;
}

} // namespace

template <typename Action> void ReplSession::withSession(Action action) {
  if (!engine.current())
    return reportError("no train block: define one with "
                       "`train <model> { ... }`");
  llvm::Expected<gradc_session *> session = engine.session(out);
  if (!session)
    return reportError(session.takeError());
  out.flush();
  int status = action(*session);
  errors += status == 1 || status == 3;
}

bool ReplSession::runCommand(const std::string &line) {
  auto [name, argument] = llvm::StringRef(line).split(' ');
  std::string arg = argument.trim().str();
  if (name == ":quit" || name == ":q" || name == ":exit")
    return false;
  if (name == ":help")
    commandHelp();
  else if (name == ":load")
    commandLoad(arg);
  else if (name == ":show")
    commandShow();
  else if (name == ":text")
    commandText();
  else if (name == ":ir")
    commandIR(arg);
  else if (name == ":compile")
    commandCompile();
  else if (name == ":train")
    commandTrain(arg);
  else if (name == ":eval")
    withSession([](gradc_session *s) { return gradc_session_eval(s); });
  else if (name == ":grads")
    withSession([](gradc_session *s) { return gradc_session_grads(s); });
  else if (name == ":reset")
    withSession([](gradc_session *s) { return gradc_session_reset(s); });
  else if (name == ":save" || name == ":plot")
    commandFile(name.str(), arg);
  else
    reportError("unknown command '" + name.str() + "'; :help lists them");
  return true;
}

void ReplSession::reportErrorIf(llvm::Error error) {
  if (error)
    reportError(std::move(error));
}

void ReplSession::commandFile(const std::string &name,
                              const std::string &path) {
  if (path.empty())
    return reportError(name + " needs a file name");
  bool save = name == ":save";
  withSession([&](gradc_session *s) {
    return save ? gradc_session_save(s, path.c_str())
                : gradc_session_plot(s, path.c_str());
  });
}

void ReplSession::commandCompile() {
  if (!engine.current())
    return reportError("no train block: nothing to compile");
  reportErrorIf(engine.compile(/*force=*/true, out));
}

void ReplSession::commandHelp() { out << helpText; }

void ReplSession::commandText() { out << source.text(); }

void ReplSession::commandLoad(const std::string &path) {
  if (path.empty())
    return reportError(":load needs a .model file");
  frontend::FrontendOptions frontendOptions;
  frontendOptions.overrides = options.overrides;
  auto checked = frontend::loadProgram(path, frontendOptions, err);
  if (!checked) {
    llvm::consumeError(checked.takeError());
    ++errors;
    return;
  }
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  ReplSource next;
  next.anchor = path;
  next.entries = splitEntries((*buffer)->getBuffer().str(), path);
  if (const SourceEntry *train = next.last(EntryKind::Train))
    next.currentTrain = train->name;
  if (commit(std::move(next)))
    out << "loaded " << path << "\n";
}

void ReplSession::commandShow() {
  if (!program)
    return reportError("nothing defined yet");
  ast::dumpProgram(*program, out);
}

void ReplSession::commandIR(const std::string &stageName) {
  std::optional<PipelineStageKind> stage = stageNamed(stageName);
  if (!stage)
    return reportError("unknown stage '" + stageName +
                       "'; expected ir, grad-ir or opt-ir");
  if (!engine.current())
    return reportError("no train block: nothing to lower");
  auto pipeline = buildModelPipeline(*program, *stage, source.currentTrain);
  if (!pipeline)
    return reportError(pipeline.takeError());
  ir::printGraph(*pipeline->train, out);
}

void ReplSession::commandTrain(const std::string &epochs) {
  long long count = 0;
  if (!epochs.empty() &&
      (llvm::StringRef(epochs).getAsInteger(10, count) || count <= 0))
    return reportError(":train takes a positive number of epochs, found '" +
                       epochs + "'");
  if (options.stop)
    *options.stop = 0;
  withSession([&](gradc_session *s) {
    return gradc_session_train(s, count, options.stop);
  });
}

} // namespace gradc::driver
