// Plot.h - draw the training history with gnuplot.
// SPDX-License-Identifier: MIT
//
// Two panels: training and validation loss per epoch (log y), and the
// median pre-clip gradient norm of every tracked parameter per epoch (log
// y). The format follows the extension (.png via pngcairo, .svg). gnuplot is
// run as /usr/bin/gnuplot with the script on its standard input.
#ifndef GRADC_RUNTIME_PLOT_H
#define GRADC_RUNTIME_PLOT_H

#include "History.h"

#include <string>

namespace gradc::rt {

/// Writes the plot atomically; throws UserError if gnuplot is missing or
/// fails.
void writePlot(const std::string &path, const History &history);

/// The gnuplot script drawing `history` into `output`.
std::string plotScript(const std::string &output, bool svg,
                       const History &history);

} // namespace gradc::rt

#endif // GRADC_RUNTIME_PLOT_H
