// Frontend.cpp - reading a .model file through parser, builder and sema.
// SPDX-License-Identifier: MIT
//
// The stages run in order and each one runs only when the ones before it
// reported nothing: a file with syntax errors is not built, an AST with
// unknown words is not shape-checked. Within a stage every error is shown.

#include "frontend/Frontend.h"

#include "frontend/ASTBuilder.h"
#include "frontend/Diagnostics.h"
#include "frontend/Sema.h"
#include "frontend/SyntaxErrors.h"

#include "ModelLexer.h"
#include "ModelParser.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace gradc;
using namespace gradc::frontend;

static llvm::Error failed(unsigned errors) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "%u error(s) reported", errors);
}

/// The location of the first byte that is not valid UTF-8, if any.
static std::optional<ast::SourceLoc> firstInvalidUTF8(const std::string &file,
                                                      const std::string &text) {
  ast::SourceLoc loc{file, 1, 1};
  const auto *byte = reinterpret_cast<const llvm::UTF8 *>(text.data());
  const auto *end = byte + text.size();
  while (byte < end) {
    unsigned size = llvm::getNumBytesForUTF8(*byte);
    if (byte + size > end || !llvm::isLegalUTF8Sequence(byte, byte + size))
      return loc;
    bool newline = *byte == '\n';
    loc.line += newline;
    loc.col = newline ? 1 : loc.col + 1;
    byte += size;
  }
  return std::nullopt;
}

/// Rejects empty and non-UTF-8 text before ANTLR sees it.
static bool checkEncoding(const std::string &text, DiagnosticEngine &diags) {
  if (llvm::StringRef(text).trim().empty()) {
    diags.error({diags.fileName(), 1, 1}, "empty file: expected a model block");
    return false;
  }
  if (auto bad = firstInvalidUTF8(diags.fileName(), text)) {
    diags.error(*bad, "file is not valid UTF-8");
    return false;
  }
  return true;
}

/// Values nest (`[[1, 2]]`, `leaky_relu(0.1)`) only a few levels deep; the
/// parser and the tree walks recurse once per level, so a deeper file is
/// refused before parsing rather than allowed to overflow the stack.
static constexpr unsigned MaxNesting = 64;

/// Reports the first '[' or '(' that opens a level beyond MaxNesting.
static bool checkNesting(antlr4::CommonTokenStream &tokens,
                         DiagnosticEngine &diags) {
  tokens.fill();
  unsigned depth = 0;
  for (antlr4::Token *token : tokens.getTokens()) {
    size_t type = token->getType();
    if (type == grammar::ModelLexer::LBRACKET ||
        type == grammar::ModelLexer::LPAREN) {
      if (++depth <= MaxNesting)
        continue;
      diags.error({diags.fileName(),
                   static_cast<unsigned>(token->getLine()),
                   static_cast<unsigned>(token->getCharPositionInLine() + 1)},
                  "values nested more than " + std::to_string(MaxNesting) +
                      " levels deep");
      return false;
    }
    if ((type == grammar::ModelLexer::RBRACKET ||
         type == grammar::ModelLexer::RPAREN) &&
        depth > 0)
      --depth;
  }
  return true;
}

static std::string absolutePath(const std::string &path) {
  llvm::SmallString<256> full(path);
  llvm::sys::fs::make_absolute(full);
  llvm::sys::path::remove_dots(full, /*remove_dot_dot=*/true);
  return std::string(full);
}

llvm::Expected<ast::Program>
frontend::loadProgramFromText(const std::string &path, const std::string &text,
                              const FrontendOptions &options,
                              llvm::raw_ostream &diagOut) {
  DiagnosticEngine diags(path, text, diagOut);
  if (!checkEncoding(text, diags))
    return failed(diags.errorCount());

  antlr4::ANTLRInputStream input(text);
  grammar::ModelLexer lexer(&input);
  antlr4::CommonTokenStream tokens(&lexer);
  grammar::ModelParser parser(&tokens);
  SyntaxErrorListener listener(diags);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&listener);
  parser.removeErrorListeners();
  parser.addErrorListener(&listener);
  if (!checkNesting(tokens, diags))
    return failed(diags.errorCount());
  grammar::ModelParser::ProgramContext *tree = parser.program();
  if (diags.errorCount())
    return failed(diags.errorCount());

  ASTBuilder builder(diags, absolutePath(path), options.overrides);
  ast::Program program = builder.build(tree);
  if (diags.errorCount())
    return failed(diags.errorCount());
  if (!options.parseOnly)
    analyzeProgram(program, diags);
  if (diags.errorCount())
    return failed(diags.errorCount());
  return program;
}

namespace {

/// A model description is a few kilobytes; anything near this size is not
/// one, and a device such as /dev/zero would otherwise be read forever.
constexpr uint64_t maxModelFileBytes = 16u << 20;

/// The file's text, reading at most one byte past the limit so an endless
/// device or pipe is detected without being drained.
llvm::ErrorOr<std::string> readBounded(const std::string &path) {
  llvm::Expected<llvm::sys::fs::file_t> file =
      llvm::sys::fs::openNativeFileForRead(path);
  if (!file)
    return llvm::errorToErrorCode(file.takeError());
  std::string text;
  std::vector<char> chunk(1 << 16);
  std::error_code status;
  while (text.size() <= maxModelFileBytes) {
    llvm::Expected<size_t> got = llvm::sys::fs::readNativeFile(
        *file, llvm::MutableArrayRef<char>(chunk.data(), chunk.size()));
    if (!got) {
      status = llvm::errorToErrorCode(got.takeError());
      break;
    }
    if (*got == 0)
      break;
    text.append(chunk.data(), *got);
  }
  llvm::sys::fs::closeFile(*file);
  if (status)
    return status;
  return text;
}

} // namespace

llvm::Expected<ast::Program>
frontend::loadProgram(const std::string &path, const FrontendOptions &options,
                      llvm::raw_ostream &diagOut) {
  llvm::ErrorOr<std::string> text = readBounded(path);
  if (!text) {
    std::string reason = text.getError().message();
    if (!reason.empty())
      reason[0] = std::tolower(reason[0]);
    diagOut << path << ": error: cannot read file: " << reason << "\n";
    return failed(1);
  }
  if (text->size() > maxModelFileBytes) {
    diagOut << path << ": error: file is larger than "
            << (maxModelFileBytes >> 20)
            << " MiB, too large for a model description\n";
    return failed(1);
  }
  return loadProgramFromText(path, *text, options, diagOut);
}
