// DriverFrontend.cpp - -D parsing, model loading and the AST action.
// SPDX-License-Identifier: MIT
//
// Front-end failures are user errors whose diagnostics are already printed;
// the Error values returned here only carry that fact to the tool's main.

#include "driver/DriverFrontend.h"

#include "frontend/Diagnostics.h"

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

llvm::Error driver::checkTrainChoice(const ast::Program &program,
                                     const std::string &requested,
                                     llvm::raw_ostream &errs) {
  std::vector<std::string> names;
  for (const ast::TrainDecl &train : program.trains)
    names.push_back(train.modelName);
  if (!requested.empty() && !program.findTrain(requested)) {
    errs << "<command line>: error: --train " << requested
         << ": no train block for model '" << requested << "'"
         << frontend::didYouMean(requested, names) << "\n";
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "unknown --train");
  }
  if (!requested.empty() || program.trains.size() < 2)
    return llvm::Error::success();
  const ast::TrainDecl &second = program.trains[1];
  errs << second.loc.file << ":" << second.loc.line << ":" << second.loc.col
       << ": error: second train block, for model '" << second.modelName
       << "': choose the one to train with --train <model>\n";
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "several train blocks");
}

int driver::emitAST(const ast::Program &program, llvm::raw_ostream &os) {
  ast::dumpProgram(program, os);
  return ExitSuccess;
}
