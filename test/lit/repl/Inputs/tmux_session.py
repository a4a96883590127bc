# tmux_session.py - drives gradi on a real terminal inside a private tmux.
# SPDX-License-Identifier: MIT
#
# Usage: tmux_session.py GRADI EXAMPLES WORKDIR. Starts a tmux server on a
# socket in WORKDIR, runs gradi there with HOME=WORKDIR, types a session
# key by key and prints what the terminal showed, for FileCheck: the
# prompts, Ctrl-C dropping an open block, a line recalled with the up
# arrow, a :train stopped with Ctrl-C, tab completion and the exit after
# Ctrl-D. Fails (status 1) when the screen does not reach
# an expected state within the time limit.
import os
import subprocess
import sys
import time

gradi, examples, work = sys.argv[1:4]
socket = os.path.join(work, "tmux.sock")


def tmux(*args):
    result = subprocess.run(["tmux", "-S", socket] + list(args),
                            capture_output=True, text=True)
    return result.stdout


def screen():
    return tmux("capture-pane", "-p", "-S", "-", "-t", "repl")


def wait_for(text, seconds=120, count=1):
    deadline = time.time() + seconds
    while time.time() < deadline:
        shown = screen()
        if shown.count(text) >= count:
            return shown
        time.sleep(0.05)
    sys.stdout.write(screen())
    sys.exit("timed out waiting for %r" % text)


def wait_for_prompt(prompt="gradi>"):
    """Waits until the last line on the screen is an empty prompt."""
    deadline = time.time() + 120
    while time.time() < deadline:
        lines = [line for line in screen().splitlines() if line.strip()]
        if lines and lines[-1].strip() == prompt:
            return
        time.sleep(0.05)
    sys.stdout.write(screen())
    sys.exit("timed out waiting for an empty %r prompt" % prompt)


def type_line(line):
    tmux("send-keys", "-t", "repl", "-l", line)
    tmux("send-keys", "-t", "repl", "Enter")


command = ("cd %s && HOME=%s %s; echo \"gradi exited with status $?\"; "
           "sleep 30" % (work, work, gradi))
tmux("-f", "/dev/null", "start-server", ";", "set-option", "-g",
     "history-limit", "100000", ";", "new-session", "-d", "-s", "repl", "-x",
     "150", "-y", "60", command)
try:
    wait_for("gradi>")
    for line in ["model regression {", "  input [20]",
                 "  dense 25 relu init=he_uniform", "  dense 1", "}",
                 "train regression {",
                 '  data csv "%s/regression/train.csv" target=y' % examples,
                 "  loss mse", "  optimizer sgd lr=0.01 momentum=0.9",
                 "  clip norm 1.0", "}"]:
        type_line(line)
    # Ctrl-C at the prompt drops an open block.
    type_line("model broken {")
    wait_for_prompt("...>")
    tmux("send-keys", "-t", "repl", "C-c")
    wait_for_prompt()
    # A line recalled with the up arrow runs again.
    type_line(":show")
    wait_for("dense_2")
    tmux("send-keys", "-t", "repl", "Up")
    tmux("send-keys", "-t", "repl", "Enter")
    wait_for("gradi> :show", count=2)
    # Ctrl-C stops a long run after the current step.
    type_line(":train 10000000")
    wait_for("/10000000  loss")
    tmux("send-keys", "-t", "repl", "C-c")
    wait_for("interrupted in epoch")
    # Tab completes a command.
    tmux("send-keys", "-t", "repl", "-l", ":gra")
    tmux("send-keys", "-t", "repl", "Tab")
    tmux("send-keys", "-t", "repl", "Enter")
    wait_for("(global)")
    tmux("send-keys", "-t", "repl", "C-d")
    wait_for("gradi exited with status")
    sys.stdout.write(screen())
finally:
    tmux("kill-server")
