// Error.h - the one error kind of the runtime: a user error with its message.
// SPDX-License-Identifier: MIT
//
// Everything the runtime reports to a user (bad options, bad data files,
// unreadable checkpoints) is thrown as a UserError carrying the complete
// diagnostic line ("path:line: error: message" or "error: message") and
// caught once, in gradc_train_main, which prints it and returns ExitUserError.
// Invariants of the runtime itself are asserts, never UserErrors. Running
// out of memory (std::bad_alloc) is caught at the same places and reported
// as OutOfMemoryMessage, also with ExitUserError: a model or data set too
// large for the machine is a user's problem, not a crash.
#ifndef GRADC_RUNTIME_ERROR_H
#define GRADC_RUNTIME_ERROR_H

#include <fmt/format.h>

#include <new>
#include <stdexcept>
#include <string>

namespace gradc::rt {

/// Process exit statuses of a training executable. A run stopped by a
/// signal exits with ExitSignalBase plus the signal number, as a shell
/// reports it: 130 for SIGINT, 143 for SIGTERM.
enum ExitKind : int {
  ExitOk = 0,
  ExitUserError = 1,
  ExitDiverged = 3,
  ExitSignalBase = 128
};

/// What the C entry points print when an allocation fails.
inline constexpr const char *OutOfMemoryMessage =
    "error: out of memory: the parameters, optimizer state, data and step "
    "buffers must fit in this machine's memory";

/// A diagnostic for the user; what() is the full line to print.
class UserError : public std::runtime_error {
public:
  /// `where` is a file ("path" or "path:line") or empty for no location.
  UserError(const std::string &where, const std::string &message)
      : std::runtime_error(where.empty()
                               ? fmt::format("error: {}", message)
                               : fmt::format("{}: error: {}", where, message)) {
  }
};

} // namespace gradc::rt

#endif // GRADC_RUNTIME_ERROR_H
