#include <gtest/gtest.h>
#include <zlib.h>

#include "core/io/gunzip_zlib.h"
#include "core/util/rng.h"

namespace bs {
namespace {

std::vector<uint8_t> gzip(const std::vector<uint8_t>& data) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::vector<uint8_t> out(deflateBound(&z, uLong(data.size())) + 32);
  z.next_in = const_cast<Bytef*>(data.data());
  z.avail_in = uInt(data.size());
  z.next_out = out.data();
  z.avail_out = uInt(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::vector<uint8_t> sample(size_t n) {
  std::vector<uint8_t> v(n);
  Pcg32 rng(1);
  for (size_t i = 0; i < n; ++i) v[i] = uint8_t(rng.below(16));  // compressible but not trivial
  return v;
}

Status gunzip(const std::vector<uint8_t>& gz, std::vector<uint8_t>* out, size_t chunk) {
  auto g = make_zlib_gunzip("x.gz");
  auto sink = [&](const uint8_t* p, size_t n) {
    out->insert(out->end(), p, p + n);
    return Status::Ok();
  };
  for (size_t i = 0; i < gz.size(); i += chunk) {
    Status s = g->push(gz.data() + i, std::min(chunk, gz.size() - i), sink);
    if (!s.ok()) return s;
  }
  return g->finish();
}

TEST(ZlibGunzip, DecodesWhenSplitAtEveryBytePosition) {
  std::vector<uint8_t> data = sample(3000), gz = gzip(data);
  for (size_t cut = 0; cut <= gz.size(); ++cut) {
    auto g = make_zlib_gunzip("x.gz");
    std::vector<uint8_t> out;
    auto sink = [&](const uint8_t* p, size_t n) {
      out.insert(out.end(), p, p + n);
      return Status::Ok();
    };
    ASSERT_TRUE(g->push(gz.data(), cut, sink).ok());
    ASSERT_TRUE(g->push(gz.data() + cut, gz.size() - cut, sink).ok());
    ASSERT_TRUE(g->finish().ok());
    ASSERT_EQ(out, data) << "cut at " << cut;
  }
}

TEST(ZlibGunzip, DecodesOutputLargerThanItsBuffer) {
  std::vector<uint8_t> data = sample(1 << 20), out;
  ASSERT_TRUE(gunzip(gzip(data), &out, 1 << 20).ok());
  EXPECT_EQ(out, data);
}

TEST(ZlibGunzip, DecodesConcatenatedMembersAsOneStream) {
  std::vector<uint8_t> a = sample(500), b(300, 7);
  std::vector<uint8_t> gz = gzip(a), gb = gzip(b);
  gz.insert(gz.end(), gb.begin(), gb.end());
  std::vector<uint8_t> out;
  ASSERT_TRUE(gunzip(gz, &out, 77).ok());
  a.insert(a.end(), b.begin(), b.end());
  EXPECT_EQ(out, a);
}

TEST(ZlibGunzip, ReportsTruncatedStream) {
  std::vector<uint8_t> gz = gzip(sample(2000)), out;
  gz.resize(gz.size() / 2);
  Status s = gunzip(gz, &out, 64);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("truncated"), std::string::npos) << s.message();
}

TEST(ZlibGunzip, ReportsCorruptedCrc) {
  std::vector<uint8_t> gz = gzip(sample(2000)), out;
  gz[gz.size() - 6] ^= 0xff;  // inside the CRC32 trailer
  Status s = gunzip(gz, &out, 64);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("incorrect data check"), std::string::npos) << s.message();
}

TEST(ZlibGunzip, ReportsDataThatIsNotGzip) {
  std::vector<uint8_t> raw = {0, 0, 8, 3, 1, 2, 3, 4, 5, 6, 7, 8}, out;
  Status s = gunzip(raw, &out, 64);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("not gzip"), std::string::npos) << s.message();
  EXPECT_EQ(s.message().rfind("x.gz: ", 0), 0u);
}

TEST(ZlibGunzip, ReportsEmptyInputAsTruncated) {
  auto g = make_zlib_gunzip("x.gz");
  EXPECT_FALSE(g->finish().ok());
}

TEST(ZlibGunzip, StopsWhenTheSinkFails) {
  std::vector<uint8_t> gz = gzip(sample(1000));
  auto g = make_zlib_gunzip("x.gz");
  Status s =
      g->push(gz.data(), gz.size(), [](const uint8_t*, size_t) { return Status(Error{"sink says no"}); });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "sink says no");
  EXPECT_FALSE(g->finish().ok());
}

}  // namespace
}  // namespace bs
