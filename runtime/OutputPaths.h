// OutputPaths.h - check the files a run will write before it starts.
// SPDX-License-Identifier: MIT
//
// A run reads its data, validation data, model file, vectors and starting
// checkpoint, and writes --history, --plot and --save at the end. Every
// output is checked before training: its directory must accept new files,
// an existing target must be a regular file, and it must not be one of the
// inputs or another output (the same file after resolving links, or the
// same normalized path when it does not exist yet). The one exception is
// --save onto the --resume checkpoint, the usual way to continue a run: the
// checkpoint is read before training and replaced atomically after it.
#ifndef GRADC_RUNTIME_OUTPUTPATHS_H
#define GRADC_RUNTIME_OUTPUTPATHS_H

#include "Config.h"
#include "Options.h"

namespace gradc::rt {

/// Throws UserError naming the option when an output of `options` could
/// not be written or would overwrite an input or another output.
void checkOutputPaths(const Options &options, const ModelConfig &config);

/// Whether `path` names an existing file system entry.
bool pathExists(const std::string &path);

} // namespace gradc::rt

#endif // GRADC_RUNTIME_OUTPUTPATHS_H
