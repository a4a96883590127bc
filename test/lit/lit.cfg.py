# lit.cfg.py - lit configuration for gradc's FileCheck tests.
# SPDX-License-Identifier: MIT
import os
import subprocess
import lit.formats

config.name = "gradc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".model", ".gir", ".test", ".c"]
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(
    os.path.dirname(config.gradc_bin_dir), "test", "lit")

config.environment["PATH"] = os.pathsep.join(
    [config.gradc_bin_dir, config.llvm_tools_dir,
     config.environment.get("PATH", "/usr/bin:/bin")])
config.environment["HOME"] = config.test_exec_root
config.substitutions.append(("%examples", os.path.join(
    config.gradc_source_dir, "examples")))
config.substitutions.append(("%python", "/usr/bin/python3"))
config.substitutions.append(("%gradc_lib", config.gradc_lib_dir))


# Python modules some tests need, from Debian's /usr/bin/python3: a test that
# needs one says `REQUIRES: numpy` or `REQUIRES: torch` and is reported
# UNSUPPORTED where it is missing.
def has_python_module(name):
    probe = "import importlib.util, sys; " \
        f"sys.exit(importlib.util.find_spec('{name}') is None)"
    return subprocess.call(["/usr/bin/python3", "-c", probe],
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL) == 0


for module in ["numpy", "torch"]:
    if has_python_module(module):
        config.available_features.add(module)
