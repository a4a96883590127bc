// DriverEmit.cpp - prints pipeline stages and writes compiled artifacts.
// SPDX-License-Identifier: MIT

#include "driver/DriverEmit.h"
#include "driver/DriverFrontend.h"

#include "ir/Printer.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace gradc::driver {
namespace {

int reportError(llvm::Error err) {
  llvm::errs() << "gradc: error: " << llvm::toString(std::move(err)) << "\n";
  return ExitUserError;
}

void printGraphs(const ModelPipeline &pipeline, llvm::raw_ostream &os) {
  for (const ir::Graph *graph :
       {pipeline.train.get(), pipeline.eval.get(), pipeline.predict.get()}) {
    if (!graph)
      continue;
    ir::printGraph(*graph, os);
  }
}

} // namespace

int emitGraphs(const ast::Program &program, PipelineStageKind stage,
               const std::string &outputPath,
               const std::string &trainModel) {
  auto pipeline = buildModelPipeline(program, stage, trainModel);
  if (!pipeline)
    return reportError(pipeline.takeError());
  if (outputPath.empty() || outputPath == "-") {
    printGraphs(*pipeline, llvm::outs());
    return ExitSuccess;
  }
  std::error_code ec;
  llvm::raw_fd_ostream out(outputPath, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return reportError(llvm::createStringError(
        ec, "cannot write '" + outputPath + "': " + ec.message()));
  printGraphs(*pipeline, out);
  return ExitSuccess;
}

int emitCompiled(const ast::Program &program, const CodegenOptions &options,
                 OutputKind kind, const std::string &outputPath,
                 const std::string &trainModel) {
  auto pipeline = buildModelPipeline(program, PipelineStageKind::Optimized,
                                     trainModel);
  if (!pipeline)
    return reportError(pipeline.takeError());
  if (llvm::Error err =
          emitArtifact(pipeline->graphs(), options, kind, outputPath))
    return reportError(std::move(err));
  return ExitSuccess;
}

std::string defaultOutputPath(const std::string &inputPath, OutputKind kind) {
  llvm::StringRef stem = llvm::sys::path::stem(inputPath);
  switch (kind) {
  case OutputKind::Object:
    return (stem + ".o").str();
  case OutputKind::Assembly:
    return (stem + ".s").str();
  case OutputKind::LLVMIR:
    return (stem + ".ll").str();
  case OutputKind::Header:
    return (stem + ".h").str();
  case OutputKind::Executable:
    return "a.out";
  }
  return "a.out";
}

bool isSameFile(const std::string &a, const std::string &b) {
  bool same = false;
  if (!llvm::sys::fs::equivalent(a, b, same))
    return same;
  auto normalized = [](const std::string &path) {
    llvm::SmallString<256> full(path);
    llvm::sys::fs::make_absolute(full);
    llvm::sys::path::remove_dots(full, /*remove_dot_dot=*/true);
    return std::string(full);
  };
  return normalized(a) == normalized(b);
}

} // namespace gradc::driver
