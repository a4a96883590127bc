// Options.h - command-line options of a training executable.
// SPDX-License-Identifier: MIT
//
// Each option accepts "--name value" and "--name=value". Values are checked
// here (range, file extension), so the trainer only sees valid settings.
#ifndef GRADC_RUNTIME_OPTIONS_H
#define GRADC_RUNTIME_OPTIONS_H

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gradc::rt {

/// What to do when a step produces a non-finite loss or gradient norm.
enum class NonFiniteKind { Stop, Skip, Continue };

struct Options {
  std::optional<int64_t> epochs;
  std::optional<int64_t> batch;
  std::optional<uint64_t> seed;
  bool quiet = false;
  bool help = false;
  std::string history; ///< .csv or .json
  std::string plot;    ///< .png or .svg
  std::string save;
  std::string resume;
  std::string initFrom;
  NonFiniteKind onNonFinite = NonFiniteKind::Stop;
  std::vector<std::pair<std::string, float>> sets; ///< --set name=value
};

/// Parses argv[1..argc); throws UserError naming the option.
Options parseOptions(int argc, char **argv);

/// Sets the option `name` ("--plot") to `value` with the command line's
/// checks, so another front end (the REPL) takes the same values; throws
/// UserError naming the option.
void applyOption(Options &options, const std::string &name,
                 const std::string &value);

/// The --help text.
std::string optionsHelp(const std::string &program);

} // namespace gradc::rt

#endif // GRADC_RUNTIME_OPTIONS_H
