// RuntimeTrainTest.cpp - gradc_train_main driving a hand-written fake model.
// SPDX-License-Identifier: MIT
//
// Checks what the loop hands to the step (batch sizes, step counter), that
// training lowers the loss, the history file, option errors, divergence
// handling (exit status 3, the parameter named) and that --resume continues
// bit-identically to an uninterrupted run.
#include "Evaluate.h"
#include "RuntimeTestSupport.h"
#include "Safetensors.h"

#include <gtest/gtest.h>

#include <sstream>

using namespace gradc::rt;
using namespace gradc::rttest;

namespace {

std::vector<std::vector<std::string>> readCsvLines(const std::string &path) {
  std::vector<std::vector<std::string>> lines;
  std::istringstream in(readText(path));
  std::string line, cell;
  while (std::getline(in, line)) {
    lines.emplace_back();
    std::istringstream cells(line);
    while (std::getline(cells, cell, ','))
      lines.back().push_back(cell);
  }
  return lines;
}

} // namespace

TEST(RuntimeTrain, PassesRealBatchSizesAndGlobalSteps) {
  FakeLinear fake(fakeLinearConfig());
  testing::internal::CaptureStdout();
  ASSERT_EQ(runTraining(fake, {"--epochs", "2"}), 0);
  std::string out = testing::internal::GetCapturedStdout();
  ASSERT_EQ(fake.batches.size(), 32u);
  EXPECT_EQ(fake.batches[0], 32);
  EXPECT_EQ(fake.batches[15], 20);
  EXPECT_EQ(fake.batches[31], 20);
  EXPECT_EQ(fake.steps.front(), 1);
  EXPECT_EQ(fake.steps.back(), 32);
  EXPECT_NE(out.find("epoch 2/2  loss "), std::string::npos) << out;
  EXPECT_NE(out.find("gradient health over 32 steps"), std::string::npos);
  EXPECT_NE(out.find("trained 2 epochs (32 steps in total)"),
            std::string::npos);
}

TEST(RuntimeTrain, HistoryRecordsFallingLoss) {
  std::string dir = scratchDir("history");
  FakeLinear fake(fakeLinearConfig());
  testing::internal::CaptureStdout();
  ASSERT_EQ(
      runTraining(fake, {"--epochs=5", "--quiet", "--history", dir + "/h.csv"}),
      0);
  std::string out = testing::internal::GetCapturedStdout();
  EXPECT_EQ(out.find("epoch 1/5"), std::string::npos) << "--quiet printed";
  auto lines = readCsvLines(dir + "/h.csv");
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[0],
            (std::vector<std::string>{"epoch", "loss", "val_loss", "grad_norm",
                                      "clipped_fraction", "skipped_steps",
                                      "seconds", "norm.w", "norm.b"}));
  EXPECT_EQ(lines[5][0], "5");
  EXPECT_LT(std::stod(lines[5][1]), std::stod(lines[1][1]));
  EXPECT_LT(std::stod(lines[5][2]), std::stod(lines[1][2]));
  double clipped = std::stod(lines[1][4]);
  EXPECT_GE(clipped, 0.0);
  EXPECT_LE(clipped, 1.0);
}

TEST(RuntimeTrain, HistoryAsJson) {
  std::string dir = scratchDir("historyjson");
  FakeLinear fake(fakeLinearConfig());
  testing::internal::CaptureStdout();
  ASSERT_EQ(runTraining(fake, {"--history", dir + "/h.json"}), 0);
  testing::internal::GetCapturedStdout();
  auto root = nlohmann::json::parse(readText(dir + "/h.json"));
  EXPECT_EQ(root["model"], "fake_linear");
  ASSERT_EQ(root["epochs"].size(), 3u);
  EXPECT_EQ(root["epochs"][2]["epoch"], 3);
  EXPECT_TRUE(root["epochs"][2]["norm.w"].is_number());
}

TEST(RuntimeTrain, OptionErrorsExitWithStatusOne) {
  FakeLinear fake(fakeLinearConfig());
  struct Case {
    std::vector<std::string> args;
    std::string message;
  } cases[] = {
      {{"--epochs", "0"},
       "error: --epochs: expected a positive integer, "
       "got '0'\n"},
      {{"--history", "h.txt"},
       "error: --history: expected a .csv or .json "
       "file name, got 'h.txt'\n"},
      {{"--on-nonfinite=maybe"},
       "error: --on-nonfinite: expected stop, skip "
       "or continue, got 'maybe'\n"},
      {{"--set", "beta=1"},
       "error: --set: model 'fake_linear' has no "
       "hyperparameter 'beta' (it has: lr, momentum, "
       "clip)\n"},
      {{"--set", "lr=-1"}, "error: --set: lr must be > 0, got -1\n"},
      {{"--bogus"}, "error: unknown option '--bogus'\n"},
  };
  for (Case &c : cases) {
    testing::internal::CaptureStderr();
    EXPECT_EQ(runTraining(fake, c.args), 1);
    EXPECT_EQ(testing::internal::GetCapturedStderr(), c.message);
  }
  EXPECT_TRUE(fake.batches.empty());
}

