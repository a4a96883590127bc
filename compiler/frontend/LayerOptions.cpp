// LayerOptions.cpp - layer options, activations, initializers, layer names.
// SPDX-License-Identifier: MIT
//
// Every layer option is one entry of a table from its key to the code that
// reads and range-checks its value; positional values are routed here too,
// under the key of their slot. Unnamed layers get the Keras-style names
// dense_1, dense_2, conv2d_1, ... counted per kind within a model.

#include "frontend/ASTBuilder.h"

#include <functional>
#include <map>

using namespace gradc;
using namespace gradc::frontend;
using ast::ActivationKind;

static const std::vector<std::pair<std::string, ActivationKind>> &
activationTable() {
  static const std::vector<std::pair<std::string, ActivationKind>> table = {
      {"linear", ActivationKind::Linear},
      {"relu", ActivationKind::Relu},
      {"leaky_relu", ActivationKind::LeakyRelu},
      {"elu", ActivationKind::Elu},
      {"selu", ActivationKind::Selu},
      {"sigmoid", ActivationKind::Sigmoid},
      {"tanh", ActivationKind::Tanh},
      {"softmax", ActivationKind::Softmax},
  };
  return table;
}

std::optional<ast::Activation> ASTBuilder::activation(const Value &v) {
  std::vector<std::string> names;
  for (const auto &[name, kind] : activationTable()) {
    names.push_back(name);
    if (name != v.text || v.kind == ValueKind::Number)
      continue;
    ast::Activation act{kind, 0};
    if (kind == ActivationKind::LeakyRelu)
      act.alpha = 0.2;
    if (kind == ActivationKind::Elu)
      act.alpha = 1.0;
    if (v.kind != ValueKind::Call)
      return act;
    if (act.alpha == 0) {
      read.error(v, "activation '" + name + "' takes no argument");
      return std::nullopt;
    }
    std::optional<double> alpha = read.number(v.items[0], "alpha");
    if (!alpha)
      return std::nullopt;
    if (*alpha < 0) {
      read.error(v.items[0], "alpha must be >= 0, found " + v.items[0].text);
      return std::nullopt;
    }
    act.alpha = *alpha;
    return act;
  }
  if (v.kind != ValueKind::Name && v.kind != ValueKind::Call) {
    read.error(v, "expected an activation, found " + v.describe());
    return std::nullopt;
  }
  read.unknown(v, "activation", names);
  return std::nullopt;
}

std::optional<std::string> ASTBuilder::initializer(const Value &v) {
  static const std::vector<std::string> names = {
      "glorot_uniform", "he_uniform", "he_normal",  "lecun_normal",
      "zeros",          "ones",       "orthogonal", "uniform"};
  std::optional<std::string> name = read.name(v, "an initializer");
  if (!name)
    return std::nullopt;
  if (std::find(names.begin(), names.end(), *name) != names.end())
    return name;
  read.unknown(v, "initializer", names);
  return std::nullopt;
}

/// Reads a dropout rate in [0, 1).
static std::optional<double> dropoutRate(ValueReader &read, const Value &v) {
  std::optional<double> rate = read.number(v, "the dropout rate");
  if (!rate)
    return std::nullopt;
  if (*rate >= 0 && *rate < 1)
    return rate;
  read.error(v, "dropout rate must be in [0, 1), found " + v.text);
  return std::nullopt;
}

void ASTBuilder::applyLayerOption(ast::Layer &layer, const Arg &arg) {
  using ast::Layer;
  using Setter = std::function<void(const Value &)>;
  // Setters by field type: each reads, range-checks and stores one value.
  auto count = [&](const char *what, int64_t Layer::*field) -> Setter {
    return [&, what, field](const Value &v) {
      if (auto n = read.integer(v, what, 1))
        layer.*field = *n;
    };
  };
  auto extent = [&](const char *what, ast::Extent2 Layer::*field) -> Setter {
    return [&, what, field](const Value &v) {
      if (auto e = read.extent(v, what))
        layer.*field = *e;
    };
  };
  auto flag = [&](const char *what, bool Layer::*field) -> Setter {
    return [&, what, field](const Value &v) {
      if (auto b = read.boolean(v, what))
        layer.*field = *b;
    };
  };
  auto init = [&](std::string Layer::*field) -> Setter {
    return [&, field](const Value &v) {
      if (auto i = initializer(v))
        layer.*field = *i;
    };
  };

  const std::map<std::string, Setter> setters = {
      {"units", count("the number of units", &Layer::units)},
      {"filters", count("the number of filters", &Layer::units)},
      {"vocab", count("the vocabulary size", &Layer::vocab)},
      {"dim", count("the embedding size", &Layer::dim)},
      {"kernel", extent("the kernel size", &Layer::kernel)},
      {"stride", extent("the stride", &Layer::stride)},
      {"pool", extent("the pool size", &Layer::pool)},
      {"use_bias", flag("use_bias", &Layer::useBias)},
      {"trainable", flag("trainable", &Layer::trainable)},
      {"return_sequences", flag("return_sequences", &Layer::returnSequences)},
      {"init", init(&Layer::kernelInit)},
      {"kernel_init", init(&Layer::kernelInit)},
      {"bias_init", init(&Layer::biasInit)},
      {"recurrent_init", init(&Layer::recurrentInit)},
      {"padding", [&](const Value &v) { setPadding(layer, v); }},
      {"rate",
       [&](const Value &v) {
         if (auto r = dropoutRate(read, v))
           layer.rate = *r;
       }},
      {"activation",
       [&](const Value &v) {
         if (auto a = activation(v))
           layer.activation = *a;
       }},
      {"vectors",
       [&](const Value &v) {
         if (auto s = read.string(v, "the vectors file"))
           layer.vectorsFile = resolvePath(*s);
       }},
  };
  auto it = setters.find(arg.key);
  assert(it != setters.end() && "layer table names an option with no setter");
  it->second(arg.value);
}

void ASTBuilder::setPadding(ast::Layer &layer, const Value &v) {
  if (!isPaddingWord(v)) {
    read.error(v, "expected valid or same for padding, found " + v.describe());
    return;
  }
  layer.padding =
      v.text == "same" ? ast::PaddingKind::Same : ast::PaddingKind::Valid;
}

void ASTBuilder::nameLayers(ast::ModelDecl &model) {
  std::map<ast::LayerKind, int> counters;
  std::map<std::string, const ast::Layer *> byName;
  for (ast::Layer &layer : model.layers) {
    // The n-th layer of a kind is <kind>_n even when others are named, so
    // naming one layer never renames another.
    int position = ++counters[layer.kind];
    if (layer.name.empty())
      layer.name = std::string(autoNamePrefix(layer.kind)) + "_" +
                   std::to_string(position);
    auto [it, inserted] = byName.emplace(layer.name, &layer);
    if (inserted)
      continue;
    diags.error(layer.loc, "duplicate layer name '" + layer.name +
                               "' in model '" + model.name + "'");
    diags.note(it->second->loc, "'" + layer.name + "' first used here");
  }
}
