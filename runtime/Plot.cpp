// Plot.cpp - generate the gnuplot script and run gnuplot.
// SPDX-License-Identifier: MIT
//
// The data travel inside the script as a named data block, so no data file
// is left behind. gnuplot draws into a temporary file that replaces the
// destination only when gnuplot succeeded.
#include "Plot.h"

#include "AtomicFile.h"
#include "Error.h"

#include <fmt/format.h>

#include <csignal>
#include <cstdio>
#include <sys/wait.h>
#include <unistd.h>

namespace gradc::rt {
namespace {

constexpr const char *gnuplotPath = "/usr/bin/gnuplot";

/// A gnuplot single-quoted string literal.
std::string quoted(const std::string &text) {
  std::string result = "'";
  for (char c : text)
    result += c == '\'' ? std::string("''") : std::string(1, c);
  return result + "'";
}

std::string dataBlock(const History &history) {
  std::string block = "$history << EOD\n";
  for (const EpochRecord &r : history.epochs) {
    block += fmt::format("{} {:.9g} {:.9g}", r.epoch, r.loss,
                         history.hasValidation ? r.valLoss : NAN);
    for (double norm : r.medianNorm)
      block += fmt::format(" {:.9g}", norm);
    block += "\n";
  }
  return block + "EOD\n";
}

std::string normPlot(const History &history) {
  if (history.paramNames.empty())
    return "plot 1/0 notitle\n";
  std::string plot = "plot ";
  for (size_t p = 0; p < history.paramNames.size(); ++p)
    plot += fmt::format("{}$history using 1:{} with linespoints title {}",
                        p ? ", \\\n     " : "", p + 4,
                        quoted(history.paramNames[p]));
  return plot + "\n";
}

} // namespace

std::string plotScript(const std::string &output, bool svg,
                       const History &history) {
  std::string script = dataBlock(history);
  script += svg ? "set terminal svg size 900,900 noenhanced\n"
                : "set terminal pngcairo size 900,900 noenhanced\n";
  script += "set output " + quoted(output) + "\n";
  script += "set multiplot layout 2,1\nset logscale y\nset xlabel 'epoch'\n"
            "set key outside right\nset grid\n";
  script += "set title " + quoted(history.model + ": loss") + "\n";
  script += "plot $history using 1:2 with linespoints title 'loss'";
  script += history.hasValidation
                ? ", $history using 1:3 with linespoints title 'val_loss'\n"
                : "\n";
  script += "set title 'median pre-clip gradient norm per epoch'\n";
  return script + normPlot(history) + "unset multiplot\nset output\n";
}

void writePlot(const std::string &path, const History &history) {
  if (::access(gnuplotPath, X_OK) != 0)
    throw UserError(path, fmt::format("cannot plot: {} is not installed "
                                      "(Debian package gnuplot-nox)",
                                      gnuplotPath));
  std::string temp = temporaryPathFor(path);
  bool svg = path.size() >= 4 && path.compare(path.size() - 4, 4, ".svg") == 0;
  std::string script = plotScript(temp, svg, history);
  // gnuplot draws to its stdout when the output cannot be opened.
  std::string command = fmt::format("{} >/dev/null 2>&1", gnuplotPath);
  // A gnuplot that exits early must fail the write, not kill this process.
  void (*previous)(int) = std::signal(SIGPIPE, SIG_IGN);
  FILE *pipe = ::popen(command.c_str(), "w");
  if (!pipe)
    throw UserError(path, "cannot start gnuplot");
  std::fwrite(script.data(), 1, script.size(), pipe);
  int status = ::pclose(pipe);
  std::signal(SIGPIPE, previous);
  if (status != 0 || ::access(temp.c_str(), R_OK) != 0) {
    std::remove(temp.c_str());
    throw UserError(path, "gnuplot failed to draw the plot");
  }
  commitTemporary(temp, path);
}

} // namespace gradc::rt
