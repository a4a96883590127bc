// History.cpp - history files and the per-epoch console line.
// SPDX-License-Identifier: MIT
//
// Numbers are written with 9 significant digits, enough to read back the
// f32 values exactly.
#include "History.h"

#include "AtomicFile.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>

using nlohmann::json;

namespace gradc::rt {
namespace {

/// `v` with the sign of a NaN cleared, so a NaN prints "nan" as in Keras; the
/// NaN that 0 * inf or inf - inf produces on x86 has its sign bit set.
double unsignedNaN(double v) { return std::isnan(v) ? std::fabs(v) : v; }

using Columns = std::vector<std::pair<std::string, double>>;

/// loss, val_loss, accuracy and val_accuracy, those the history has, in
/// that order: the columns an epoch and the final evaluation share.
Columns lossColumns(const History &history, double loss, double valLoss,
                    double accuracy, double valAccuracy) {
  Columns columns = {{"loss", loss}};
  if (history.hasValidation)
    columns.push_back({"val_loss", valLoss});
  if (history.hasAccuracy)
    columns.push_back({"accuracy", accuracy});
  if (history.hasAccuracy && history.hasValidation)
    columns.push_back({"val_accuracy", valAccuracy});
  return columns;
}

/// "name value" per column, two spaces apart: losses with `lossDigits`
/// digits after the point in e-notation, accuracies as fractions with four.
std::string formatLossColumns(const Columns &columns, int lossDigits) {
  std::string text;
  for (const auto &[name, value] : columns)
    text += (text.empty() ? "" : "  ") +
            (name.find("accuracy") != std::string::npos
                 ? fmt::format("{} {:.4f}", name, value)
                 : fmt::format("{} {:.{}e}", name, unsignedNaN(value),
                               lossDigits));
  return text;
}

/// (column name, value) pairs of one record, in CSV column order.
Columns columnsOf(const History &history, const EpochRecord &r) {
  Columns columns = {{"epoch", double(r.epoch)}};
  for (auto &column :
       lossColumns(history, r.loss, r.valLoss, r.accuracy, r.valAccuracy))
    columns.push_back(column);
  columns.push_back({"grad_norm", r.gradNorm});
  columns.push_back({"clipped_fraction", r.clippedFraction});
  columns.push_back({"skipped_steps", double(r.skippedSteps)});
  columns.push_back({"seconds", r.seconds});
  for (size_t p = 0; p < history.paramNames.size(); ++p)
    columns.push_back({"norm." + history.paramNames[p], r.medianNorm[p]});
  return columns;
}

std::string csvText(const History &history) {
  std::string text;
  EpochRecord blank;
  blank.medianNorm.resize(history.paramNames.size());
  for (const auto &[name, value] : columnsOf(history, blank))
    text += (text.empty() ? "" : ",") + name;
  text += "\n";
  for (const EpochRecord &record : history.epochs) {
    std::string line;
    for (const auto &[name, value] : columnsOf(history, record))
      line +=
          fmt::format("{}{:.9g}", line.empty() ? "" : ",", unsignedNaN(value));
    text += line + "\n";
  }
  return text;
}

bool isCount(const std::string &column) {
  return column == "epoch" || column == "skipped_steps";
}

std::string jsonText(const History &history) {
  json epochs = json::array();
  for (const EpochRecord &record : history.epochs) {
    json entry = json::object();
    for (const auto &[name, value] : columnsOf(history, record))
      entry[name] = !std::isfinite(value) ? json(nullptr)
                    : isCount(name)       ? json(int64_t(value))
                                          : json(value);
    epochs.push_back(entry);
  }
  json root = {{"model", history.model}, {"epochs", epochs}};
  if (history.final) {
    const FinalEvaluation &final = *history.final;
    json entry = json::object();
    for (const auto &[name, value] :
         lossColumns(history, final.loss, final.valLoss, final.accuracy,
                     final.valAccuracy))
      entry[name] = std::isfinite(value) ? json(value) : json(nullptr);
    root["final"] = entry;
  }
  return root.dump(2) + "\n";
}

bool endsWith(const std::string &text, const std::string &suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

void writeHistory(const std::string &path, const History &history) {
  writeFileAtomic(path, endsWith(path, ".json") ? jsonText(history)
                                                : csvText(history));
}

std::string formatEpochLine(const History &history, const EpochRecord &record,
                            int64_t totalEpochs) {
  std::string line =
      fmt::format("epoch {}/{}  ", record.epoch, totalEpochs) +
      formatLossColumns(lossColumns(history, record.loss, record.valLoss,
                                    record.accuracy, record.valAccuracy),
                        3);
  line +=
      fmt::format("  grad_norm {:.3g}  clipped {:.0f}%",
                  unsignedNaN(record.gradNorm), record.clippedFraction * 100);
  if (record.skippedSteps > 0)
    line += fmt::format("  skipped {}", record.skippedSteps);
  return line + fmt::format("  {:.2f}s", record.seconds);
}

std::string formatFinalLine(const History &history) {
  const FinalEvaluation &final = *history.final;
  return "final model: " +
         formatLossColumns(lossColumns(history, final.loss, final.valLoss,
                                       final.accuracy, final.valAccuracy),
                           4);
}

std::string formatTrainedLine(size_t epochs, int64_t steps, double seconds) {
  return fmt::format("trained {} epoch{} ({} step{} in total) in {:.2f}s",
                     epochs, epochs == 1 ? "" : "s", steps,
                     steps == 1 ? "" : "s", seconds);
}

} // namespace gradc::rt
