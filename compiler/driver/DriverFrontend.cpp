// DriverFrontend.cpp - -D parsing, model loading and the AST action.
// SPDX-License-Identifier: MIT
//
// Front-end failures are user errors whose diagnostics are already printed;
// the Error values returned here only carry that fact to the tool's main.

#include "driver/DriverFrontend.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

using namespace gradc;
using namespace gradc::driver;

llvm::Expected<frontend::ParamOverrides>
driver::parseDefines(const std::vector<std::string> &defines,
                     llvm::raw_ostream &errs) {
  frontend::ParamOverrides overrides;
  for (const std::string &define : defines) {
    auto [name, value] = llvm::StringRef(define).split('=');
    if (name.empty() || name.size() == define.size()) {
      errs << "<command line>: error: -D" << define
           << " needs the form -Dname=value\n";
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "malformed -D");
    }
    overrides.emplace_back(name.str(), value.str());
  }
  return overrides;
}

llvm::Expected<ast::Program>
driver::loadModelFile(const std::string &path,
                      const std::vector<std::string> &defines,
                      llvm::raw_ostream &errs) {
  frontend::FrontendOptions options;
  llvm::Expected<frontend::ParamOverrides> overrides =
      parseDefines(defines, errs);
  if (!overrides)
    return overrides.takeError();
  options.overrides = std::move(*overrides);
  return frontend::loadProgram(path, options, errs);
}

int driver::emitAST(const ast::Program &program, llvm::raw_ostream &os) {
  ast::dumpProgram(program, os);
  return ExitSuccess;
}
