# interrupt.py - signal a training run once it has completed an epoch.
# SPDX-License-Identifier: MIT
#
# usage: interrupt.py INT|TERM HISTORY.csv COMMAND...
# Starts COMMAND, waits until HISTORY.csv holds at least one epoch row (the
# trainer rewrites it during the run), sends the signal and prints the exit
# status. Output of COMMAND passes through. Gives up after 60 s either way.
import signal
import subprocess
import sys
import time

name, history, command = sys.argv[1], sys.argv[2], sys.argv[3:]


def epoch_rows(path):
    try:
        with open(path) as f:
            return len(f.read().splitlines()) - 1
    except OSError:
        return 0


def default_signals():
    # A shell's background job, and so possibly this script, starts with
    # SIGINT ignored, which the trainer respects; the run under test must
    # see the signal as a terminal's Ctrl-C would deliver it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


process = subprocess.Popen(command, preexec_fn=default_signals)
deadline = time.monotonic() + 60
while epoch_rows(history) < 1 and process.poll() is None:
    if time.monotonic() > deadline:
        process.kill()
        sys.exit("interrupt.py: no epoch in the history after 60 s")
    time.sleep(0.02)
time.sleep(0.2)
process.send_signal(getattr(signal, "SIG" + name))
try:
    status = process.wait(timeout=60)
except subprocess.TimeoutExpired:
    process.kill()
    sys.exit("interrupt.py: the run did not stop within 60 s")
sys.stdout.flush()
print(f"exit status {status}")
