// DriverReplEngine.cpp - recompile only when the graphs changed.
// SPDX-License-Identifier: MIT
//
// The runtime prints on C stdio while the REPL writes through an LLVM
// stream, so the stream is flushed before every call into the runtime to
// keep the two in order.

#include "driver/DriverReplEngine.h"

#include "ir/Printer.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>

namespace gradc::driver {
namespace {

void printMasked(const ir::Graph *graph, llvm::raw_ostream &os) {
  if (!graph)
    return;
  std::vector<std::pair<ir::Node *, ir::Attr>> saved;
  for (const auto &node : graph->nodes())
    if (node->kind == ir::OpKind::Hyper && node->attrs.count("value")) {
      saved.emplace_back(node.get(), node->attrs["value"]);
      node->attrs["value"] = 0.0;
    }
  ir::printGraph(*graph, os);
  for (auto &[node, value] : saved)
    node->attrs["value"] = value;
}

std::map<std::string, double> hyperValues(const std::string &configJson) {
  std::map<std::string, double> values;
  nlohmann::json config = nlohmann::json::parse(configJson);
  for (const auto &hyper : config["hyper"])
    values[hyper["name"].get<std::string>()] = hyper["value"].get<double>();
  return values;
}

} // namespace

llvm::Error printedError() {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "");
}

std::string graphSignature(const ModelPipeline &pipeline) {
  std::string text;
  llvm::raw_string_ostream os(text);
  for (const ir::Graph *graph :
       {pipeline.train.get(), pipeline.eval.get(), pipeline.predict.get()})
    printMasked(graph, os);
  os << "batch " << pipeline.batch << "\n";
  return text;
}

ReplEngine::~ReplEngine() { gradc_session_destroy(runtime); }

gradc_model ReplEngine::modelFor(const JitModel &compiled,
                                 const ModelPipeline &graphs) const {
  gradc_model model = compiled.model;
  model.config_json = graphs.configJson.c_str();
  return model;
}

llvm::Error ReplEngine::update(const ast::Program &program,
                               const std::string &trainName,
                               llvm::raw_ostream &out) {
  auto built =
      buildModelPipeline(program, PipelineStageKind::Optimized, trainName);
  if (!built)
    return built.takeError();
  auto next = std::make_unique<ModelPipeline>(std::move(*built));
  std::string nextSig = graphSignature(*next);
  if (runtime && jit && nextSig == jitSignature) {
    gradc_model model = modelFor(*jit, *next);
    out.flush();
    if (gradc_session_set_model(runtime, &model))
      return printedError();
  }
  reportChanges(*next, nextSig, out);
  pipeline = std::move(next);
  signature = std::move(nextSig);
  return llvm::Error::success();
}

void ReplEngine::reportChanges(const ModelPipeline &next,
                               const std::string &nextSig,
                               llvm::raw_ostream &out) const {
  if (!pipeline || pipeline->name != next.name)
    return;
  bool compiled = jit && nextSig == jitSignature;
  std::map<std::string, double> before = hyperValues(pipeline->configJson);
  for (const auto &[name, value] : hyperValues(next.configJson)) {
    auto old = before.find(name);
    if (old == before.end() || old->second == value)
      continue;
    out << name << ": " << llvm::format("%g", old->second) << " -> "
        << llvm::format("%g", value);
    out << (compiled ? " (run-time value, no recompile)\n" : "\n");
  }
  if (jit && nextSig != signature && nextSig != jitSignature)
    out << "graph changed: compiles before the next run\n";
}

llvm::Error ReplEngine::compile(bool force, llvm::raw_ostream &out) {
  if (!pipeline)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "error: no train block to compile");
  if (!force && jit && jitSignature == signature)
    return llvm::Error::success();
  auto start = std::chrono::steady_clock::now();
  auto compiled = jitModel(pipeline->graphs(), options);
  if (!compiled)
    return compiled.takeError();
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  out << "compiled " << pipeline->name << " in "
      << llvm::format("%.3f", took.count()) << "s\n";
  gradc_model model = modelFor(**compiled, *pipeline);
  out.flush();
  if (runtime && gradc_session_set_model(runtime, &model))
    return printedError();
  jit = std::move(*compiled);
  jitSignature = signature;
  return llvm::Error::success();
}

llvm::Expected<gradc_session *> ReplEngine::session(llvm::raw_ostream &out) {
  if (llvm::Error err = compile(false, out))
    return std::move(err);
  if (runtime)
    return runtime;
  gradc_model model = modelFor(*jit, *pipeline);
  out.flush();
  runtime = gradc_session_create(&model);
  if (!runtime)
    return printedError();
  return runtime;
}

} // namespace gradc::driver
