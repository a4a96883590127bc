// Diagnostics.cpp - printing of user errors and spelling suggestions.
// SPDX-License-Identifier: MIT
//
// The printed column counts characters (code points), as ANTLR does; the
// caret line copies tabs from the source line so that it lines up. Control
// bytes and bytes that are not UTF-8 are printed escaped, in the source line
// and in the message, so that bad input cannot garble the terminal.

#include "frontend/Diagnostics.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace gradc;
using namespace gradc::frontend;

namespace {
/// One character of a source line as it is printed, and its width in
/// columns.
struct PrintedChar {
  std::string text;
  unsigned width;
};
} // namespace

/// Is `c` a control byte that a terminal would act on rather than show?
static bool isControl(unsigned char c) {
  return (c < 0x20 && c != '\t') || c == 0x7f;
}

/// The characters of `text` as printed: control bytes and bytes that are
/// not part of a UTF-8 character are spelled `\xNN`, so that the terminal
/// gets plain text and columns can still be counted.
static std::vector<PrintedChar> printedChars(llvm::StringRef text) {
  std::vector<PrintedChar> chars;
  const llvm::UTF8 *byte = text.bytes_begin(), *end = text.bytes_end();
  while (byte < end) {
    unsigned size = llvm::getNumBytesForUTF8(*byte);
    if (byte + size <= end && llvm::isLegalUTF8Sequence(byte, byte + size) &&
        !isControl(*byte)) {
      chars.push_back({std::string(byte, byte + size), 1});
      byte += size;
      continue;
    }
    chars.push_back({llvm::formatv("\\x{0:x-2}", *byte).str(), 4});
    ++byte;
  }
  return chars;
}

/// `text` with the bytes that printedChars escapes escaped.
static std::string printable(llvm::StringRef text) {
  std::string result;
  for (const PrintedChar &c : printedChars(text))
    result += c.text;
  return result;
}

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
  out << "<command line>: error: " << printable(message) << "\n";
}

void DiagnosticEngine::report(const ast::SourceLoc &loc, const char *severity,
                              const std::string &message, unsigned length) {
  out << (loc.file.empty() ? file : loc.file) << ":" << loc.line << ":"
      << loc.col << ": " << severity << ": " << printable(message) << "\n";
  printSourceLine(loc, length);
}

void DiagnosticEngine::printSourceLine(const ast::SourceLoc &loc,
                                       unsigned length) {
  if (loc.line == 0 || loc.line > lines.size())
    return;
  std::vector<PrintedChar> chars = printedChars(lines[loc.line - 1]);
  for (const PrintedChar &c : chars)
    out << c.text;
  out << "\n";

  // Pad up to the column with as many columns as each character printed,
  // copying tabs, then underline the printed width of `length` characters.
  size_t first = std::max(loc.col, 1u) - 1;
  std::string caret;
  for (size_t i = 0; i < first && i < chars.size(); ++i)
    caret += chars[i].text == "\t" ? "\t" : std::string(chars[i].width, ' ');
  unsigned width = 0;
  for (size_t i = first; i < first + std::max(length, 1u); ++i)
    width += i < chars.size() ? chars[i].width : 1;
  caret += '^';
  caret += std::string(width - 1, '~');
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
