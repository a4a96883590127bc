// DriverMain.cpp - out of memory as a user error of the tool.
// SPDX-License-Identifier: MIT
//
// LLVM's handler runs where the allocation failed, with nothing unwound, so
// it writes a fixed message with write(2), allocating nothing, and leaves
// with _Exit. A std::bad_alloc is caught in main after the stack has been
// unwound and its memory freed, so it is printed as any other error.

#include "driver/DriverMain.h"

#include "driver/DriverFrontend.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <unistd.h>

using namespace gradc;

static constexpr const char *OutOfMemory = ": error: out of memory\n";

/// LLVM's bad-alloc handler; `tool` is the tool's name.
[[noreturn]] static void exitOutOfMemory(void *tool, const char *, bool) {
  const char *name = static_cast<const char *>(tool);
  ssize_t ignored = ::write(STDERR_FILENO, name, std::strlen(name));
  ignored = ::write(STDERR_FILENO, OutOfMemory, std::strlen(OutOfMemory));
  (void)ignored;
  std::_Exit(driver::ExitUserError);
}

int driver::runToolMain(const char *tool, llvm::function_ref<int()> body) {
  llvm::install_bad_alloc_error_handler(exitOutOfMemory,
                                        const_cast<char *>(tool));
  try {
    return body();
  } catch (const std::bad_alloc &) {
    llvm::outs().flush();
    llvm::errs() << tool << OutOfMemory;
    return ExitUserError;
  }
}

void driver::printVersion(const char *tool, llvm::raw_ostream &os) {
  os << tool << " version " << GRADC_VERSION << "\n"
     << "LLVM version " << LLVM_VERSION_STRING << "\n";
}
