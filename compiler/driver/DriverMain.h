// DriverMain.h - the frame of every tool's main: out of memory is an error.
// SPDX-License-Identifier: MIT
//
// A model too large for the machine is bad input like any other, so the
// tools report `<tool>: error: out of memory` and exit with status 1 instead
// of aborting. Allocation failures arrive two ways: as std::bad_alloc from
// C++ code (front end, passes, interpreter), and through LLVM's bad-alloc
// handler, which LLVM calls instead of throwing because it is built without
// exceptions (InitLLVM also sends a failing `new` there).

#ifndef GRADC_DRIVER_DRIVERMAIN_H
#define GRADC_DRIVER_DRIVERMAIN_H

#include "llvm/ADT/STLFunctionalExtras.h"

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace gradc::driver {

/// Runs `body`, the rest of the main of `tool`, and gives its exit status;
/// running out of memory anywhere in it prints `<tool>: error: out of
/// memory` on stderr and gives status 1 (ExitUserError).
int runToolMain(const char *tool, llvm::function_ref<int()> body);

/// `--version`: the tool's name with gradc's version, then the version of
/// LLVM it was built with.
void printVersion(const char *tool, llvm::raw_ostream &os);

} // namespace gradc::driver

#endif // GRADC_DRIVER_DRIVERMAIN_H
