# check_clip.py - reads gradi's first :grads table, checks the clip factor.
# SPDX-License-Identifier: MIT
#
# Usage: check_clip.py C. For every parameter the last step clipped (clip
# factor < 1), `clip norm C` must have scaled its gradient to norm C, so
# norm * factor == C. Prints "clipped to C: N parameters" or the offenders.
import sys

threshold = float(sys.argv[1])
rows = []
for line in sys.stdin:
    words = line.split()
    if words and words[0] == "(global)":
        break
    if len(words) == 3 and "." in words[0] and words[0] != "parameter":
        rows.append((words[0], float(words[1]), float(words[2])))
clipped = [(name, norm * scale) for name, norm, scale in rows if scale < 1]
wrong = [(name, value) for name, value in clipped
         if abs(value - threshold) > 1e-3 * threshold]
if clipped and not wrong:
    print("clipped to %g: %d parameters" % (threshold, len(clipped)))
    sys.exit(0)
print("not clipped to %g:" % threshold, wrong or rows)
sys.exit(1)
