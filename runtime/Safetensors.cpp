// Safetensors.cpp - the safetensors writer and a checking reader.
// SPDX-License-Identifier: MIT
//
// The reader trusts nothing in the file: the header length, every offset
// and every shape are checked against the file size before data is copied.
#include "Safetensors.h"

#include "AtomicFile.h"
#include "Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

using nlohmann::json;

namespace gradc::rt {
namespace {

std::string encodeHeader(const TensorFile &file) {
  json header = json::object();
  uint64_t offset = 0;
  for (const Tensor &tensor : file.tensors) {
    uint64_t bytes = tensor.data.size() * sizeof(float);
    header[tensor.name] = {{"dtype", "F32"},
                           {"shape", tensor.shape},
                           {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  if (!file.metadata.empty())
    header["__metadata__"] = file.metadata;
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  return text;
}

std::string readWholeFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw UserError(path, "cannot open the file");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

json parseHeader(const std::string &path, const std::string &bytes,
                 uint64_t &dataStart) {
  if (bytes.size() < 8)
    throw UserError(path, "too short for a safetensors file");
  uint64_t length = 0;
  for (int i = 7; i >= 0; --i)
    length = length << 8 | uint8_t(bytes[i]);
  if (length > bytes.size() - 8)
    throw UserError(path, "header length runs past the end of the file");
  dataStart = 8 + length;
  json header = json::parse(bytes.substr(8, length), nullptr, false);
  if (header.is_discarded() || !header.is_object())
    throw UserError(path, "header is not a JSON object");
  return header;
}

/// Where a tensor's bytes lie in the data area.
struct Extent {
  uint64_t begin = 0, end = 0;
  std::string name;
};

/// The byte size of an F32 tensor of `shape`; false for a negative
/// dimension or a size beyond 64 bits.
bool byteSize(const Shape &shape, uint64_t &bytes) {
  bytes = sizeof(float);
  for (int64_t dim : shape)
    if (dim < 0 || __builtin_mul_overflow(bytes, uint64_t(dim), &bytes))
      return false;
  return true;
}

/// Two tensors sharing bytes would alias each other's values; a writer
/// never lays them out so, so the file is corrupt.
void checkDisjoint(const std::string &path, std::vector<Extent> extents) {
  // An empty tensor owns no bytes, wherever its offsets point.
  auto empty = [](const Extent &e) { return e.begin == e.end; };
  extents.erase(std::remove_if(extents.begin(), extents.end(), empty),
                extents.end());
  std::sort(extents.begin(), extents.end(),
            [](const Extent &a, const Extent &b) {
              return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
            });
  for (size_t i = 1; i < extents.size(); ++i)
    if (extents[i].begin < extents[i - 1].end)
      throw UserError(path, fmt::format("tensors '{}' and '{}' overlap: "
                                        "data_offsets [{}, {}) and [{}, {})",
                                        extents[i - 1].name, extents[i].name,
                                        extents[i - 1].begin,
                                        extents[i - 1].end, extents[i].begin,
                                        extents[i].end));
}

Tensor readTensor(const std::string &path, const std::string &name,
                  const json &entry, const std::string &data,
                  std::vector<Extent> &extents) {
  std::string where = fmt::format("tensor '{}': ", name);
  if (!entry.is_object() || entry.value("dtype", "") != "F32")
    throw UserError(path, where + "dtype must be F32");
  Tensor tensor{name, {}, {}};
  const json shape = entry.value("shape", json());
  const json offsets = entry.value("data_offsets", json());
  if (!shape.is_array() || !offsets.is_array() || offsets.size() != 2)
    throw UserError(path, where + "needs a shape and two data_offsets");
  for (const json &dim : shape)
    tensor.shape.push_back(dim.get<int64_t>());
  uint64_t bytes = 0;
  if (!byteSize(tensor.shape, bytes))
    throw UserError(path, where + fmt::format("shape {} is not a valid size",
                                              shapeText(tensor.shape)));
  uint64_t begin = offsets[0].get<uint64_t>(), end = offsets[1].get<uint64_t>();
  if (begin > end || end > data.size() || end - begin != bytes)
    throw UserError(path, where + "data_offsets do not match the shape or "
                                  "the file size");
  extents.push_back({begin, end, name});
  tensor.data.resize(bytes / sizeof(float));
  std::memcpy(tensor.data.data(), data.data() + begin, bytes);
  return tensor;
}

} // namespace

const Tensor *TensorFile::find(const std::string &name) const {
  for (const Tensor &tensor : tensors)
    if (tensor.name == name)
      return &tensor;
  return nullptr;
}

void writeSafetensors(const std::string &path, const TensorFile &file) {
  std::string header = encodeHeader(file);
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i)
    bytes[i] = char(uint64_t(header.size()) >> (8 * i) & 0xff);
  bytes += header;
  for (const Tensor &tensor : file.tensors)
    bytes.append(reinterpret_cast<const char *>(tensor.data.data()),
                 tensor.data.size() * sizeof(float));
  writeFileAtomic(path, bytes);
}

TensorFile readSafetensors(const std::string &path) {
  std::string bytes = readWholeFile(path);
  uint64_t dataStart = 0;
  json header = parseHeader(path, bytes, dataStart);
  std::string data = bytes.substr(dataStart);
  TensorFile file;
  std::vector<Extent> extents;
  try {
    for (auto &[name, entry] : header.items()) {
      if (name == "__metadata__")
        file.metadata = entry.get<std::map<std::string, std::string>>();
      else
        file.tensors.push_back(readTensor(path, name, entry, data, extents));
    }
  } catch (const json::exception &error) {
    throw UserError(path, fmt::format("malformed header: {}", error.what()));
  }
  checkDisjoint(path, extents);
  return file;
}

} // namespace gradc::rt
