// DriverReplInput.h - where a gradi session's lines come from.
// SPDX-License-Identifier: MIT
//
// On a terminal, lines are read with libedit: a prompt (`gradi> `, and
// `...> ` inside an open block), history kept in ~/.gradi_history and
// recalled with the arrow keys, tab completion of keywords, layer kinds,
// commands and the current layer names. Otherwise lines are read from
// stdin as they are, without prompts, so scripts and tests can drive the
// session. Ctrl-C stops a running :train after its current step (and at
// the prompt drops the line); Ctrl-D ends the session.

#ifndef GRADC_DRIVER_DRIVERREPLINPUT_H
#define GRADC_DRIVER_DRIVERREPLINPUT_H

#include "driver/DriverReplSession.h"

#include <csignal>
#include <istream>

namespace gradc::driver {

/// Set to 1 by the SIGINT handler of installInterruptHandler.
extern volatile sig_atomic_t replInterrupted;

/// Makes SIGINT set replInterrupted; blocking reads return (no restart).
void installInterruptHandler();

/// Reads `session`'s lines from the terminal until :quit or Ctrl-D.
int runInteractive(ReplSession &session);

/// Reads `session`'s lines from `in`; exit status 1 when a line failed.
int runScript(ReplSession &session, std::istream &in);

} // namespace gradc::driver

#endif // GRADC_DRIVER_DRIVERREPLINPUT_H
