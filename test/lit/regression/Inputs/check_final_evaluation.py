# check_final_evaluation.py - compare the runtime's final evaluation with numpy.
# SPDX-License-Identifier: MIT
#
# Reads the "final" entry of a JSON history and the saved checkpoint, runs the
# regression MLP forward in float64 with numpy on the training and the
# validation CSV, and prints both MSEs with their relative differences. The
# runtime evaluates in f32, so agreement is expected to about 1e-5.
#
# Usage: check_final_evaluation.py HISTORY_JSON CHECKPOINT TRAIN_CSV VAL_CSV
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "conformance"))
import gradc_files  # noqa: E402

RTOL = 1e-5


def main():
    history_path, checkpoint, train_csv, val_csv = sys.argv[1:5]
    with open(history_path) as f:
        final = json.load(f)["final"]
    params, _ = gradc_files.read_safetensors(checkpoint)
    ok = True
    for key, path in [("loss", train_csv), ("val_loss", val_csv)]:
        x, y = gradc_files.read_csv_data(path)
        expected = gradc_files.mlp_mse(params, x, y)
        error = abs(final[key] - expected) / abs(expected)
        verdict = "agrees" if error <= RTOL else "DIFFERS"
        ok = ok and error <= RTOL
        print(f"{key}: runtime {final[key]:.6g} numpy {expected:.6g} "
              f"{verdict} (relative {error:.1e})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
