#include "core/data/idx_parser.h"

#include <gtest/gtest.h>

#include "core/data/split_stream.h"
#include "tests/core/test_util.h"

namespace bs {
namespace {

using test::idx_images;
using test::idx_labels;

Status parse_all(const std::vector<uint8_t>& bytes, IdxKind kind, std::vector<uint8_t>* out,
                 size_t chunk = 0) {
  IdxParser p("f", kind, out);
  if (chunk == 0) chunk = bytes.size() ? bytes.size() : 1;
  for (size_t i = 0; i < bytes.size(); i += chunk) {
    Status s = p.push(bytes.data() + i, std::min(chunk, bytes.size() - i));
    if (!s.ok()) return s;
  }
  return p.finish();
}

std::string error_of(const std::vector<uint8_t>& bytes, IdxKind kind) {
  std::vector<uint8_t> out;
  Status s = parse_all(bytes, kind, &out);
  EXPECT_FALSE(s.ok());
  return s.message();
}

TEST(IdxParser, SplitAtEveryBytePositionGivesTheSameImages) {
  std::vector<uint8_t> file = idx_images(3);
  std::vector<uint8_t> expected(file.begin() + 16, file.end());
  for (size_t cut = 0; cut <= file.size(); ++cut) {
    std::vector<uint8_t> out;
    IdxParser p("f", IdxKind::kImages, &out);
    ASSERT_TRUE(p.push(file.data(), cut).ok()) << cut;
    ASSERT_TRUE(p.push(file.data() + cut, file.size() - cut).ok()) << cut;
    ASSERT_TRUE(p.finish().ok()) << cut;
    ASSERT_EQ(out, expected) << "cut at " << cut;
  }
}

TEST(IdxParser, EveryChunkSizeGivesTheSameLabels) {
  std::vector<uint8_t> file = idx_labels({3, 1, 4, 1, 5, 9, 2, 6});
  for (size_t chunk = 1; chunk <= file.size(); ++chunk) {
    std::vector<uint8_t> out;
    ASSERT_TRUE(parse_all(file, IdxKind::kLabels, &out, chunk).ok()) << chunk;
    EXPECT_EQ(out, (std::vector<uint8_t>{3, 1, 4, 1, 5, 9, 2, 6}));
  }
}

TEST(IdxParser, YieldsEachImageAsSoonAsItIsWhole) {
  std::vector<uint8_t> file = idx_images(2);
  std::vector<uint8_t> out;
  IdxParser p("f", IdxKind::kImages, &out);
  ASSERT_TRUE(p.push(file.data(), 16 + 783).ok());
  EXPECT_EQ(out.size(), 0u);
  ASSERT_TRUE(p.push(file.data() + 16 + 783, 1).ok());
  EXPECT_EQ(out.size(), 784u);
  EXPECT_EQ(p.items_done(), 1u);
}

TEST(IdxParser, RejectsWrongMagic) {
  std::vector<uint8_t> f = idx_images(1);
  f[0] = 1;
  EXPECT_NE(error_of(f, IdxKind::kImages).find("not an IDX file"), std::string::npos);
}

TEST(IdxParser, RecognisesGzipDataByItsMagic) {
  std::vector<uint8_t> f = idx_images(1);
  f[0] = 0x1f;
  f[1] = 0x8b;
  EXPECT_NE(error_of(f, IdxKind::kImages).find("gzip"), std::string::npos);
}

TEST(IdxParser, RejectsNonByteElementType) {
  std::vector<uint8_t> f = idx_images(1);
  f[2] = 0x0d;  // float
  EXPECT_NE(error_of(f, IdxKind::kImages).find("element type 0x0d at offset 2"), std::string::npos);
}

TEST(IdxParser, RejectsWrongRankAndSaysWhatTheFileIs) {
  std::string e = error_of(idx_labels({1, 2}), IdxKind::kImages);
  EXPECT_NE(e.find("rank 1 at offset 3"), std::string::npos) << e;
  EXPECT_NE(e.find("label file"), std::string::npos) << e;
}

TEST(IdxParser, RejectsImagesThatAreNot28By28) {
  std::vector<uint8_t> f = idx_images(1);
  f[11] = 27;
  EXPECT_NE(error_of(f, IdxKind::kImages).find("27x28"), std::string::npos);
  f[11] = 0;
  f[15] = 0;
  EXPECT_NE(error_of(f, IdxKind::kImages).find("0x0"), std::string::npos);
}

TEST(IdxParser, RejectsZeroCount) {
  EXPECT_NE(error_of(idx_labels({}), IdxKind::kLabels).find("declares 0 labels"), std::string::npos);
}

TEST(IdxParser, RejectsHugeCountWithoutAllocating) {
  std::vector<uint8_t> f = {0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 28, 0, 0, 0, 28};
  std::vector<uint8_t> out;
  IdxParser p("f", IdxKind::kImages, &out);
  Status s = p.push(f.data(), f.size());
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("more than the limit"), std::string::npos);
  EXPECT_EQ(out.capacity(), 0u);
}

TEST(IdxParser, ChecksTheCountAgainstAKnownFileSizeBeforeReserving) {
  std::vector<uint8_t> f = idx_images(2);
  f[7] = 200;  // claims 200 images
  std::vector<uint8_t> out;
  IdxParser p("f", IdxKind::kImages, &out);
  p.expect_total_bytes(f.size());
  Status s = p.push(f.data(), f.size());
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("but the file has " + std::to_string(f.size()) + " bytes"), std::string::npos);
  EXPECT_EQ(out.capacity(), 0u);
}

