// StopSignal.cpp - the flag-setting SIGINT/SIGTERM handler.
// SPDX-License-Identifier: MIT
//
// The handler only writes a sig_atomic_t, which is async-signal-safe; the
// trainer polls the flag between steps.
#include "StopSignal.h"

namespace gradc::rt {
namespace {

volatile sig_atomic_t stopSignal = 0;

void onStopSignal(int signal) { stopSignal = signal; }

/// Installs the handler unless the signal is ignored: a process started
/// with SIGINT ignored (nohup, a shell's background job) keeps ignoring it.
void install(int signal, struct sigaction &previous) {
  sigaction(signal, nullptr, &previous);
  if (previous.sa_handler == SIG_IGN)
    return;
  struct sigaction action = {};
  action.sa_handler = onStopSignal;
  action.sa_flags = SA_RESETHAND;
  sigemptyset(&action.sa_mask);
  sigaction(signal, &action, &previous);
}

} // namespace

StopSignal::StopSignal() {
  stopSignal = 0;
  install(SIGINT, previousInt);
  install(SIGTERM, previousTerm);
}

StopSignal::~StopSignal() {
  sigaction(SIGINT, &previousInt, nullptr);
  sigaction(SIGTERM, &previousTerm, nullptr);
}

const volatile sig_atomic_t *StopSignal::flag() const { return &stopSignal; }

int StopSignal::received() const { return stopSignal; }

const char *signalName(int signal) {
  return signal == SIGTERM ? "SIGTERM" : "SIGINT";
}

} // namespace gradc::rt
