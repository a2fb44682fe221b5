// Model files from anywhere: decode_safetensors must reject what is not a valid model with a message and
// never crash; whatever it accepts must survive an encode/decode round trip unchanged and hold only finite
// weights.
#include <cmath>
#include <cstdlib>

#include "core/model/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto m = bs::decode_safetensors(data, size, "fuzz.safetensors");
  if (!m.ok()) {
    if (m.error().empty()) std::abort();  // every refusal says why
    return 0;
  }
  for (const auto& t : m.value().params.tensors())
    for (int i = 0; i < t.size(); ++i)
      if (!std::isfinite(t.data[i])) std::abort();
  std::vector<uint8_t> again = bs::encode_safetensors(m.value());
  auto m2 = bs::decode_safetensors(again.data(), again.size(), "again");
  if (!m2.ok() || bs::encode_safetensors(m2.value()) != again) std::abort();
  return 0;
}
