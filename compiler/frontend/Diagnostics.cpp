// Diagnostics.cpp - printing of user errors and spelling suggestions.
// SPDX-License-Identifier: MIT
//
// The printed column counts characters (code points), as ANTLR does; the
// caret line copies tabs from the source line so that it lines up.

#include "frontend/Diagnostics.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

using namespace gradc;
using namespace gradc::frontend;

DiagnosticEngine::DiagnosticEngine(std::string file, const std::string &text,
                                   llvm::raw_ostream &out)
    : file(std::move(file)), out(out) {
  llvm::SmallVector<llvm::StringRef, 64> parts;
  llvm::StringRef(text).split(parts, '\n');
  for (llvm::StringRef part : parts)
    lines.push_back(part.rtrim('\r').str());
}

void DiagnosticEngine::error(const ast::SourceLoc &loc,
                             const std::string &message, unsigned length) {
  ++errors;
  report(loc, "error", message, length);
}

void DiagnosticEngine::note(const ast::SourceLoc &loc,
                            const std::string &message, unsigned length) {
  report(loc, "note", message, length);
}

void DiagnosticEngine::commandLineError(const std::string &message) {
  ++errors;
  out << "<command line>: error: " << message << "\n";
}

void DiagnosticEngine::report(const ast::SourceLoc &loc, const char *severity,
                              const std::string &message, unsigned length) {
  out << (loc.file.empty() ? file : loc.file) << ":" << loc.line << ":"
      << loc.col << ": " << severity << ": " << message << "\n";
  printSourceLine(loc, length);
}

/// Is `c` the first byte of a UTF-8 sequence (a new character)?
static bool startsCharacter(char c) { return (c & 0xC0) != 0x80; }

void DiagnosticEngine::printSourceLine(const ast::SourceLoc &loc,
                                       unsigned length) {
  if (loc.line == 0 || loc.line > lines.size())
    return;
  const std::string &line = lines[loc.line - 1];
  out << line << "\n";

  // Walk the line by characters up to the column, copying tabs.
  std::string caret;
  unsigned column = 1;
  for (char c : line) {
    if (column >= loc.col)
      break;
    if (!startsCharacter(c))
      continue;
    caret += c == '\t' ? '\t' : ' ';
    ++column;
  }
  caret += '^';
  if (length > 1)
    caret += std::string(length - 1, '~');
  out << caret << "\n";
}

std::string frontend::didYouMean(const std::string &word,
                                 const std::vector<std::string> &candidates) {
  const std::string *best = nullptr;
  unsigned bestDistance = 0;
  for (const std::string &candidate : candidates) {
    unsigned distance = llvm::StringRef(word).edit_distance(candidate);
    if (best && distance >= bestDistance)
      continue;
    best = &candidate;
    bestDistance = distance;
  }
  // Accept about a third of the word as edits (a swap of two letters
  // costs two), but never a rewrite of most of it.
  unsigned limit = std::max<unsigned>(2, (word.size() + 2) / 3);
  if (!best || bestDistance > limit || bestDistance >= word.size())
    return "";
  return "; did you mean '" + *best + "'?";
}
