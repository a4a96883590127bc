// Options.cpp - parse and check the training command line.
// SPDX-License-Identifier: MIT
//
// Hand-written rather than built on a library: the set is small, and this
// way every message has the runtime's "error: --flag: ..." form.
#include "Options.h"

#include "Error.h"

#include <cassert>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <limits>
#include <map>

namespace gradc::rt {
namespace {

[[noreturn]] void badValue(const std::string &flag, const std::string &what,
                           const std::string &value) {
  throw UserError("",
                  fmt::format("{}: expected {}, got '{}'", flag, what, value));
}

uint64_t parseUnsigned(const std::string &flag, const std::string &value,
                       uint64_t minimum) {
  char *end = nullptr;
  errno = 0;
  unsigned long long parsed = std::strtoull(value.c_str(), &end, 10);
  bool ok = !value.empty() && value[0] != '-' && *end == '\0' &&
            errno != ERANGE && parsed >= minimum;
  if (!ok)
    badValue(flag, minimum ? "a positive integer" : "a non-negative integer",
             value);
  return parsed;
}

/// A count kept as int64_t: a value past its range would turn negative.
int64_t parseCount(const std::string &flag, const std::string &value) {
  uint64_t parsed = parseUnsigned(flag, value, 1);
  if (parsed > uint64_t(std::numeric_limits<int64_t>::max()))
    badValue(flag, "a positive integer below 2^63", value);
  return int64_t(parsed);
}

bool hasSuffix(const std::string &text, const std::string &suffix) {
  return text.size() > suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string withSuffix(const std::string &flag, const std::string &value,
                       const char *a, const char *b) {
  if (!hasSuffix(value, a) && !hasSuffix(value, b))
    badValue(flag, fmt::format("a {} or {} file name", a, b), value);
  return value;
}

NonFiniteKind parseNonFinite(const std::string &value) {
  if (value == "stop")
    return NonFiniteKind::Stop;
  if (value == "skip")
    return NonFiniteKind::Skip;
  if (value == "continue")
    return NonFiniteKind::Continue;
  badValue("--on-nonfinite", "stop, skip or continue", value);
}

std::pair<std::string, float> parseSet(const std::string &value) {
  size_t eq = value.find('=');
  if (eq == std::string::npos || eq == 0)
    badValue("--set", "name=value", value);
  std::string number = value.substr(eq + 1);
  char *end = nullptr;
  double parsed = std::strtod(number.c_str(), &end);
  if (number.empty() || *end != '\0' || !std::isfinite(float(parsed)))
    badValue("--set", "a finite 32-bit number after '='", value);
  return {value.substr(0, eq), float(parsed)};
}

using Setter = std::function<void(Options &, const std::string &)>;

const std::map<std::string, Setter> &valueOptions() {
  static const std::map<std::string, Setter> table = {
      {"--epochs",
       [](Options &o, const std::string &v) {
         o.epochs = parseCount("--epochs", v);
       }},
      {"--batch",
       [](Options &o, const std::string &v) {
         o.batch = parseCount("--batch", v);
       }},
      {"--seed",
       [](Options &o, const std::string &v) {
         o.seed = parseUnsigned("--seed", v, 0);
       }},
      {"--history",
       [](Options &o, const std::string &v) {
         o.history = withSuffix("--history", v, ".csv", ".json");
       }},
      {"--plot",
       [](Options &o, const std::string &v) {
         o.plot = withSuffix("--plot", v, ".png", ".svg");
       }},
      {"--save", [](Options &o, const std::string &v) { o.save = v; }},
      {"--resume", [](Options &o, const std::string &v) { o.resume = v; }},
      {"--init-from", [](Options &o, const std::string &v) { o.initFrom = v; }},
      {"--on-nonfinite",
       [](Options &o, const std::string &v) {
         o.onNonFinite = parseNonFinite(v);
       }},
      {"--set",
       [](Options &o, const std::string &v) { o.sets.push_back(parseSet(v)); }},
  };
  return table;
}

} // namespace

void applyOption(Options &options, const std::string &name,
                 const std::string &value) {
  auto option = valueOptions().find(name);
  assert(option != valueOptions().end() && "not an option taking a value");
  option->second(options, value);
}

Options parseOptions(int argc, char **argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--quiet" || arg == "-q") {
      options.quiet = true;
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      options.help = true;
      continue;
    }
    size_t eq = arg.find('=');
    std::string name = arg.substr(0, eq);
    auto option = valueOptions().find(name);
    if (option == valueOptions().end())
      throw UserError("", fmt::format("unknown option '{}'", arg));
    if (eq == std::string::npos && i + 1 >= argc)
      throw UserError("", fmt::format("{}: missing value", name));
    std::string value =
        eq == std::string::npos ? argv[++i] : arg.substr(eq + 1);
    applyOption(options, name, value);
  }
  return options;
}

std::string optionsHelp(const std::string &program) {
  return fmt::format(
      "usage: {} [options]\n"
      "  --epochs N                train until epoch N\n"
      "  --batch N                 rows per batch\n"
      "  --seed N                  initialization and shuffling seed\n"
      "  --set name=value          override a hyperparameter (lr, clip...)\n"
      "  --quiet, -q               print only the last epoch, the gradient\n"
      "                            health and the final summary\n"
      "  --history out.csv|.json   per-epoch metrics\n"
      "  --plot out.png|.svg       loss and gradient-norm curves (gnuplot)\n"
      "  --save ckpt.safetensors   checkpoint at the end\n"
      "  --resume ckpt.safetensors continue a saved run\n"
      "  --init-from w.safetensors load parameters by name\n"
      "  --on-nonfinite=stop|skip|continue  on a non-finite loss or "
      "gradient\n",
      program);
}

} // namespace gradc::rt
