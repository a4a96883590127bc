// IdxSource.cpp - read MNIST-style IDX images and labels, gzip or raw.
// SPDX-License-Identifier: MIT
//
// IDX: two zero bytes, a type byte (only 0x08, unsigned byte, is accepted),
// the number of dimensions, one big-endian u32 per dimension, then the data
// row-major. zlib's gzread passes uncompressed files through unchanged, so
// one reader serves .gz and raw files. Pixels are divided by 255, giving
// floats in [0, 1]; an N x H x W file becomes N rows of H*W features, which
// the model reads as [H, W, 1] channels-last.
#include "Dataset.h"

#include "Error.h"

#include <algorithm>
#include <cstdint>

#include <zlib.h>

namespace gradc::rt {
namespace {

struct IdxArray {
  std::vector<int64_t> dims;
  std::vector<uint8_t> data;
  size_t dataOffset = 0; ///< bytes before the data: magic and dimensions
};

/// Why zlib stopped before the end of `file`, or "" if it did not. A gzip
/// stream cut short reads as a shorter file, and would otherwise be reported
/// as an IDX file with too few bytes.
std::string readFailure(gzFile file, const std::string &path) {
  int code = Z_OK;
  std::string reason = gzerror(file, &code);
  if (code == Z_OK)
    return "";
  if (code == Z_BUF_ERROR)
    return "gzip stream is truncated: the file ends inside compressed data";
  // zlib's message starts with the path, which the diagnostic already shows.
  if (reason.rfind(path + ": ", 0) == 0)
    reason.erase(0, path.size() + 2);
  if (code == Z_ERRNO)
    return fmt::format("cannot read the file: {}", reason);
  return fmt::format("gzip stream is corrupt: {}", reason);
}

std::vector<uint8_t> readAllBytes(const std::string &path) {
  rejectDirectory(path);
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file)
    throw UserError(path, "cannot open the file");
  std::vector<uint8_t> bytes;
  uint8_t chunk[1 << 16];
  int got = 0;
  while ((got = gzread(file, chunk, sizeof chunk)) > 0)
    bytes.insert(bytes.end(), chunk, chunk + got);
  std::string failure = readFailure(file, path);
  gzclose(file);
  if (!failure.empty())
    throw UserError(path, failure);
  return bytes;
}

uint32_t bigEndian32(const uint8_t *bytes) {
  return uint32_t(bytes[0]) << 24 | uint32_t(bytes[1]) << 16 |
         uint32_t(bytes[2]) << 8 | uint32_t(bytes[3]);
}

IdxArray readIdxArray(const std::string &path, size_t expectedDims) {
  std::vector<uint8_t> bytes = readAllBytes(path);
  if (bytes.size() < 4 || bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0x08)
    throw UserError(path, "not an IDX file of unsigned bytes (bad magic)");
  size_t ndims = bytes[3];
  if (ndims != expectedDims)
    throw UserError(path, fmt::format("expected {} dimensions, the file has {}",
                                      expectedDims, ndims));
  size_t headerSize = 4 + 4 * ndims;
  if (bytes.size() < headerSize)
    throw UserError(path, "file ends inside the IDX header");
  IdxArray array;
  uint64_t count = 1;
  bool overflow = false;
  for (size_t i = 0; i < ndims; ++i) {
    array.dims.push_back(bigEndian32(&bytes[4 + 4 * i]));
    overflow |= __builtin_mul_overflow(count, uint64_t(array.dims.back()),
                                       &count);
  }
  // Each dimension is read as a size (rows, a row's pixel count): the data
  // of any real file is far below 2^32 bytes per row and 2^64 in all.
  uint64_t rowSize = ndims > 1 ? count / std::max<uint64_t>(array.dims[0], 1)
                               : 1;
  if (overflow || rowSize > UINT32_MAX)
    throw UserError(path, "IDX dimensions are too large");
  if (bytes.size() - headerSize != count)
    throw UserError(path, fmt::format("header promises {} data bytes, the "
                                      "file has {}",
                                      count, bytes.size() - headerSize));
  array.data.assign(bytes.begin() + headerSize, bytes.end());
  array.dataOffset = headerSize;
  return array;
}

} // namespace

RawRows readIdx(const std::string &images, const std::string &labels) {
  IdxArray pixels = readIdxArray(images, 3);
  IdxArray classes = readIdxArray(labels, 1);
  if (pixels.dims[0] != classes.dims[0])
    throw UserError(labels,
                    fmt::format("{} labels for {} images in {}",
                                classes.dims[0], pixels.dims[0], images));
  RawRows rows;
  rows.path = labels;
  rows.width = pixels.dims[1] * pixels.dims[2];
  rows.itemShape = {pixels.dims[1], pixels.dims[2]};
  rows.items = pixels.dims[0];
  rows.xPath = images;
  rows.x.reserve(pixels.data.size());
  for (uint8_t pixel : pixels.data)
    rows.x.push_back(float(pixel) / 255.0f);
  rows.target.assign(classes.data.begin(), classes.data.end());
  rows.targetOffset = int64_t(classes.dataOffset);
  return rows;
}

} // namespace gradc::rt
