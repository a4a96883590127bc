// AtomicFile.cpp - temporary file, fsync, rename.
// SPDX-License-Identifier: MIT
//
// POSIX rename within one file system is atomic: a reader sees the old file
// or the new one, never a truncated mix, even if the process dies midway.
#include "AtomicFile.h"

#include "Error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace gradc::rt {
namespace {

[[noreturn]] void ioError(const std::string &path, const std::string &what,
                          int error) {
  throw UserError(path,
                  fmt::format("cannot {}: {}", what, std::strerror(error)));
}

bool writeAll(int fd, const std::string &bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t wrote = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (wrote < 0 && errno == EINTR)
      continue;
    if (wrote <= 0)
      return false;
    done += size_t(wrote);
  }
  return true;
}

} // namespace

std::string temporaryPathFor(const std::string &path) {
  return fmt::format("{}.tmp{}", path, ::getpid());
}

void commitTemporary(const std::string &from, const std::string &to) {
  int fd = ::open(from.c_str(), O_RDONLY);
  bool synced = fd >= 0 && ::fsync(fd) == 0;
  int error = errno;
  if (fd >= 0)
    ::close(fd);
  if (synced && std::rename(from.c_str(), to.c_str()) == 0)
    return;
  error = synced ? errno : error;
  std::remove(from.c_str());
  ioError(to, "replace the file", error);
}

void writeFileAtomic(const std::string &path, const std::string &bytes) {
  std::string temp = temporaryPathFor(path);
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    ioError(path, "create a temporary file next to it", errno);
  bool wrote = writeAll(fd, bytes);
  int error = errno;
  if (::close(fd) != 0 && wrote) {
    wrote = false;
    error = errno;
  }
  if (!wrote) {
    std::remove(temp.c_str());
    ioError(path, "write the file", error);
  }
  commitTemporary(temp, path);
}

} // namespace gradc::rt
