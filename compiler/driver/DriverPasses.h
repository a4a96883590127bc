// DriverPasses.h - the registry of passes that tools can run by name.
// SPDX-License-Identifier: MIT
//
// gradc-opt turns each `--<name>` flag into a lookup here, in command-line
// order, like mlir-opt. A pass may take options after an '=':
// `--sgd=lr=0.1,momentum=0.9`. Registering a pass is one table line in
// DriverPasses.cpp.

#ifndef GRADC_DRIVER_DRIVERPASSES_H
#define GRADC_DRIVER_DRIVERPASSES_H

#include "ir/Graph.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <map>
#include <string>

namespace gradc::driver {

/// The `key=value,key=value` options of one pass flag.
class PassOptions {
public:
  static llvm::Expected<PassOptions> parse(llvm::StringRef text);

  bool has(const std::string &key) const { return values_.count(key); }
  std::string str(const std::string &key, const std::string &fallback) const;
  /// The value as a number; an error when it is not one.
  llvm::Expected<double> real(const std::string &key, double fallback) const;
  /// An error naming the first key not in `known`.
  llvm::Error checkKnown(std::initializer_list<llvm::StringRef> known) const;

private:
  std::map<std::string, std::string> values_;
};

using PassFn = llvm::Error (*)(ir::Graph &, const PassOptions &);

struct PassInfo {
  llvm::StringRef name; ///< the flag without dashes: "autodiff"
  llvm::StringRef help; ///< one line for --help
  PassFn run;
};

/// Every registered pass, in the order the pipeline runs them.
llvm::ArrayRef<PassInfo> registeredPasses();
/// The pass called `name`, or nullptr.
const PassInfo *findPass(llvm::StringRef name);

} // namespace gradc::driver

#endif // GRADC_DRIVER_DRIVERPASSES_H
