// DriverReplSource.h - the program text of a gradi session, entry by entry.
// SPDX-License-Identifier: MIT
//
// The REPL keeps what the user typed as text, not as an AST: a list of
// entries (`param` lines, `model` and `train` blocks), each line remembering
// where it was typed or loaded from. Every change produces a new text that
// the front end checks as a whole; its diagnostics are mapped back to the
// lines the user typed, so an error reads `<stdin>:12:9: error: ...` for the
// twelfth line of the session.

#ifndef GRADC_DRIVER_DRIVERREPLSOURCE_H
#define GRADC_DRIVER_DRIVERREPLSOURCE_H

#include <string>
#include <utility>
#include <vector>

namespace gradc::driver {

/// Where a line came from: `<stdin>` and the input line, or a loaded file.
struct LineOrigin {
  std::string file;
  unsigned line = 0;
};

struct SourceLine {
  std::string text;
  LineOrigin origin;
};

enum class EntryKind { Param, Model, Train, Other };

/// One top-level declaration as text.
struct SourceEntry {
  EntryKind kind = EntryKind::Other;
  std::string name; ///< the param, model or trained model
  std::vector<SourceLine> lines;
};

/// The kind and name of the entry whose first line is `line`.
std::pair<EntryKind, std::string> classifyEntry(const std::string &line);

/// How much `line` opens (+) or closes (-) braces, outside strings and
/// comments.
int braceDepthChange(const std::string &line);

/// The first whitespace-separated word of `line`.
std::string firstWord(const std::string &line);

/// Splits `text` of file `file` into entries; blank and comment lines
/// between entries are dropped.
std::vector<SourceEntry> splitEntries(const std::string &text,
                                      const std::string &file);

class ReplSource {
public:
  /// Adds `entry`, replacing the one of the same kind and name in place.
  void define(SourceEntry entry);
  /// The whole program, one line per SourceLine.
  std::string text() const;
  /// Entry index and line index of 1-based line `line` of text().
  std::pair<size_t, size_t> locate(unsigned line) const;
  /// Rewrites "<anchor>:L:C" prefixes in front-end output to the origin of
  /// line L.
  std::string mapDiagnostics(const std::string &diagnostics) const;

  /// The entry of `kind` named `name`, or null.
  SourceEntry *find(EntryKind kind, const std::string &name);
  /// The last entry of `kind`, or null.
  const SourceEntry *last(EntryKind kind) const;

  std::vector<SourceEntry> entries;
  /// The path the front end is given: `<stdin>`, or the loaded file so that
  /// its relative data paths resolve as they do for gradc.
  std::string anchor = "<stdin>";
  /// The train block single-line edits change.
  std::string currentTrain;
};

} // namespace gradc::driver

#endif // GRADC_DRIVER_DRIVERREPLSOURCE_H