TEST(RuntimeTrain, DivergenceStopsWithStatusThreeNamingTheParameter) {
  std::string dir = scratchDir("diverge");
  FakeLinear fake(fakeLinearConfig());
  fake.poisonCall = 20; // epoch 2, step 4
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  int status = runTraining(
      fake, {"--history", dir + "/h.csv", "--save", dir + "/last.safetensors"});
  std::string err = testing::internal::GetCapturedStderr();
  testing::internal::GetCapturedStdout();
  EXPECT_EQ(status, 3);
  EXPECT_EQ(err.substr(0, err.find('\n')),
            "error: training diverged at epoch 2, step 4 (global step 20): "
            "gradient of w is not finite");
  EXPECT_NE(err.find("last finite gradient norms:\n  w "), std::string::npos);
  EXPECT_EQ(fake.steps.back(), 20);
  EXPECT_EQ(readCsvLines(dir + "/h.csv").size(), 2u);
  TensorFile saved = readSafetensors(dir + "/last.safetensors");
  EXPECT_EQ(saved.metadata["epoch"], "1");
  EXPECT_EQ(saved.metadata["step"], "16");
}

TEST(RuntimeTrain, SkipRestoresTheStateBeforeTheStep) {
  std::string dir = scratchDir("skip");
  FakeLinear clean(fakeLinearConfig()), poisoned(fakeLinearConfig());
  poisoned.poisonCall = 5;
  testing::internal::CaptureStdout();
  ASSERT_EQ(runTraining(clean, {"--epochs=1", "--save", dir + "/a"}), 0);
  ASSERT_EQ(
      runTraining(poisoned, {"--epochs=1", "--on-nonfinite=skip", "--save",
                             dir + "/b", "--history", dir + "/h.csv"}),
      0);
  testing::internal::GetCapturedStdout();
  // The poisoned batch is dropped: 15 updates instead of 16.
  TensorFile b = readSafetensors(dir + "/b");
  EXPECT_EQ(b.metadata["step"], "15");
  EXPECT_EQ(readCsvLines(dir + "/h.csv")[1][5], "1");
  EXPECT_NE(readSafetensors(dir + "/a").find("w")->data, b.find("w")->data);
}

TEST(RuntimeTrain, ResumeContinuesBitIdentically) {
  std::string dir = scratchDir("resume");
  FakeLinear straight(fakeLinearConfig()), first(fakeLinearConfig()),
      second(fakeLinearConfig());
  testing::internal::CaptureStdout();
  ASSERT_EQ(runTraining(straight, {"--epochs=4", "--save", dir + "/full"}), 0);
  ASSERT_EQ(runTraining(first, {"--epochs=2", "--save", dir + "/half"}), 0);
  ASSERT_EQ(runTraining(second, {"--epochs=4", "--resume", dir + "/half",
                                 "--save", dir + "/resumed"}),
            0);
  testing::internal::GetCapturedStdout();
  EXPECT_EQ(second.steps.front(), 33);
  TensorFile full = readSafetensors(dir + "/full");
  TensorFile resumed = readSafetensors(dir + "/resumed");
  ASSERT_EQ(full.tensors.size(), 4u);
  for (const Tensor &tensor : full.tensors)
    EXPECT_EQ(tensor.data, resumed.find(tensor.name)->data) << tensor.name;
  EXPECT_EQ(full.metadata, resumed.metadata);
}

TEST(RuntimeTrain, ValidationSplitTakesTheLastRows) {
  nlohmann::json config = fakeLinearConfig();
  config["validate"] = {{"split", 0.2}};
  FakeLinear fake(config);
  testing::internal::CaptureStdout();
  ASSERT_EQ(runTraining(fake, {"--epochs=1"}), 0);
  testing::internal::GetCapturedStdout();
  // 400 training rows: 12 batches of 32 and one of 16.
  ASSERT_EQ(fake.batches.size(), 13u);
  EXPECT_EQ(fake.batches.back(), 16);
}

TEST(RuntimeTrain, AccuracyByArgmaxOrThreshold) {
  float probs[] = {0.1f, 0.7f, 0.2f, 0.6f, 0.3f, 0.1f};
  float labels[] = {1, 2};
  EXPECT_EQ(AccuracyCounter(3, 1).correct(probs, labels, 2), 1);
  float oneHot[] = {0, 1, 0, 1, 0, 0};
  EXPECT_EQ(AccuracyCounter(3, 3).correct(probs, oneHot, 2), 2);
  float sigmoid[] = {0.9f, 0.4f, 0.6f};
  float binary[] = {1, 1, 0};
  EXPECT_EQ(AccuracyCounter(1, 1).correct(sigmoid, binary, 3), 1);
}

TEST(RuntimeTrain, PlotsWithGnuplot) {
  std::string dir = scratchDir("plot");
  FakeLinear fake(fakeLinearConfig());
  testing::internal::CaptureStdout();
  ASSERT_EQ(runTraining(fake, {"--plot", dir + "/p.svg"}), 0);
  ASSERT_EQ(runTraining(fake, {"--plot", dir + "/p.png"}), 0);
  testing::internal::GetCapturedStdout();
  std::string svg = readText(dir + "/p.svg");
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("val_loss"), std::string::npos);
  EXPECT_NE(svg.find("norm"), std::string::npos);
  EXPECT_EQ(readText(dir + "/p.png").substr(1, 3), "PNG");
}

TEST(RuntimeTrain, MalformedConfigIsAUserError) {
  nlohmann::json config = fakeLinearConfig();
  config["params"][0]["fan_in"] = "twenty";
  FakeLinear fake(config);
  testing::internal::CaptureStderr();
  EXPECT_EQ(runTraining(fake, {}), 1);
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(err.rfind("error: model config: ", 0), 0u) << err;
  config = fakeLinearConfig();
  config.erase("metrics");
  FakeLinear missing(config);
  testing::internal::CaptureStderr();
  EXPECT_EQ(runTraining(missing, {}), 1);
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "error: model config: missing key 'metrics'\n");
}
