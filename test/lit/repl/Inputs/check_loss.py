# check_loss.py - reads gradi output, checks the last run's loss falls.
# SPDX-License-Identifier: MIT
#
# Takes the epoch lines ("epoch K/N  loss X ...") printed after the last
# "compiled" or reset marker given as argv[1], and prints one line FileCheck
# can match: "loss falls: first -> last" when the last epoch's loss is below
# a tenth of the first and no epoch is above the first, else "loss does not
# fall" with the values.
import re
import sys

marker = sys.argv[1]
text = sys.stdin.read()
text = text[text.rfind(marker):] if marker in text else text
losses = [float(m.group(1))
          for m in re.finditer(r"^epoch \d+/\d+  loss (\S+)", text, re.M)]
falls = len(losses) >= 2 and losses[-1] < losses[0] / 10
if falls and max(losses) <= losses[0]:
    print("loss falls over %d epochs: %.3e -> %.3e"
          % (len(losses), losses[0], losses[-1]))
    sys.exit(0)
print("loss does not fall:", losses)
sys.exit(1)
