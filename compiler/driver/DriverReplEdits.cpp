// DriverReplEdits.cpp - rewrite a train statement or a layer line.
// SPDX-License-Identifier: MIT
//
// A train statement is identified by its keyword (and for `clip` by its
// `on <layer>` target), so `clip norm 0.5` replaces the program-wide clip
// and `clip value 1 on dense_2` that layer's override. A layer line is
// found through the checked AST (each layer knows its line) and its options
// are set one by one; a positional value the option replaces (the `relu` of
// `dense 25 relu` for activation=) is removed.

#include "driver/DriverReplEdits.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"

#include <algorithm>

namespace gradc::driver {
namespace {

llvm::Error editError(const std::string &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

const std::vector<std::string> &activationWords() {
  static const std::vector<std::string> words = {
      "linear", "relu",    "leaky_relu", "elu",
      "selu",   "sigmoid", "tanh",       "softmax"};
  return words;
}

bool isActivation(llvm::StringRef word) {
  return llvm::is_contained(activationWords(), word.split('(').first.str());
}

bool isNumber(llvm::StringRef word) {
  double value;
  return !word.getAsDouble(value);
}

bool isDims(llvm::StringRef word) {
  auto [h, w] = word.split('x');
  unsigned n;
  return !w.empty() && !h.getAsInteger(10, n) && !w.getAsInteger(10, n);
}

/// True when positional `word` fills the slot that option `key` names.
bool fillsSlot(llvm::StringRef key, llvm::StringRef word) {
  if (key == "activation")
    return isActivation(word);
  if (key == "units" || key == "filters" || key == "rate")
    return isNumber(word);
  if (key == "kernel" || key == "pool")
    return isDims(word);
  return false;
}

std::string joinWords(const std::vector<std::string> &words) {
  std::string text;
  for (const std::string &word : words)
    text += (text.empty() ? "" : " ") + word;
  return text;
}

std::string indentOf(const std::string &text) {
  return text.substr(0, text.find_first_not_of(" \t"));
}

std::string statementKey(const std::string &text) {
  std::vector<std::string> words = splitWords(text);
  if (words.empty())
    return "";
  std::string key = words[0];
  auto on = std::find(words.begin(), words.end(), "on");
  if (key == "clip" && on != words.end() && on + 1 != words.end())
    key += " on " + *(on + 1);
  return key;
}

llvm::Error editTrain(ReplSource &source, const SourceLine &line) {
  SourceEntry *train = source.find(EntryKind::Train, source.currentTrain);
  if (!train)
    return editError("no train block to change; define one with "
                     "`train <model> { ... }`");
  std::string key = statementKey(line.text);
  std::string statement = llvm::StringRef(line.text).trim().str();
  std::vector<SourceLine> &lines = train->lines;
  for (size_t i = 1; i + 1 < lines.size(); ++i) {
    if (statementKey(lines[i].text) != key)
      continue;
    lines[i] = {indentOf(lines[i].text) + statement, line.origin};
    return llvm::Error::success();
  }
  size_t end = lines.size() > 1 ? lines.size() - 1 : lines.size();
  lines.insert(lines.begin() + end, {"  " + statement, line.origin});
  return llvm::Error::success();
}

/// Sets option `option` ("key=value", or a bare activation) in `words`.
llvm::Error setOption(std::vector<std::string> &words, std::string option) {
  if (option.find('=') == std::string::npos && isActivation(option))
    option = "activation=" + option;
  auto [key, value] = llvm::StringRef(option).split('=');
  if (key.empty() || value.empty() || option.find('=') == std::string::npos)
    return editError("expected key=value, found '" + option + "'");
  size_t alias = std::find(words.begin(), words.end(), "as") - words.begin();
  for (size_t i = 1; i < alias; ++i)
    if (llvm::StringRef(words[i]).starts_with((key + "=").str()))
      return words[i] = option, llvm::Error::success();
  for (size_t i = 1; i < alias; ++i)
    if (words[i].find('=') == std::string::npos && fillsSlot(key, words[i])) {
      words.erase(words.begin() + i);
      --alias;
      break;
    }
  words.insert(words.begin() + alias, option);
  return llvm::Error::success();
}

const ast::ModelDecl *currentModel(const ReplSource &source,
                                   const ast::Program &checked) {
  if (const ast::TrainDecl *train = checked.findTrain(source.currentTrain))
    return checked.findModel(train->modelName);
  const SourceEntry *last = source.last(EntryKind::Model);
  return last ? checked.findModel(last->name) : nullptr;
}

std::string layerNames(const ast::ModelDecl &model) {
  std::string names;
  for (const ast::Layer &layer : model.layers)
    names += (names.empty() ? "" : ", ") + layer.name;
  return names;
}

llvm::Error editLayer(ReplSource &source, const ast::Program &checked,
                      const SourceLine &line) {
  std::vector<std::string> words = splitWords(line.text);
  if (words.size() < 3)
    return editError("expected `layer <name> key=value ...`");
  const ast::ModelDecl *model = currentModel(source, checked);
  if (!model)
    return editError("no model to change; define one with "
                     "`model <name> { ... }`");
  const ast::Layer *layer = model->findLayer(words[1]);
  if (!layer)
    return editError("model '" + model->name + "' has no layer '" + words[1] +
                     "' (it has: " + layerNames(*model) + ")");
  auto [e, l] = source.locate(layer->loc.line);
  SourceLine &target = source.entries[e].lines[l];
  std::vector<std::string> layerWords = splitWords(target.text);
  for (size_t i = 2; i < words.size(); ++i)
    if (llvm::Error err = setOption(layerWords, words[i]))
      return err;
  target = {indentOf(target.text) + joinWords(layerWords), line.origin};
  return llvm::Error::success();
}

} // namespace

const std::vector<std::string> &trainStatementWords() {
  static const std::vector<std::string> words = {
      "data",  "validate", "loss", "optimizer", "clip",
      "batch", "epochs",   "seed", "shuffle",   "init"};
  return words;
}

std::vector<std::string> splitWords(const std::string &text) {
  std::vector<std::string> words;
  std::string word;
  int nesting = 0;
  bool inString = false;
  for (char c : text) {
    if (!inString && nesting == 0 && c == '#')
      break;
    inString ^= c == '"';
    nesting += !inString && (c == '(' || c == '[');
    nesting -= !inString && (c == ')' || c == ']');
    if (!inString && nesting == 0 && isspace((unsigned char)c)) {
      if (!word.empty())
        words.push_back(std::move(word));
      word.clear();
      continue;
    }
    word += c;
  }
  if (!word.empty())
    words.push_back(word);
  return words;
}

bool isEditStatement(const std::string &line) {
  std::string word = firstWord(line);
  return word == "layer" || llvm::is_contained(trainStatementWords(), word);
}

llvm::Error applyEdit(ReplSource &source, const ast::Program &checked,
                      const SourceLine &line) {
  if (firstWord(line.text) == "layer")
    return editLayer(source, checked, line);
  return editTrain(source, line);
}

} // namespace gradc::driver
