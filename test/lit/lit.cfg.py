# lit.cfg.py - lit configuration for gradc's FileCheck tests.
# SPDX-License-Identifier: MIT
import os
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
