// Models in the safetensors format: an 8-byte little-endian header length, a JSON header naming each tensor's
// dtype, shape and byte range, then the raw little-endian tensor bytes. PyTorch reads these files directly.
//
// Tensors: layer{1,2,3}.weight (out, in) and layer{1,2,3}.bias (out), all F32, row-major; the initial weights
// under the same names prefixed "init."; string metadata under "__metadata__".
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/model/model.h"
#include "core/util/status.h"

namespace bs {

std::vector<uint8_t> encode_safetensors(const Model& model);

// Any tensors (F32 or I32, 4 bytes per element; I64, 8; row-major, little-endian) with string metadata: what
// other files (the robustness command's adversarial images) are written with. Tensors are stored in name
// order.
struct RawTensor {
  std::string name;
  const char* dtype;  // "F32", "I32" or "I64"
  std::vector<int64_t> shape;
  const void* data;
};
std::vector<uint8_t> encode_safetensors(std::vector<RawTensor> tensors,
                                        const std::map<std::string, std::string>& metadata);

// Validates everything before returning a model: header length against the file size, JSON syntax, every
// tensor's dtype, shape and byte range (in range, no overlap, no gap), finiteness, missing and unknown
// tensors. `name` appears in error messages. The network must have the shape `expected`.
Expected<Model> decode_safetensors(const uint8_t* bytes, size_t size, const std::string& name,
                                   const Arch& expected = Arch{});

}  // namespace bs
