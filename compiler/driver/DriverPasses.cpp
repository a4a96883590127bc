// DriverPasses.cpp - the pass table and the adapters from flags to configs.
// SPDX-License-Identifier: MIT
//
// Each adapter reads a pass's options into its config struct and calls the
// pass's free function. Options fall back to the defaults of the config
// struct, so `--sgd` alone is plain SGD with the default learning rate.

#include "driver/DriverPasses.h"

#include "passes/Autodiff.h"
#include "passes/Clip.h"
#include "passes/Optimizer.h"
#include "passes/Simplify.h"

#include "llvm/ADT/StringExtras.h"

namespace gradc::driver {

namespace {
llvm::Error optionError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}
} // namespace

llvm::Expected<PassOptions> PassOptions::parse(llvm::StringRef text) {
  PassOptions options;
  llvm::SmallVector<llvm::StringRef, 4> items;
  text.split(items, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef item : items) {
    auto [key, value] = item.split('=');
    if (key.empty() || !item.contains('='))
      return optionError("pass option '" + item + "' is not key=value");
    options.values_[key.trim().str()] = value.trim().str();
  }
  return options;
}

std::string PassOptions::str(const std::string &key,
                             const std::string &fallback) const {
  auto it = values_.find(key);
  return it == values_.end() ? fallback : it->second;
}

llvm::Expected<double> PassOptions::real(const std::string &key,
                                         double fallback) const {
  auto it = values_.find(key);
  if (it == values_.end())
    return fallback;
  double value;
  if (!llvm::to_float(it->second, value))
    return optionError("pass option '" + key + "' must be a number, got '" +
                       it->second + "'");
  return value;
}

llvm::Error
PassOptions::checkKnown(std::initializer_list<llvm::StringRef> known) const {
  for (const auto &[key, value] : values_)
    if (!llvm::is_contained(known, key))
      return optionError("unknown pass option '" + key + "'");
  return llvm::Error::success();
}

namespace {
// Reads `key` into `out`, keeping `out` as the default.
llvm::Error readReal(const PassOptions &options, const std::string &key,
                     double &out) {
  auto value = options.real(key, out);
  if (!value)
    return value.takeError();
  out = *value;
  return llvm::Error::success();
}

llvm::Error autodiffPass(ir::Graph &graph, const PassOptions &options) {
  if (auto err = options.checkKnown({}))
    return err;
  return passes::runAutodiff(graph);
}

llvm::Error simplifyPass(ir::Graph &graph, const PassOptions &options) {
  if (auto err = options.checkKnown({}))
    return err;
  passes::runSimplify(graph);
  return llvm::Error::success();
}

llvm::Expected<passes::ClipKind> clipKind(const std::string &name) {
  if (name == "none")
    return passes::ClipKind::None;
  if (name == "norm")
    return passes::ClipKind::Norm;
  if (name == "global_norm")
    return passes::ClipKind::GlobalNorm;
  if (name == "value")
    return passes::ClipKind::Value;
  return optionError("clip kind must be none, norm, global_norm or value, "
                     "got '" + name + "'");
}

// `on=<layer>:<kind>[:<c>]+...`: per-layer rules, as `clip ... on <layer>`.
llvm::Error readLayerRules(const PassOptions &options,
                           passes::ClipConfig &cfg) {
  std::string text = options.str("on", "");
  llvm::SmallVector<llvm::StringRef, 4> specs;
  llvm::StringRef(text).split(specs, '+', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef spec : specs) {
    auto [layer, rest] = spec.split(':');
    auto [kindName, threshold] = rest.split(':');
    auto kind = clipKind(kindName.str());
    if (!kind)
      return kind.takeError();
    passes::ClipRule rule{*kind, 0};
    bool needsC = *kind != passes::ClipKind::None;
    if (needsC && (!llvm::to_float(threshold, rule.threshold) ||
                   !(rule.threshold > 0)))
      return optionError("clip override '" + spec +
                         "' needs a threshold > 0 after the kind");
    cfg.layerRules[layer.str()] = rule;
  }
  return llvm::Error::success();
}

llvm::Error clipPass(ir::Graph &graph, const PassOptions &options) {
  if (auto err = options.checkKnown({"kind", "c", "on"}))
    return err;
  passes::ClipConfig cfg;
  auto kind = clipKind(options.str("kind", "norm"));
  if (!kind)
    return kind.takeError();
  cfg.defaultRule.kind = *kind;
  cfg.defaultRule.threshold = 1.0;
  if (auto err = readReal(options, "c", cfg.defaultRule.threshold))
    return err;
  if (*kind != passes::ClipKind::None && !(cfg.defaultRule.threshold > 0))
    return optionError("clip threshold c must be > 0");
  if (auto err = readLayerRules(options, cfg))
    return err;
  passes::runClip(graph, cfg);
  return llvm::Error::success();
}

llvm::Error sgdPass(ir::Graph &graph, const PassOptions &options) {
  if (auto err = options.checkKnown({"lr", "momentum", "nesterov"}))
    return err;
  passes::SgdConfig cfg;
  double nesterov = cfg.nesterov;
  if (auto err = llvm::joinErrors(readReal(options, "lr", cfg.lr),
                                  readReal(options, "momentum", cfg.momentum)))
    return err;
  if (auto err = readReal(options, "nesterov", nesterov))
    return err;
  cfg.nesterov = nesterov != 0;
  passes::runSgd(graph, cfg);
  return llvm::Error::success();
}

llvm::Error adamPass(ir::Graph &graph, const PassOptions &options) {
  if (auto err = options.checkKnown({"lr", "beta1", "beta2", "eps"}))
    return err;
  passes::AdamConfig cfg;
  for (auto [key, slot] : {std::pair{"lr", &cfg.lr}, {"beta1", &cfg.beta1},
                           {"beta2", &cfg.beta2}, {"eps", &cfg.eps}})
    if (auto err = readReal(options, key, *slot))
      return err;
  passes::runAdam(graph, cfg);
  return llvm::Error::success();
}

const PassInfo kPasses[] = {
    {"autodiff", "append the backward pass: grad.<param> outputs",
     autodiffPass},
    {"clip", "clip gradients (kind=none|norm|global_norm|value, c=1.0, "
     "on=<layer>:<kind>[:<c>]+...)",
     clipPass},
    {"sgd", "SGD update (lr, momentum, nesterov)", sgdPass},
    {"adam", "Adam update (lr, beta1, beta2, eps)", adamPass},
    {"simplify", "fold constants, apply identities, CSE and DCE",
     simplifyPass},
};
} // namespace

llvm::ArrayRef<PassInfo> registeredPasses() { return kPasses; }

const PassInfo *findPass(llvm::StringRef name) {
  for (const PassInfo &pass : kPasses)
    if (pass.name == name)
      return &pass;
  return nullptr;
}

} // namespace gradc::driver
