// RuntimeSafetensorsTest.cpp - checkpoint files: format, atomicity, init_from.
// SPDX-License-Identifier: MIT
//
// The format check reads our file with a few lines of Python and numpy that
// follow the published layout, independently of our reader. The atomicity
// check makes a write fail midway (a file-size limit) and verifies that the
// existing checkpoint is unchanged and no temporary file is left.
#include "Error.h"
#include "RuntimeTestSupport.h"
#include "Safetensors.h"
#include "TrainState.h"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <dirent.h>
#include <sys/resource.h>

using namespace gradc::rt;
using namespace gradc::rttest;

namespace {

TensorFile sampleFile() {
  TensorFile file;
  file.tensors.push_back({"dense.kernel", {2, 3}, {1, 2, 3, 4, 5, 6.5f}});
  file.tensors.push_back({"dense.bias", {3}, {-1, 0.25f, 1e-20f}});
  file.tensors.push_back({"scalar", {}, {42}});
  file.metadata = {{"step", "17"}, {"model", "m"}};
  return file;
}

std::string runPython(const std::string &script) {
  std::string path = scratchDir("python") + "/read.py";
  writeText(path, script);
  FILE *pipe = ::popen(("/usr/bin/python3 " + path).c_str(), "r");
  std::string out;
  char buffer[256];
  while (pipe && std::fgets(buffer, sizeof buffer, pipe))
    out += buffer;
  if (pipe)
    ::pclose(pipe);
  return out;
}

int countEntries(const std::string &dir) {
  int count = 0;
  DIR *handle = ::opendir(dir.c_str());
  while (handle && ::readdir(handle))
    ++count;
  if (handle)
    ::closedir(handle);
  return count - 2;
}

} // namespace

TEST(RuntimeSafetensors, RoundTrip) {
  std::string path = scratchDir("roundtrip") + "/a.safetensors";
  writeSafetensors(path, sampleFile());
  TensorFile back = readSafetensors(path);
  ASSERT_EQ(back.tensors.size(), 3u);
  for (const Tensor &tensor : sampleFile().tensors) {
    ASSERT_NE(back.find(tensor.name), nullptr) << tensor.name;
    EXPECT_EQ(back.find(tensor.name)->shape, tensor.shape);
    EXPECT_EQ(back.find(tensor.name)->data, tensor.data);
  }
  EXPECT_EQ(back.metadata, sampleFile().metadata);
  std::string bytes = readText(path);
  EXPECT_EQ((bytes.size() - 8 - 6 * 4 - 3 * 4 - 4) % 8, 0u)
      << "header is padded to 8 bytes";
}

TEST(RuntimeSafetensors, ReadableByNumpyFromTheLayoutAlone) {
  std::string path = scratchDir("numpy") + "/a.safetensors";
  writeSafetensors(path, sampleFile());
  std::string out = runPython(
      "import json, struct, numpy as np\n"
      "raw = open('" +
      path +
      "', 'rb').read()\n"
      "n = struct.unpack('<Q', raw[:8])[0]\n"
      "head = json.loads(raw[8:8 + n])\n"
      "data = raw[8 + n:]\n"
      "meta = head.pop('__metadata__')\n"
      "for name in sorted(head):\n"
      "    e = head[name]\n"
      "    b, f = e['data_offsets']\n"
      "    a = np.frombuffer(data[b:f], dtype='<f4').reshape(e['shape'])\n"
      "    print(name, e['dtype'], a.shape, repr(float(a.sum())))\n"
      "print(meta['step'], meta['model'])\n");
  EXPECT_EQ(out, "dense.bias F32 (3,) -0.75\n"
                 "dense.kernel F32 (2, 3) 21.5\n"
                 "scalar F32 () 42.0\n"
                 "17 m\n");
}

TEST(RuntimeSafetensors, FailedWriteLeavesTheOldFileIntact) {
  std::string dir = scratchDir("atomic");
  std::string path = dir + "/ckpt.safetensors";
  writeText(path, "previous checkpoint");
  TensorFile big;
  big.tensors.push_back({"w", {1 << 16}, std::vector<float>(1 << 16, 1.0f)});

  rlimit old{};
  ::getrlimit(RLIMIT_FSIZE, &old);
  rlimit small = old;
  small.rlim_cur = 4096;
  auto previous = std::signal(SIGXFSZ, SIG_IGN);
  ::setrlimit(RLIMIT_FSIZE, &small);
  bool threw = false;
  try {
    writeSafetensors(path, big);
  } catch (const UserError &error) {
    threw = std::string(error.what()).find(path + ": error: cannot write") == 0;
  }
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, previous);

  EXPECT_TRUE(threw);
  EXPECT_EQ(readText(path), "previous checkpoint");
  EXPECT_EQ(countEntries(dir), 1) << "temporary file left behind";
}

TEST(RuntimeSafetensors, MissingDirectoryIsAUserError) {
  try {
    writeSafetensors("/nonexistent-gradc-dir/x.safetensors", sampleFile());
    FAIL() << "write into a missing directory succeeded";
  } catch (const UserError &error) {
    EXPECT_EQ(std::string(error.what()),
              "/nonexistent-gradc-dir/x.safetensors: error: cannot create a "
              "temporary file next to it: No such file or directory");
  }
}

TEST(RuntimeSafetensors, RejectsCorruptFiles) {
  std::string dir = scratchDir("corrupt");
  writeText(dir + "/short", "abc");
  EXPECT_THROW(readSafetensors(dir + "/short"), UserError);
  std::string good = dir + "/good";
  writeSafetensors(good, sampleFile());
  std::string bytes = readText(good);
  writeText(dir + "/cut", bytes.substr(0, bytes.size() - 4));
  try {
    readSafetensors(dir + "/cut");
    FAIL() << "truncated file accepted";
  } catch (const UserError &error) {
    EXPECT_NE(std::string(error.what()).find("data_offsets do not match"),
              std::string::npos)
        << error.what();
  }
}

TEST(RuntimeSafetensors, InitFromChecksShapes) {
  std::string dir = scratchDir("initfrom");
  ModelConfig config = parseConfig(fakeLinearConfig().dump());
  TensorFile file;
  file.tensors.push_back({"w", {20, 1}, std::vector<float>(20, 0.5f)});
  file.tensors.push_back({"b", {1}, {0.25f}});
  writeSafetensors(dir + "/w.safetensors", file);
  TrainState state = initialState(config, 1, dir + "/w.safetensors");
  EXPECT_EQ(state.params[0], std::vector<float>(20, 0.5f));

  file.tensors[0] = {"w", {1, 20}, std::vector<float>(20, 0.5f)};
  writeSafetensors(dir + "/bad.safetensors", file);
  try {
    initialState(config, 1, dir + "/bad.safetensors");
    FAIL() << "a transposed tensor was accepted";
  } catch (const UserError &error) {
    EXPECT_EQ(std::string(error.what()),
              dir + "/bad.safetensors: error: tensor 'w' has shape [1,20], "
                    "the model expects [20,1]");
  }
}
