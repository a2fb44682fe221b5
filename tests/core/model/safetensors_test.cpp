#include "core/model/safetensors.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include "tests/core/test_util.h"

namespace bs {
namespace {

using json = nlohmann::json;

Model sample_model() {
  Model m = make_model(Arch{}, 3);
  test::randomize(m.params, 4);
  m.metadata["note"] = "hello";
  return m;
}

// Splits a file into its JSON header and data, and joins them back, so tests can edit the header.
struct Parts {
  json header;
  std::vector<uint8_t> data;
};
Parts split(const std::vector<uint8_t>& f) {
  uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= uint64_t(f[size_t(i)]) << (8 * i);
  return {json::parse(f.begin() + 8, f.begin() + 8 + long(n)),
          std::vector<uint8_t>(f.begin() + 8 + long(n), f.end())};
}
std::vector<uint8_t> join(const std::string& header, const std::vector<uint8_t>& data) {
  std::vector<uint8_t> out(8 + header.size() + data.size());
  for (int i = 0; i < 8; ++i) out[size_t(i)] = uint8_t(uint64_t(header.size()) >> (8 * i));
  std::copy(header.begin(), header.end(), out.begin() + 8);
  std::copy(data.begin(), data.end(), out.begin() + 8 + long(header.size()));
  return out;
}
std::vector<uint8_t> join(const Parts& p) {
  return join(p.header.dump(), p.data);
}

std::string error_of(const std::vector<uint8_t>& f) {
  auto m = decode_safetensors(f.data(), f.size(), "m.safetensors");
  EXPECT_FALSE(m.ok());
  return m.error();
}

TEST(Safetensors, RoundTripIsBitExact) {
  Model m = sample_model();
  std::vector<uint8_t> f = encode_safetensors(m);
  auto back = decode_safetensors(f.data(), f.size(), "m");
  ASSERT_TRUE(back.ok()) << back.error();
  for (size_t k = 0; k < 6; ++k) {
    EXPECT_EQ(0, std::memcmp(m.params.tensors()[k].data, back->params.tensors()[k].data,
                             4 * size_t(m.params.tensors()[k].size())));
    EXPECT_EQ(0, std::memcmp(m.init.tensors()[k].data, back->init.tensors()[k].data,
                             4 * size_t(m.init.tensors()[k].size())));
  }
  EXPECT_EQ(back->metadata.at("note"), "hello");
  EXPECT_TRUE(back->has_init);
}

TEST(Safetensors, EncodingIsDeterministic) {
  EXPECT_EQ(encode_safetensors(sample_model()), encode_safetensors(sample_model()));
}

TEST(Safetensors, FollowsTheFormatLayout) {
  std::vector<uint8_t> f = encode_safetensors(sample_model());
  Parts p = split(f);
  EXPECT_EQ((f.size() - p.data.size()) % 8, 0u) << "data must start 8-byte aligned";
  EXPECT_EQ(p.header["layer1.weight"]["shape"], json({64, 784}));
  EXPECT_EQ(p.header["layer3.bias"]["dtype"], "F32");
  EXPECT_EQ(p.header["__metadata__"]["format"], "pt");
  EXPECT_EQ(p.data.size(), 2u * 55050u * 4u);
}

TEST(Safetensors, RawTensorsTakeEightBytesPerI64AndFourPerF32) {
  const float f[3] = {0.5f, 1.0f, 2.0f};
  const int64_t l[2] = {-1, int64_t(1) << 40};
  std::vector<uint8_t> file =
      encode_safetensors({{"f", "F32", {3}, f}, {"l", "I64", {2}, l}}, {{"content", "test"}});
  Parts p = split(file);
  EXPECT_EQ(p.header["f"]["data_offsets"], json({0, 12}));
  EXPECT_EQ(p.header["l"]["data_offsets"], json({12, 28}));
  ASSERT_EQ(p.data.size(), 28u);
  int64_t back[2];
  std::memcpy(back, p.data.data() + 12, sizeof back);
  EXPECT_EQ(back[0], -1);
  EXPECT_EQ(back[1], int64_t(1) << 40);
}

TEST(Safetensors, LoadsAFileWithoutInitialWeights) {
  Parts p = split(encode_safetensors(sample_model()));
  // Rebuild with only the six trained tensors, packed from offset 0.
  json h = json::object();
  std::vector<uint8_t> data;
  for (auto& [k, v] : p.header.items()) {
    if (k.rfind("init.", 0) == 0 || k == "__metadata__") continue;
    uint64_t b = v["data_offsets"][0], e = v["data_offsets"][1];
    h[k] = v;
    h[k]["data_offsets"] = {data.size(), data.size() + (e - b)};
    data.insert(data.end(), p.data.begin() + long(b), p.data.begin() + long(e));
  }
  auto m = decode_safetensors(join(h.dump(), data).data(), join(h.dump(), data).size(), "m");
  ASSERT_TRUE(m.ok()) << m.error();
  EXPECT_FALSE(m->has_init);
}

TEST(Safetensors, RejectsTooShortFile) {
  EXPECT_NE(error_of({1, 2, 3}).find("too short"), std::string::npos);
}

TEST(Safetensors, RejectsHeaderLengthLargerThanTheFile) {
  std::vector<uint8_t> f = encode_safetensors(sample_model());
  f[7] = 0x10;
  std::string e = error_of(f);
  EXPECT_NE(e.find("larger than"), std::string::npos) << e;
  EXPECT_EQ(e.rfind("m.safetensors: ", 0), 0u);
}

TEST(Safetensors, RejectsInvalidJson) {
  EXPECT_NE(error_of(join("{\"layer1.weight\": [", {})).find("not valid JSON"), std::string::npos);
}

TEST(Safetensors, RejectsWrongDtype) {
  Parts p = split(encode_safetensors(sample_model()));
  p.header["layer2.bias"]["dtype"] = "F16";
  EXPECT_NE(error_of(join(p)).find("'layer2.bias' has dtype F16, expected F32"), std::string::npos);
}

TEST(Safetensors, RejectsWrongShape) {
  Parts p = split(encode_safetensors(sample_model()));
  p.header["layer1.weight"]["shape"] = {784, 64};
  EXPECT_NE(error_of(join(p)).find("has shape [784, 64], expected [64, 784]"), std::string::npos);
}

TEST(Safetensors, RejectsOffsetsOutOfRange) {
  Parts p = split(encode_safetensors(sample_model()));
  p.header["layer3.bias"]["data_offsets"] = {p.data.size() - 8, p.data.size() + 32};
  EXPECT_NE(error_of(join(p)).find("fall outside"), std::string::npos);
}

TEST(Safetensors, RejectsOverlappingTensors) {
  Parts p = split(encode_safetensors(sample_model()));
  p.header["layer3.bias"]["data_offsets"] = p.header["layer2.bias"]["data_offsets"];
  p.header["layer3.bias"]["shape"] = {10};
  p.header["layer2.bias"]["shape"] = {64};
  // layer3.bias (10 floats) cannot take layer2.bias's 64-float range: the size check fires first, so give it
  // a 10-float window inside that range instead.
  uint64_t b = p.header["layer2.bias"]["data_offsets"][0];
  p.header["layer3.bias"]["data_offsets"] = {b, b + 40};
  std::string e = error_of(join(p));
  EXPECT_NE(e.find("overlaps"), std::string::npos) << e;
}

TEST(Safetensors, RejectsNaNAndInfinity) {
  for (float bad : {std::nanf(""), INFINITY}) {
    Parts p = split(encode_safetensors(sample_model()));
    uint64_t b = p.header["layer2.weight"]["data_offsets"][0];
    std::memcpy(p.data.data() + b + 4 * 5, &bad, 4);
    EXPECT_NE(error_of(join(p)).find("'layer2.weight' holds a non-finite value"), std::string::npos);
  }
}

TEST(Safetensors, RejectsMissingTensor) {
  Parts p = split(encode_safetensors(sample_model()));
  p.header.erase("layer1.bias");
  EXPECT_NE(error_of(join(p)).find("'layer1.bias' is missing"), std::string::npos);
}

TEST(Safetensors, RejectsExtraTensor) {
  Parts p = split(encode_safetensors(sample_model()));
  p.header["layer4.weight"] = {{"dtype", "F32"}, {"shape", {1}}, {"data_offsets", {0, 4}}};
  EXPECT_NE(error_of(join(p)).find("unexpected tensor 'layer4.weight'"), std::string::npos);
}

TEST(Safetensors, RejectsTrailingBytes) {
  Parts p = split(encode_safetensors(sample_model()));
  p.data.push_back(0);
  EXPECT_NE(error_of(join(p)).find("trailing bytes"), std::string::npos);
}

}  // namespace
}  // namespace bs
