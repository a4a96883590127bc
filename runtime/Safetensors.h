// Safetensors.h - read and write f32 tensors in the safetensors format.
// SPDX-License-Identifier: MIT
//
// Layout: an 8-byte little-endian header length N, N bytes of JSON (padded
// with spaces to a multiple of 8), then the tensor bytes. The JSON maps each
// tensor name to {dtype, shape, data_offsets: [begin, end]} (offsets into the
// data area) and "__metadata__" to a string-to-string map. Only dtype F32 is
// written or read; data is little-endian, as on every supported host.
#ifndef GRADC_RUNTIME_SAFETENSORS_H
#define GRADC_RUNTIME_SAFETENSORS_H

#include "Config.h"

#include <map>
#include <string>
#include <vector>

namespace gradc::rt {

struct Tensor {
  std::string name;
  Shape shape;
  std::vector<float> data;
};

struct TensorFile {
  std::vector<Tensor> tensors; ///< written in this order; read by name order
  std::map<std::string, std::string> metadata;

  /// The tensor called `name`, or nullptr.
  const Tensor *find(const std::string &name) const;
};

/// Writes `file` to `path` atomically; throws UserError.
void writeSafetensors(const std::string &path, const TensorFile &file);

/// Reads and checks a safetensors file of F32 tensors; throws UserError.
TensorFile readSafetensors(const std::string &path);

} // namespace gradc::rt

#endif // GRADC_RUNTIME_SAFETENSORS_H
