// DriverCodegen.cpp - JIT and AOT entry points for the gradc tools.
// SPDX-License-Identifier: MIT
//
// Both paths run the same three stages (lower, optimize, machine code) and
// time them for --time-compile. The executable path writes the object to a
// temporary file and links it with the runtime archive through the system
// C++ driver, which knows the platform's start files and C++ library.

#include "driver/DriverCodegen.h"

#include "codegen/Emit.h"
#include "codegen/JitEngine.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <chrono>
#include <cstdlib>

using namespace llvm;

namespace gradc::driver {

using codegen::CompileTimes;

JitModel::~JitModel() = default;

namespace {
Error driverError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}

/// Seconds since `start`, and restarts it.
double lap(std::chrono::steady_clock::time_point &start) {
  auto now = std::chrono::steady_clock::now();
  double seconds = std::chrono::duration<double>(now - start).count();
  start = now;
  return seconds;
}

struct Compiled {
  std::unique_ptr<LLVMContext> context;
  std::unique_ptr<TargetMachine> target;
  std::unique_ptr<Module> module;
  CompileTimes times;
};

Expected<Compiled> compile(const ModelGraphs &model,
                           const CodegenOptions &options, bool withMain) {
  Compiled c;
  auto clock = std::chrono::steady_clock::now();
  auto target = codegen::createTargetMachine(options);
  if (!target)
    return target.takeError();
  c.target = std::move(*target);
  c.context = std::make_unique<LLVMContext>();
  auto module = codegen::lowerModel(model, *c.context, *c.target);
  if (!module)
    return module.takeError();
  c.module = std::move(*module);
  if (withMain)
    codegen::addTrainMain(*c.module, model.name);
  c.times.lowering = lap(clock);
  codegen::optimizeModule(*c.module, *c.target, options.optLevel);
  c.times.optimization = lap(clock);
  return std::move(c);
}

Error writeTo(StringRef path, function_ref<Error(raw_pwrite_stream &)> write) {
  if (path == "-")
    return write(outs());
  std::error_code ec;
  raw_fd_ostream out(path, ec, sys::fs::OF_None);
  if (ec)
    return driverError("cannot write '" + path + "': " + ec.message());
  return write(out);
}

std::string runtimeArchive() {
  if (const char *dir = std::getenv("GRADC_RUNTIME_LIB"))
    return (Twine(dir) + "/libgradc_runtime.a").str();
  SmallString<256> path(sys::fs::getMainExecutable(nullptr, nullptr));
  sys::path::remove_filename(path);
  sys::path::append(path, "..", "lib", "libgradc_runtime.a");
  return std::string(path);
}

Error link(StringRef object, StringRef output) {
  auto cxx = sys::findProgramByName("c++");
  if (!cxx)
    return driverError("cannot find the system C++ compiler 'c++' to link");
  std::string archive = runtimeArchive();
  if (!sys::fs::exists(archive))
    return driverError("runtime library not found: " + archive);
  SmallVector<StringRef, 12> args{*cxx, object, "-o", output, archive,
                                  "-lz", "-lfmt", "-lm"};
  std::string message;
  int status = sys::ExecuteAndWait(*cxx, args, std::nullopt, {}, 0, 0,
                                   &message);
  if (status != 0)
    return driverError("linking '" + output + "' failed" +
                       (message.empty() ? "" : ": " + message));
  return Error::success();
}

Error emitExecutable(Compiled &c, StringRef path) {
  SmallString<128> object;
  int fd;
  if (std::error_code ec =
          sys::fs::createTemporaryFile("gradc-model", "o", fd, object))
    return driverError("cannot create a temporary object: " + ec.message());
  FileRemover remover(object);
  {
    raw_fd_ostream out(fd, true);
    if (Error err =
            codegen::emitMachineCode(*c.module, *c.target, false, out))
      return err;
  }
  return link(object, path);
}
} // namespace

Error emitArtifact(const ModelGraphs &model, const CodegenOptions &options,
                   OutputKind kind, StringRef path) {
  if (kind == OutputKind::Header)
    return writeTo(path, [&](raw_pwrite_stream &out) {
      out << codegen::headerText(model);
      return Error::success();
    });
  auto compiled = compile(model, options, kind == OutputKind::Executable);
  if (!compiled)
    return compiled.takeError();
  auto clock = std::chrono::steady_clock::now();
  Error err = Error::success();
  if (kind == OutputKind::LLVMIR) {
    err = writeTo(path, [&](raw_pwrite_stream &out) {
      compiled->module->print(out, nullptr);
      return Error::success();
    });
  } else if (kind == OutputKind::Executable) {
    err = emitExecutable(*compiled, path);
  } else {
    err = writeTo(path, [&](raw_pwrite_stream &out) {
      return codegen::emitMachineCode(*compiled->module, *compiled->target,
                                      kind == OutputKind::Assembly, out);
    });
  }
  compiled->times.machineCode = lap(clock);
  if (options.timeCompile)
    compiled->times.print(errs());
  return err;
}

Expected<std::unique_ptr<JitModel>> jitModel(const ModelGraphs &model,
                                             const CodegenOptions &options) {
  auto compiled = compile(model, options, false);
  if (!compiled)
    return compiled.takeError();
  auto clock = std::chrono::steady_clock::now();
  auto engine = codegen::JitEngine::create(options);
  if (!engine)
    return engine.takeError();
  if (Error err = (*engine)->addModule(std::move(compiled->module),
                                       std::move(compiled->context)))
    return std::move(err);
  auto address = (*engine)->lookup(model.name + "_model");
  if (!address)
    return address.takeError();
  auto result = std::make_unique<JitModel>();
  result->model = *static_cast<const gradc_model *>(*address);
  result->engine = std::move(*engine);
  compiled->times.machineCode = lap(clock);
  if (options.timeCompile)
    compiled->times.print(errs());
  return std::move(result);
}

bool parseOptLevel(StringRef text, unsigned &level) {
  if (text.size() != 1 || text[0] < '0' || text[0] > '3')
    return false;
  level = unsigned(text[0] - '0');
  return true;
}

} // namespace gradc::driver
