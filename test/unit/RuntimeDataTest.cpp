// RuntimeDataTest.cpp - data sources and batching of the runtime.
// SPDX-License-Identifier: MIT
//
// CSV errors must carry the file and line; IDX parsing is checked against
// the known facts of the Fashion-MNIST subset in examples/cnn/data; batching
// must keep the last partial batch and shuffle deterministically.
#include "Batcher.h"
#include "Dataset.h"
#include "Error.h"
#include "RuntimeTestSupport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

using namespace gradc::rt;
using namespace gradc::rttest;

namespace {

std::string csvError(const std::string &text, const std::string &target) {
  std::string path = scratchDir("csv") + "/d.csv";
  writeText(path, text);
  try {
    readCsv(path, target);
  } catch (const UserError &error) {
    std::string message = error.what();
    return message.substr(path.size());
  }
  return "no error";
}

ModelConfig configFor(Shape x, Shape y) {
  ModelConfig config;
  config.xShape = std::move(x);
  config.yShape = std::move(y);
  return config;
}

const std::string cnnData =
    std::string(GRADC_SOURCE_DIR) + "/examples/cnn/data/";

} // namespace

TEST(RuntimeCsv, ReadsFeaturesInOrderAndTargetByName) {
  std::string path = scratchDir("csvok") + "/d.csv";
  writeText(path, "a,y,b\n1,10,2\n\n3,30,4\n");
  RawRows rows = readCsv(path, "y");
  EXPECT_EQ(rows.width, 2);
  EXPECT_EQ(rows.x, (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(rows.target, (std::vector<float>{10, 30}));
  EXPECT_EQ(rows.line, (std::vector<int64_t>{2, 4}));
}

TEST(RuntimeCsv, ErrorsNameFileAndLine) {
  EXPECT_EQ(csvError("a,y\n1,2\n3\n", "y"),
            ":3: error: row has 1 cells, the header has 2");
  EXPECT_EQ(csvError("a,y\n1,2\n\n3,x4\n", "y"),
            ":4: error: cell 'x4' in column 'y' is not a number");
  EXPECT_EQ(csvError("a,b\n1,2\n", "y"),
            ":1: error: no column named 'y' in the header");
  EXPECT_EQ(csvError("a,y\n", "y"), ": error: no data rows after the header");
}

TEST(RuntimeCsv, FeatureCountMustMatchModelInput) {
  std::string path = scratchDir("csvwidth") + "/d.csv";
  writeText(path, "a,b,y\n1,2,3\n");
  SourceSpec source{SourceKind::Csv, path, "y", "", "", 0};
  try {
    loadDataset(source, configFor({3}, {1}));
    FAIL() << "a 2-feature file was accepted for a 3-feature model";
  } catch (const UserError &error) {
    EXPECT_EQ(std::string(error.what()),
              path + ": error: rows have 2 features, the model input [3] "
                     "has 3");
  }
}

TEST(RuntimeCsv, OneHotTargetsAndLabelRange) {
  std::string path = scratchDir("csvhot") + "/d.csv";
  writeText(path, "a,y\n0.5,2\n0.25,0\n");
  SourceSpec source{SourceKind::Csv, path, "y", "", "", 0};
  Dataset set = loadDataset(source, configFor({1}, {3}));
  EXPECT_EQ(set.y, (std::vector<float>{0, 0, 1, 1, 0, 0}));
  writeText(path, "a,y\n0.5,1\n0.25,3\n");
  EXPECT_THROW(loadDataset(source, configFor({1}, {3})), UserError);
}

TEST(RuntimeIdx, ReadsFashionMnistSubset) {
  RawRows train = readIdx(cnnData + "train-images-idx3-ubyte.gz",
                          cnnData + "train-labels-idx1-ubyte.gz");
  ASSERT_EQ(train.rows(), 1000);
  EXPECT_EQ(train.width, 28 * 28);
  EXPECT_EQ(train.x.size(), size_t(1000 * 784));
  std::vector<float> first(train.target.begin(), train.target.begin() + 10);
  EXPECT_EQ(first, (std::vector<float>{9, 0, 0, 3, 0, 2, 7, 2, 5, 5}));
  auto [low, high] = std::minmax_element(train.x.begin(), train.x.end());
  EXPECT_EQ(*low, 0.0f);
  EXPECT_EQ(*high, 1.0f);
  std::vector<int> counts(10);
  for (float label : train.target)
    ++counts[int(label)];
  EXPECT_EQ(counts,
            (std::vector<int>{107, 104, 86, 92, 95, 100, 100, 115, 102, 99}));
}

TEST(RuntimeIdx, RawFilesAndShapeAsModelInput) {
  std::string dir = scratchDir("idxraw");
  std::string command = "gzip -dc '" + cnnData +
                        "t10k-labels-idx1-ubyte.gz' > '" + dir + "/labels'";
  ASSERT_EQ(std::system(command.c_str()), 0);
  SourceSpec source{
      SourceKind::Idx, "", "", cnnData + "t10k-images-idx3-ubyte.gz",
      dir + "/labels", 0};
  Dataset set = loadDataset(source, configFor({28, 28, 1}, {}));
  EXPECT_EQ(set.rows, 200);
  EXPECT_EQ(set.xWidth, 784);
  std::vector<float> first(set.y.begin(), set.y.begin() + 5);
  EXPECT_EQ(first, (std::vector<float>{9, 2, 1, 1, 6}));
}

TEST(RuntimeIdx, RejectsBadMagicAndTruncation) {
  std::string dir = scratchDir("idxbad");
  writeText(dir + "/bad", std::string("\x00\x00\x0d\x01\x00\x00\x00\x01x", 9));
  EXPECT_THROW(readIdx(dir + "/bad", dir + "/bad"), UserError);
  writeText(dir + "/short",
            std::string("\x00\x00\x08\x01\x00\x00\x00\x05xy", 10));
  try {
    readIdx(cnnData + "t10k-images-idx3-ubyte.gz", dir + "/short");
    FAIL() << "a truncated label file was accepted";
  } catch (const UserError &error) {
    EXPECT_EQ(std::string(error.what()),
              dir + "/short: error: header promises 5 data bytes, the file "
                    "has 2");
  }
}

TEST(RuntimeTokens, PadsAndTruncatesAtTheFront) {
  std::string path = scratchDir("tokens") + "/t.txt";
  writeText(path, "1\t5 6\n0\t1 2 3 4 5\n");
  RawRows rows = readTokens(path, 3);
  EXPECT_EQ(rows.x, (std::vector<float>{0, 5, 6, 3, 4, 5}));
  EXPECT_EQ(rows.target, (std::vector<float>{1, 0}));
  writeText(path, "1\t5 6\n0 1 2\n");
  EXPECT_THROW(readTokens(path, 3), UserError);
}

TEST(RuntimeBatcher, KeepsLastPartialBatch) {
  Dataset data;
  data.rows = 500;
  data.xWidth = data.yWidth = 1;
  data.x.resize(500);
  data.y.resize(500);
  Batcher batcher(data, 32, true);
  EXPECT_EQ(batcher.batchCount(), 16);
  EXPECT_EQ(batcher.batchRows(14), 32);
  EXPECT_EQ(batcher.batchRows(15), 20);
}

TEST(RuntimeBatcher, ShufflesDeterministicallyFromTheSeed) {
  Dataset data;
  data.rows = 100;
  data.xWidth = data.yWidth = 1;
  data.x.resize(100);
  std::iota(data.x.begin(), data.x.end(), 0.0f);
  data.y = data.x;
  Batcher first(data, 10, true), second(data, 10, true);
  SplitMix64 rngA(42), rngB(42);
  first.beginEpoch(rngA);
  second.beginEpoch(rngB);
  EXPECT_EQ(first.order(), second.order());
  std::vector<int64_t> epoch1 = first.order();
  first.beginEpoch(rngA);
  EXPECT_NE(first.order(), epoch1);
  std::vector<int64_t> sorted = epoch1;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int64_t> identity(100);
  std::iota(identity.begin(), identity.end(), 0);
  EXPECT_EQ(sorted, identity);
  EXPECT_NE(epoch1, identity);

  std::vector<float> x(10), y(10);
  first.gather(9, x.data(), y.data());
  EXPECT_EQ(int64_t(x[3]), first.order()[93]);
  Batcher fixed(data, 10, false);
  fixed.beginEpoch(rngA);
  EXPECT_EQ(fixed.order(), identity);
}
