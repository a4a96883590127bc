// OutputPaths.cpp - writability and collision checks of the output files.
// SPDX-License-Identifier: MIT
//
// Writability is probed by creating (and removing) the temporary file that
// AtomicFile would use: a directory can look writable (root, or a special
// file system such as /proc) and still refuse new files.
#include "OutputPaths.h"

#include "AtomicFile.h"
#include "Error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace gradc::rt {
namespace {

/// A file named by the run, with the words that describe its role.
struct NamedFile {
  std::string path;
  std::string role; ///< "--history" or "the training data"
};

/// Identifies a file: device and inode when it exists (so links and
/// different spellings agree), else its normalized absolute path.
struct FileIdentity {
  bool exists = false;
  dev_t device = 0;
  ino_t inode = 0;
  std::string normalized;

  bool operator==(const FileIdentity &other) const {
    if (exists != other.exists)
      return false;
    if (exists)
      return device == other.device && inode == other.inode;
    return normalized == other.normalized;
  }
};

FileIdentity identify(const std::string &path) {
  FileIdentity identity;
  struct stat info;
  if (::stat(path.c_str(), &info) == 0) {
    identity.exists = true;
    identity.device = info.st_dev;
    identity.inode = info.st_ino;
    return identity;
  }
  std::error_code error;
  std::filesystem::path resolved =
      std::filesystem::weakly_canonical(std::filesystem::absolute(path), error);
  identity.normalized = error ? std::filesystem::absolute(path)
                                    .lexically_normal()
                                    .string()
                              : resolved.string();
  return identity;
}

std::string directoryOf(const std::string &path) {
  std::string dir = path.substr(0, path.find_last_of('/') + 1);
  return dir.empty() ? "." : dir;
}

/// Fails before any training when the file could not be written afterwards,
/// so a long run is never lost to a typo in a path.
void checkWritable(const NamedFile &output) {
  std::string dir = directoryOf(output.path);
  struct stat info;
  if (::stat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode))
    throw UserError("", fmt::format("{}: directory '{}' does not exist",
                                    output.role, dir));
  bool exists = ::stat(output.path.c_str(), &info) == 0;
  if (exists && S_ISDIR(info.st_mode))
    throw UserError("", fmt::format("{}: '{}' is a directory", output.role,
                                    output.path));
  if (exists && !S_ISREG(info.st_mode))
    throw UserError("", fmt::format("{}: '{}' is not a regular file",
                                    output.role, output.path));
  std::string probe = temporaryPathFor(output.path);
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno != EEXIST)
    throw UserError("", fmt::format("{}: cannot create files in directory "
                                    "'{}': {}",
                                    output.role, dir, std::strerror(errno)));
  if (fd >= 0) {
    ::close(fd);
    ::unlink(probe.c_str());
  }
}

void addSource(const SourceSpec &source, const char *what,
               std::vector<NamedFile> &inputs) {
  for (const std::string *path : {&source.path, &source.images,
                                  &source.labels})
    if (!path->empty())
      inputs.push_back({*path, fmt::format("the {} file", what)});
}

std::vector<NamedFile> inputsOf(const Options &options,
                                const ModelConfig &config) {
  std::vector<NamedFile> inputs;
  if (!config.source.empty())
    inputs.push_back({config.source, "the .model file"});
  addSource(config.data, "training data", inputs);
  addSource(config.validate, "validation data", inputs);
  for (const ParamSpec &param : config.params)
    if (!param.vectorsPath.empty())
      inputs.push_back({param.vectorsPath,
                        fmt::format("the vectors file of {}", param.name)});
  if (!config.initFrom.empty())
    inputs.push_back({config.initFrom, "the model's init_from checkpoint"});
  if (!options.initFrom.empty())
    inputs.push_back({options.initFrom, "the --init-from checkpoint"});
  if (!options.resume.empty())
    inputs.push_back({options.resume, "the --resume checkpoint"});
  return inputs;
}

std::vector<NamedFile> outputsOf(const Options &options) {
  std::vector<NamedFile> outputs;
  if (!options.history.empty())
    outputs.push_back({options.history, "--history"});
  if (!options.plot.empty())
    outputs.push_back({options.plot, "--plot"});
  if (!options.save.empty())
    outputs.push_back({options.save, "--save"});
  return outputs;
}

void checkAgainstInputs(const NamedFile &output,
                        const std::vector<NamedFile> &inputs) {
  FileIdentity target = identify(output.path);
  for (const NamedFile &input : inputs) {
    if (!(identify(input.path) == target))
      continue;
    if (output.role == "--save" && input.role == "the --resume checkpoint")
      continue;
    throw UserError("", fmt::format("{}: '{}' is {}; an output must not "
                                    "overwrite an input",
                                    output.role, output.path, input.role));
  }
}

} // namespace

bool pathExists(const std::string &path) {
  struct stat info;
  return ::stat(path.c_str(), &info) == 0;
}

void checkOutputPaths(const Options &options, const ModelConfig &config) {
  std::vector<NamedFile> outputs = outputsOf(options);
  std::vector<NamedFile> inputs = inputsOf(options, config);
  for (size_t i = 0; i < outputs.size(); ++i) {
    checkWritable(outputs[i]);
    checkAgainstInputs(outputs[i], inputs);
    for (size_t j = 0; j < i; ++j)
      if (identify(outputs[j].path) == identify(outputs[i].path))
        throw UserError("", fmt::format("{} '{}' and {} '{}' name the same "
                                        "file",
                                        outputs[j].role, outputs[j].path,
                                        outputs[i].role, outputs[i].path));
  }
}

} // namespace gradc::rt
