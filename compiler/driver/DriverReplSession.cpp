// DriverReplSession.cpp - blocks, statements, edits and the commit step.
// SPDX-License-Identifier: MIT
//
// The commit step is the only place where the session's program changes:
// check the new text with the front end (path `<stdin>`, or the loaded
// file), build its pipeline, and only then adopt it. Diagnostics are the
// front end's own, with line numbers mapped to the lines as typed.

#include "driver/DriverReplSession.h"
#include "driver/DriverReplEdits.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

namespace gradc::driver {

ReplSession::ReplSession(ReplOptions options, llvm::raw_ostream &out,
                         llvm::raw_ostream &err)
    : options(std::move(options)), out(out), err(err),
      engine(this->options.codegen) {}

bool ReplSession::handleLine(const std::string &text) {
  SourceLine line{text, {"<stdin>", ++lineNumber}};
  EntryKind kind = classifyEntry(text).first;
  if (inBlock() || kind == EntryKind::Model || kind == EntryKind::Train) {
    addToBlock(line);
    return true;
  }
  llvm::StringRef trimmed = llvm::StringRef(text).trim();
  if (trimmed.empty() || trimmed.starts_with("#"))
    return true;
  if (trimmed.starts_with(":"))
    return runCommand(trimmed.str());
  handleStatement(line);
  return true;
}

void ReplSession::cancelBlock() {
  pending.clear();
  depth = 0;
}

void ReplSession::addToBlock(const SourceLine &line) {
  pending.push_back(line);
  depth += braceDepthChange(line.text);
  if (depth > 0)
    return;
  auto [kind, name] = classifyEntry(pending.front().text);
  ReplSource next = source;
  next.define({kind, name, std::move(pending)});
  cancelBlock();
  commit(std::move(next));
}

void ReplSession::handleStatement(const SourceLine &line) {
  auto [kind, name] = classifyEntry(line.text);
  ReplSource next = source;
  if (kind == EntryKind::Param) {
    next.define({kind, name, {line}});
    commit(std::move(next));
    return;
  }
  if (!isEditStatement(line.text)) {
    reportError("unknown statement '" + firstWord(line.text) +
                "'; expected param, model, train, a train statement, "
                "layer, or a :command (:help lists them)");
    return;
  }
  static const ast::Program none;
  if (llvm::Error error = applyEdit(next, program ? *program : none, line))
    return reportError(llvm::toString(std::move(error)));
  commit(std::move(next));
}

bool ReplSession::commit(ReplSource next) {
  std::string diagnostics;
  llvm::raw_string_ostream diagOut(diagnostics);
  frontend::FrontendOptions frontendOptions;
  frontendOptions.overrides = options.overrides;
  auto checked = frontend::loadProgramFromText(next.anchor, next.text(),
                                               frontendOptions, diagOut);
  if (!checked) {
    llvm::consumeError(checked.takeError());
    err << next.mapDiagnostics(diagnostics);
    ++errors;
    return false;
  }
  if (!checked->findTrain(next.currentTrain) && !checked->trains.empty())
    next.currentTrain = checked->trains.back().modelName;
  if (checked->trains.empty())
    engine.clear();
  else if (llvm::Error error =
               engine.update(*checked, next.currentTrain, out)) {
    reportError(std::move(error));
    return false;
  }
  source = std::move(next);
  program = std::move(*checked);
  return true;
}

void ReplSession::reportError(const std::string &message) {
  err << "<stdin>:" << lineNumber << ":1: error: " << message << "\n";
  ++errors;
}

void ReplSession::reportError(llvm::Error error) {
  std::string message = llvm::toString(std::move(error));
  if (!message.empty())
    err << message << "\n";
  ++errors;
}

/// Completed on Tab besides train statements and layer names.
static const char *const completedWords =
    "param model train input layer as on from dense conv2d maxpool2d "
    "dropout alpha_dropout flatten embedding lstm linear relu leaky_relu elu "
    "selu sigmoid tanh softmax mse binary_crossentropy "
    "categorical_crossentropy sparse_categorical_crossentropy sgd adam norm "
    "global_norm value none csv idx tokens activation= init= units= lr= "
    "momentum= nesterov= beta1= beta2= eps= target= :load :show :text :ir "
    ":compile :train :eval :grads :reset :save :plot :help :quit";

std::vector<std::string> ReplSession::completionWords() const {
  llvm::SmallVector<llvm::StringRef> split;
  llvm::StringRef(completedWords).split(split, ' ');
  std::vector<std::string> words(split.begin(), split.end());
  for (const std::string &word : trainStatementWords())
    words.push_back(word);
  if (program)
    for (const ast::ModelDecl &model : program->models)
      for (const ast::Layer &layer : model.layers)
        words.push_back(layer.name);
  return words;
}

} // namespace gradc::driver
