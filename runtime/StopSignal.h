// StopSignal.h - end a file-mode training run cleanly on SIGINT or SIGTERM.
// SPDX-License-Identifier: MIT
//
// While a StopSignal is alive, the first SIGINT or SIGTERM only sets a flag
// (RunSettings::stop), so the trainer ends after the current step and the
// run's outputs are written up to the last full epoch. The handler is
// installed with SA_RESETHAND: a second signal of the same kind gets the
// default action and ends the process at once. The previous handlers come
// back when the StopSignal is destroyed.
#ifndef GRADC_RUNTIME_STOPSIGNAL_H
#define GRADC_RUNTIME_STOPSIGNAL_H

#include <csignal>

namespace gradc::rt {

class StopSignal {
public:
  StopSignal();
  ~StopSignal();
  StopSignal(const StopSignal &) = delete;
  StopSignal &operator=(const StopSignal &) = delete;

  /// Non-zero once a signal arrived; for RunSettings::stop.
  const volatile sig_atomic_t *flag() const;

  /// The signal that arrived (SIGINT or SIGTERM), or 0.
  int received() const;

private:
  struct sigaction previousInt = {};
  struct sigaction previousTerm = {};
};

/// The name of a stop signal for messages: "SIGINT" or "SIGTERM".
const char *signalName(int signal);

} // namespace gradc::rt

#endif // GRADC_RUNTIME_STOPSIGNAL_H
