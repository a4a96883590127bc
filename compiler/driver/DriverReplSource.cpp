// DriverReplSource.cpp - entries of a session's program and line origins.
// SPDX-License-Identifier: MIT
//
// Brace counting is all the structure the REPL needs to know where a block
// ends; everything else about the text is the front end's business.

#include "driver/DriverReplSource.h"

#include "llvm/ADT/StringRef.h"

#include <sstream>

namespace gradc::driver {

std::string firstWord(const std::string &line) {
  llvm::StringRef rest = llvm::StringRef(line).ltrim();
  return rest.take_until([](char c) { return isspace(c) || c == '='; }).str();
}

std::pair<EntryKind, std::string> classifyEntry(const std::string &line) {
  llvm::StringRef rest = llvm::StringRef(line).ltrim();
  std::string word = firstWord(line);
  rest = rest.drop_front(word.size()).ltrim();
  std::string name =
      rest.take_until([](char c) { return isspace(c) || c == '=' || c == '{'; })
          .str();
  if (word == "param")
    return {EntryKind::Param, name};
  if (word == "model")
    return {EntryKind::Model, name};
  if (word == "train")
    return {EntryKind::Train, name};
  return {EntryKind::Other, ""};
}

int braceDepthChange(const std::string &line) {
  int change = 0;
  bool inString = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (inString && c == '\\')
      ++i;
    else if (c == '"')
      inString = !inString;
    else if (!inString && c == '#')
      break;
    else if (!inString)
      change += (c == '{') - (c == '}');
  }
  return change;
}

static bool isBlankOrComment(llvm::StringRef line) {
  line = line.trim();
  return line.empty() || line.starts_with("#");
}

std::vector<SourceEntry> splitEntries(const std::string &text,
                                      const std::string &file) {
  std::vector<SourceEntry> entries;
  std::istringstream in(text);
  std::string line;
  int depth = 0;
  for (unsigned number = 1; std::getline(in, line); ++number) {
    if (depth == 0 && isBlankOrComment(line))
      continue;
    if (depth == 0) {
      auto [kind, name] = classifyEntry(line);
      entries.push_back({kind, name, {}});
    }
    entries.back().lines.push_back({line, {file, number}});
    depth = std::max(0, depth + braceDepthChange(line));
  }
  return entries;
}

void ReplSource::define(SourceEntry entry) {
  if (entry.kind == EntryKind::Train)
    currentTrain = entry.name;
  if (SourceEntry *existing = find(entry.kind, entry.name)) {
    *existing = std::move(entry);
    return;
  }
  entries.push_back(std::move(entry));
}

std::string ReplSource::text() const {
  std::string text;
  for (const SourceEntry &entry : entries)
    for (const SourceLine &line : entry.lines)
      text += line.text + "\n";
  return text;
}

std::pair<size_t, size_t> ReplSource::locate(unsigned line) const {
  unsigned first = 1;
  for (size_t e = 0; e < entries.size(); ++e) {
    size_t count = entries[e].lines.size();
    if (line < first + count)
      return {e, line - first};
    first += count;
  }
  return {entries.size(), 0};
}

std::string ReplSource::mapDiagnostics(const std::string &diagnostics) const {
  std::istringstream in(diagnostics);
  std::string line, result;
  std::string prefix = anchor + ":";
  while (std::getline(in, line)) {
    llvm::StringRef rest(line);
    unsigned number = 0;
    if (rest.consume_front(prefix) && !rest.consumeInteger(10, number) &&
        rest.starts_with(":")) {
      auto [e, l] = locate(number);
      if (e < entries.size()) {
        const LineOrigin &origin = entries[e].lines[l].origin;
        line = origin.file + ":" + std::to_string(origin.line) + rest.str();
      }
    }
    result += line + "\n";
  }
  return result;
}

SourceEntry *ReplSource::find(EntryKind kind, const std::string &name) {
  for (SourceEntry &entry : entries)
    if (entry.kind == kind && entry.name == name && kind != EntryKind::Other)
      return &entry;
  return nullptr;
}

const SourceEntry *ReplSource::last(EntryKind kind) const {
  for (auto it = entries.rbegin(); it != entries.rend(); ++it)
    if (it->kind == kind)
      return &*it;
  return nullptr;
}

} // namespace gradc::driver
