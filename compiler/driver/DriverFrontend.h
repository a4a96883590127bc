// DriverFrontend.h - driver code shared by the tools for the front end.
// SPDX-License-Identifier: MIT
//
// The tools (gradc, gradi) read a .model file the same way: -D overrides
// are split into name and value, the front end runs, and each action gets
// the checked program. Exit statuses are named here once.

#ifndef GRADC_DRIVER_DRIVERFRONTEND_H
#define GRADC_DRIVER_DRIVERFRONTEND_H

#include "frontend/AST.h"
#include "frontend/Frontend.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace gradc::driver {

/// Process exit statuses of the tools.
enum ExitStatus : int {
  ExitSuccess = 0,
  ExitUserError = 1, ///< diagnostics were printed
};

/// Splits each `name=value` of -D into an override; reports a malformed
/// one on `errs` and fails.
llvm::Expected<frontend::ParamOverrides>
parseDefines(const std::vector<std::string> &defines, llvm::raw_ostream &errs);

/// Reads and checks `path` with the -D `defines`; diagnostics go to errs.
llvm::Expected<ast::Program>
loadModelFile(const std::string &path, const std::vector<std::string> &defines,
              llvm::raw_ostream &errs);

/// Checks the --train choice `requested` against the train blocks of
/// `program`: a named model needs a train block, and without a name the
/// file may have only one. Reports on `errs` (the second block's position
/// when there are several) and fails.
llvm::Error checkTrainChoice(const ast::Program &program,
                             const std::string &requested,
                             llvm::raw_ostream &errs);

/// `--emit=ast`: prints the checked program.
int emitAST(const ast::Program &program, llvm::raw_ostream &os);

} // namespace gradc::driver

#endif // GRADC_DRIVER_DRIVERFRONTEND_H
