#include "core/io/model_files.h"

#include "core/io/file_bytes.h"
#include "core/model/safetensors.h"

namespace bs {

Status save_model(const std::string& path, const Model& model) {
  return write_file(path, encode_safetensors(model));
}

Expected<Model> load_model(const std::string& path) {
  auto bytes = read_file(path, uint64_t(64) << 20);  // a 784-64-64-10 model with init is ~440 KB
  if (!bytes.ok()) return bytes.status();
  return decode_safetensors(bytes->data(), bytes->size(), path);
}

}  // namespace bs