TEST(IdxParser, RejectsLabelOutsideZeroToNineWithItsOffset) {
  for (uint8_t bad : {uint8_t(10), uint8_t(255)}) {
    std::vector<uint8_t> out;
    Status s = parse_all(idx_labels({1, 2, bad, 3}), IdxKind::kLabels, &out);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.message().find("label " + std::to_string(bad) + " at offset 10 (item 2)"), std::string::npos)
        << s.message();
    EXPECT_EQ(out, (std::vector<uint8_t>{1, 2}));  // only the valid labels before it
  }
}

TEST(IdxParser, ReportsTruncatedHeader) {
  std::vector<uint8_t> f = idx_images(1);
  f.resize(10);
  EXPECT_NE(error_of(f, IdxKind::kImages).find("truncated header: input ends at offset 10"),
            std::string::npos);
}

TEST(IdxParser, ReportsTruncatedBodyAndKeepsOnlyWholeImages) {
  std::vector<uint8_t> f = idx_images(3);
  f.resize(16 + 784 + 500);
  std::vector<uint8_t> out;
  Status s = parse_all(f, IdxKind::kImages, &out, 100);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("inside item 1 of 3"), std::string::npos) << s.message();
  EXPECT_EQ(out.size(), 784u);
}

TEST(IdxParser, RejectsTrailingBytes) {
  std::vector<uint8_t> f = idx_labels({1, 2});
  f.push_back(0);
  EXPECT_NE(error_of(f, IdxKind::kLabels).find("trailing bytes after the 2 declared items, at offset 10"),
            std::string::npos);
}

TEST(IdxParser, RejectsEmptyInput) {
  EXPECT_NE(error_of({}, IdxKind::kLabels).find("empty file"), std::string::npos);
}

TEST(IdxParser, RefusesInputAfterAnError) {
  std::vector<uint8_t> out;
  IdxParser p("f", IdxKind::kLabels, &out);
  std::vector<uint8_t> bad = {9, 9};
  EXPECT_FALSE(p.push(bad.data(), bad.size()).ok());
  std::vector<uint8_t> good = idx_labels({1});
  EXPECT_FALSE(p.push(good.data(), good.size()).ok());
  EXPECT_TRUE(out.empty());
}

TEST(IdxParser, NamesTheFileInErrors) {
  std::vector<uint8_t> out;
  IdxParser p("train-labels-idx1-ubyte", IdxKind::kLabels, &out);
  std::vector<uint8_t> bad = {1, 0, 8, 1};
  Status s = p.push(bad.data(), bad.size());
  EXPECT_EQ(s.message().rfind("train-labels-idx1-ubyte: ", 0), 0u);
}

TEST(SplitStream, PairsImagesWithLabelsInAnyInterleaving) {
  std::vector<uint8_t> images = idx_images(4), labels = idx_labels({0, 1, 2, 3});
  Dataset d;
  SplitStream s("img", "lbl", &d);
  ASSERT_TRUE(s.push_images(images.data(), 16 + 784 * 2).ok());
  EXPECT_EQ(d.size(), 0u);  // no labels yet: no usable image
  ASSERT_TRUE(s.push_labels(labels.data(), 8 + 1).ok());
  EXPECT_EQ(d.size(), 1u);
  ASSERT_TRUE(s.push_labels(labels.data() + 9, labels.size() - 9).ok());
  EXPECT_EQ(d.size(), 2u);
  ASSERT_TRUE(s.push_images(images.data() + 16 + 784 * 2, images.size() - 16 - 784 * 2).ok());
  ASSERT_TRUE(s.finish().ok());
  EXPECT_EQ(d.size(), 4u);
  EXPECT_TRUE(d.complete());
  EXPECT_EQ(d.label(3), 3);
}

TEST(SplitStream, RejectsImageAndLabelCountsThatDisagree) {
  std::vector<uint8_t> images = idx_images(3), labels = idx_labels({0, 1});
  Dataset d;
  SplitStream s("img", "lbl", &d);
  ASSERT_TRUE(s.push_labels(labels.data(), labels.size()).ok());
  Status st = s.push_images(images.data(), 16);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("img declares 3 images but lbl declares 2 labels"), std::string::npos);
}

TEST(SplitStream, FinishReportsAnIncompleteFile) {
  std::vector<uint8_t> images = idx_images(2), labels = idx_labels({0, 1});
  Dataset d;
  SplitStream s("img", "lbl", &d);
  ASSERT_TRUE(s.push_labels(labels.data(), labels.size()).ok());
  ASSERT_TRUE(s.push_images(images.data(), images.size() - 1).ok());
  EXPECT_FALSE(s.finish().ok());
  EXPECT_EQ(d.size(), 1u);
}

}  // namespace
}  // namespace bs
