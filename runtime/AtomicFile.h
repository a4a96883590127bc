// AtomicFile.h - replace a file with new contents all at once, or not at all.
// SPDX-License-Identifier: MIT
//
// The bytes go to a temporary file in the destination's directory, which is
// flushed to disk (fsync) and then renamed over the destination. A failure at
// any point removes the temporary and leaves an existing file untouched.
#ifndef GRADC_RUNTIME_ATOMICFILE_H
#define GRADC_RUNTIME_ATOMICFILE_H

#include <string>

namespace gradc::rt {

/// Writes `bytes` to `path` atomically; throws UserError on failure.
void writeFileAtomic(const std::string &path, const std::string &bytes);

/// A temporary name next to `path` (same directory, so rename is atomic).
std::string temporaryPathFor(const std::string &path);

/// Renames `from` over `to`, fsyncing first; removes `from` and throws
/// UserError on failure.
void commitTemporary(const std::string &from, const std::string &to);

} // namespace gradc::rt

#endif // GRADC_RUNTIME_ATOMICFILE_H
