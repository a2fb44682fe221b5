#include "core/model/safetensors.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

namespace bs {
namespace {

using json = nlohmann::json;

constexpr uint64_t kMaxHeader = 1 << 20;  // our header is ~1 KB; refuse absurd ones before allocating

struct Entry {
  std::string name;
  const float* src;  // encode
  float* dst;        // decode
  std::vector<int64_t> shape;
};

std::vector<Entry> entries(const Model& m, bool with_init) {
  std::vector<Entry> out;
  auto add = [&](const Params& p, const std::string& prefix) {
    for (TensorView t : p.tensors()) {
      std::vector<int64_t> shape =
          t.is_bias ? std::vector<int64_t>{t.rows} : std::vector<int64_t>{t.rows, t.cols};
      out.push_back({prefix + t.name, t.data, t.data, shape});
    }
  };
  add(m.params, "");
  if (with_init) add(m.init, "init.");
  // Alphabetical order: the JSON object's order too, so files are byte-for-byte reproducible.
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
  return out;
}

std::string shape_str(const std::vector<int64_t>& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + "]";
}

}  // namespace

std::vector<uint8_t> encode_safetensors(const Model& model) {
  std::vector<RawTensor> tensors;
  for (const Entry& e : entries(model, model.has_init)) tensors.push_back({e.name, "F32", e.shape, e.src});
  return encode_safetensors(std::move(tensors), model.metadata);
}

// I64 takes 8 bytes, F32 and I32 four.
static size_t element_bytes(const char* dtype) {
  return std::string(dtype) == "I64" ? 8 : 4;
}

std::vector<uint8_t> encode_safetensors(std::vector<RawTensor> es,
                                        const std::map<std::string, std::string>& metadata) {
  // Alphabetical order: the JSON object's order too, so files are byte-for-byte reproducible.
  std::sort(es.begin(), es.end(), [](const RawTensor& a, const RawTensor& b) { return a.name < b.name; });
  json header = json::object();
  uint64_t offset = 0;
  for (const RawTensor& e : es) {
    uint64_t bytes = element_bytes(e.dtype);
    for (int64_t d : e.shape) bytes *= uint64_t(d);
    header[e.name] = {{"dtype", e.dtype}, {"shape", e.shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  json meta = json::object();
  for (const auto& [k, v] : metadata) meta[k] = v;
  meta["format"] = "pt";
  header["__metadata__"] = meta;
  std::string text = header.dump();
  while ((8 + text.size()) % 8 != 0) text.push_back(' ');  // tensor data starts 8-byte aligned

  std::vector<uint8_t> out(8 + text.size() + offset);
  uint64_t n = text.size();
  for (int i = 0; i < 8; ++i) out[i] = uint8_t(n >> (8 * i));
  std::memcpy(out.data() + 8, text.data(), text.size());
  uint8_t* data = out.data() + 8 + text.size();
  for (const RawTensor& e : es) {
    size_t count = element_bytes(e.dtype);
    for (int64_t d : e.shape) count *= size_t(d);
    if (count) std::memcpy(data, e.data, count);  // host is little-endian (x86-64, WebAssembly)
    data += count;
  }
  return out;
}

Expected<Model> decode_safetensors(const uint8_t* bytes, size_t size, const std::string& name,
                                   const Arch& arch) {
  auto err = [&](const std::string& msg) { return Error{name + ": " + msg}; };
  if (size < 8)
    return err("too short for a safetensors file (" + std::to_string(size) + " bytes, need at least 8)");
  uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= uint64_t(bytes[i]) << (8 * i);
  if (n > size - 8) {
    return err("header length " + std::to_string(n) + " (bytes 0-7) is larger than the " +
               std::to_string(size - 8) + " bytes that follow: not a safetensors file, or truncated");
  }
  if (n > kMaxHeader)
    return err("header length " + std::to_string(n) + " exceeds the limit of " + std::to_string(kMaxHeader));
  json header = json::parse(bytes + 8, bytes + 8 + n, nullptr, /*allow_exceptions=*/false);
  if (header.is_discarded()) return err("header (bytes 8-" + std::to_string(8 + n) + ") is not valid JSON");
  if (!header.is_object()) return err("header is not a JSON object");

  const uint8_t* data = bytes + 8 + n;
  const uint64_t data_size = size - 8 - n;
  Model model{Params(arch), Params(arch), false, {}};
  std::vector<Entry> expected = entries(model, true);
  struct Range {
    uint64_t begin, end;
    std::string name;
  };
  std::vector<Range> ranges;
  int found_init = 0;

  for (auto it = header.begin(); it != header.end(); ++it) {
    const std::string& key = it.key();
    const json& v = it.value();
    if (key == "__metadata__") {
      if (!v.is_object()) return err("__metadata__ is not an object");
      for (auto m = v.begin(); m != v.end(); ++m) {
        if (!m.value().is_string()) return err("__metadata__." + m.key() + " is not a string");
        model.metadata[m.key()] = m.value().get<std::string>();
      }
      continue;
    }
    auto e = std::find_if(expected.begin(), expected.end(), [&](const Entry& x) { return x.name == key; });
    if (e == expected.end())
      return err("unexpected tensor '" + key + "' (this is not a Booksmart 784-64-64-10 model)");
    if (!v.is_object() || !v.contains("dtype") || !v.contains("shape") || !v.contains("data_offsets")) {
      return err("tensor '" + key + "' lacks dtype, shape or data_offsets");
    }
    if (!v["dtype"].is_string()) return err("tensor '" + key + "': dtype is not a string");
    std::string dtype = v["dtype"].get<std::string>();
    if (dtype != "F32") return err("tensor '" + key + "' has dtype " + dtype + ", expected F32");
    const json& shape = v["shape"];
    std::vector<int64_t> got;
    bool shape_ok = shape.is_array();
    if (shape_ok) {
      for (const json& d : shape) {
        if (!d.is_number_integer() || d.get<int64_t>() < 0) {
          shape_ok = false;
          break;
        }
        got.push_back(d.get<int64_t>());
      }
    }
    if (!shape_ok) return err("tensor '" + key + "': shape is not a list of non-negative integers");
    if (got != e->shape) {
      return err("tensor '" + key + "' has shape " + shape_str(got) + ", expected " + shape_str(e->shape));
    }
    const json& off = v["data_offsets"];
    if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() || !off[1].is_number_unsigned()) {
      return err("tensor '" + key + "': data_offsets is not a pair of non-negative integers");
    }
    uint64_t begin = off[0].get<uint64_t>(), end = off[1].get<uint64_t>();
    uint64_t want = sizeof(float);
    for (int64_t d : got) want *= uint64_t(d);
    if (begin > end || end > data_size) {
      return err("tensor '" + key + "': data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) +
                 "] fall outside the " + std::to_string(data_size) + " data bytes");
    }
    if (end - begin != want) {
      return err("tensor '" + key + "': data_offsets span " + std::to_string(end - begin) +
                 " bytes, shape needs " + std::to_string(want));
    }
    ranges.push_back({begin, end, key});
    const uint8_t* src = data + begin;
    for (uint64_t i = 0; i < want / sizeof(float); ++i) {
      float x;
      std::memcpy(&x, src + i * sizeof(float), sizeof(float));
      if (!std::isfinite(x)) {
        return err("tensor '" + key + "' holds a non-finite value (" + std::to_string(x) + ") at element " +
                   std::to_string(i));
      }
      e->dst[i] = x;
    }
    if (key.rfind("init.", 0) == 0) ++found_init;
  }
  for (const Entry& e : expected) {
    bool is_init = e.name.rfind("init.", 0) == 0;
    if (!header.contains(e.name) && (!is_init || found_init > 0))
      return err("tensor '" + e.name + "' is missing");
  }
  std::sort(ranges.begin(), ranges.end(), [](const Range& a, const Range& b) { return a.begin < b.begin; });
  uint64_t cursor = 0;
  for (const Range& r : ranges) {
    if (r.begin < cursor)
      return err("tensor '" + r.name + "' overlaps the tensor before it (offset " + std::to_string(r.begin) +
                 ")");
    if (r.begin > cursor)
      return err("gap of unused bytes before tensor '" + r.name + "' (offset " + std::to_string(cursor) +
                 ")");
    cursor = r.end;
  }
  if (cursor != data_size)
    return err(std::to_string(data_size - cursor) + " trailing bytes after the last tensor");
  model.has_init = found_init > 0;
  if (!model.has_init) model.init = model.params;
  return model;
}

}  // namespace bs
