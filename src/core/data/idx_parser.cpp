#include "core/data/idx_parser.h"

#include <algorithm>
#include <cstring>

#include "core/data/dataset.h"

namespace bs {
namespace {

constexpr uint32_t kMaxItems = 10'000'000;  // far above any MNIST-style set; stops absurd reservations

uint32_t read_be32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

std::string hex_byte(uint8_t b) {
  const char* digits = "0123456789abcdef";
  return std::string("0x") + digits[b >> 4] + digits[b & 15];
}

}  // namespace

IdxParser::IdxParser(std::string name, IdxKind kind, std::vector<uint8_t>* out)
    : name_(std::move(name)),
      kind_(kind),
      out_(out),
      header_size_(kind == IdxKind::kImages ? 16 : 8),
      item_size_(kind == IdxKind::kImages ? kPixels : 1) {
  partial_.reserve(item_size_);
}

Status IdxParser::fail(std::string message) {
  error_ = name_ + ": " + message;
  return Error{error_};
}

Status IdxParser::check_prefix() {
  // Runs after every header byte, so a wrong file fails on its first bytes, not only once 16 have arrived.
  const uint8_t* h = header_;
  if ((offset_ >= 1 && h[0] != 0) || (offset_ >= 2 && h[1] != 0)) {
    std::string got = offset_ >= 2 ? hex_byte(h[0]) + " " + hex_byte(h[1]) : hex_byte(h[0]);
    return fail("not an IDX file: it starts with " + got + ", expected 0x00 0x00" +
                (h[0] == 0x1f ? " (gzip data starts with 0x1f 0x8b: decompress it first)" : ""));
  }
  if (offset_ < 3) return Status::Ok();
  if (h[2] != 0x08)
    return fail("unsupported element type " + hex_byte(h[2]) + " at offset 2 (only 0x08, unsigned byte)");
  if (offset_ < 4) return Status::Ok();
  const char* what = kind_ == IdxKind::kImages ? "images" : "labels";
  int want_rank = kind_ == IdxKind::kImages ? 3 : 1;
  if (h[3] != want_rank) {
    std::string hint = h[3] == 1 ? " (this is a label file)" : h[3] == 3 ? " (this is an image file)" : "";
    return fail("rank " + std::to_string(h[3]) + " at offset 3, expected " + std::to_string(want_rank) +
                " for " + what + hint);
  }
  return Status::Ok();
}

Status IdxParser::parse_header() {
  const uint8_t* h = header_;
  const char* what = kind_ == IdxKind::kImages ? "images" : "labels";
  count_ = read_be32(h + 4);
  if (count_ == 0) return fail(std::string("header at offset 4 declares 0 ") + what);
  if (count_ > kMaxItems) {
    return fail("header at offset 4 declares " + std::to_string(count_) + " " + what +
                ", more than the limit of " + std::to_string(kMaxItems));
  }
  if (kind_ == IdxKind::kImages) {
    uint32_t rows = read_be32(h + 8), cols = read_be32(h + 12);
    if (rows != kImageSide || cols != kImageSide) {
      return fail("images are " + std::to_string(rows) + "x" + std::to_string(cols) +
                  " (offsets 8 and 12), expected 28x28");
    }
  }
  uint64_t needed = header_size_ + uint64_t(count_) * item_size_;
  if (expected_total_ != 0 && expected_total_ != needed) {
    return fail("header declares " + std::to_string(count_) + " " + what + " (" + std::to_string(needed) +
                " bytes) but the file has " + std::to_string(expected_total_) + " bytes");
  }
  // Reserve only once the count is confirmed by the known size: a hostile header cannot make us allocate.
  if (expected_total_ != 0) out_->reserve(out_->size() + uint64_t(count_) * item_size_);
  header_done_ = true;
  return Status::Ok();
}

Status IdxParser::take_item(const uint8_t* item, uint64_t item_offset) {
  if (kind_ == IdxKind::kLabels && item[0] > 9) {
    return fail("label " + std::to_string(item[0]) + " at offset " + std::to_string(item_offset) + " (item " +
                std::to_string(items_) + ") is outside 0-9");
  }
  out_->insert(out_->end(), item, item + item_size_);
  ++items_;
  return Status::Ok();
}

Status IdxParser::push(const uint8_t* data, size_t size) {
  if (!error_.empty()) return Error{error_};
  size_t pos = 0;
  while (pos < size) {
    if (!header_done_) {
      size_t take = std::min(size - pos, header_size_ - size_t(offset_));
      std::memcpy(header_ + offset_, data + pos, take);
      for (size_t i = 0; i < take; ++i) {
        // One byte at a time through the prefix check: at most 16 iterations per file.
        ++offset_;
        Status s = check_prefix();
        if (!s.ok()) return s;
      }
      pos += take;
      if (offset_ == header_size_) {
        Status s = parse_header();
        if (!s.ok()) return s;
      }
      continue;
    }
    if (items_ == count_) {
      return fail("trailing bytes after the " + std::to_string(count_) + " declared items, at offset " +
                  std::to_string(offset_));
    }
    uint64_t item_offset = offset_ - partial_.size();
    if (partial_.empty() && size - pos >= item_size_) {
      // Whole item inside this chunk: no copy through the partial buffer.
      Status s = take_item(data + pos, item_offset);
      if (!s.ok()) return s;
      pos += item_size_;
      offset_ += item_size_;
      continue;
    }
    size_t take = std::min(size - pos, item_size_ - partial_.size());
    partial_.insert(partial_.end(), data + pos, data + pos + take);
    pos += take;
    offset_ += take;
    if (partial_.size() == item_size_) {
      Status s = take_item(partial_.data(), item_offset);
      if (!s.ok()) return s;
      partial_.clear();
    }
  }
  return Status::Ok();
}

Status IdxParser::finish() const {
  if (!error_.empty()) return Error{error_};
  if (!header_done_) {
    if (offset_ == 0) return Error{name_ + ": empty file"};
    return Error{name_ + ": truncated header: input ends at offset " + std::to_string(offset_) +
                 ", the header needs " + std::to_string(header_size_) + " bytes"};
  }
  if (items_ < count_) {
    return Error{name_ + ": truncated: input ends at offset " + std::to_string(offset_) + " inside item " +
                 std::to_string(items_) + " of " + std::to_string(count_) + " (expected " +
                 std::to_string(header_size_ + uint64_t(count_) * item_size_) + " bytes)"};
  }
  return Status::Ok();
}

}  // namespace bs
