// DriverEmit.h - gradc's outputs after the front end.
// SPDX-License-Identifier: MIT
//
// The stages gradc can print (the IR of each pipeline stage) and the
// artifacts it can write (LLVM IR, assembly, object, C header, executable),
// each behind one function so the tool's action table stays one line each.

#ifndef GRADC_DRIVER_DRIVEREMIT_H
#define GRADC_DRIVER_DRIVEREMIT_H

#include "driver/DriverCodegen.h"
#include "driver/DriverPipeline.h"
#include "frontend/AST.h"

#include <string>

namespace gradc::driver {

/// `--emit=ir|grad-ir|opt-ir`: prints the train graph after `stage`, and
/// for opt-ir also the eval and predict graphs.
int emitGraphs(const ast::Program &program, PipelineStageKind stage,
               const std::string &outputPath,
               const std::string &trainModel = "");

/// Runs the whole pipeline and writes the artifact of `kind` to
/// `outputPath`. `trainModel` names the train block ("" for the only one).
int emitCompiled(const ast::Program &program, const CodegenOptions &options,
                 OutputKind kind, const std::string &outputPath,
                 const std::string &trainModel = "");

/// The default output name for `kind` from the input file name:
/// m.model -> m.o, m.s, m.ll, m.h, a.out.
std::string defaultOutputPath(const std::string &inputPath, OutputKind kind);

/// True when `a` and `b` name one file: the same device and inode when
/// both exist, else the same absolute path with `.` and `..` removed.
bool isSameFile(const std::string &a, const std::string &b);

} // namespace gradc::driver

#endif // GRADC_DRIVER_DRIVEREMIT_H
