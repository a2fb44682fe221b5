// Push parser for the IDX format that MNIST ships in. It is fed byte chunks of any size, from one byte to the
// whole file, and appends each image or label to its output as soon as the item is whole. So training can
// start while the rest of the file is still arriving over the network.
//
// Layout (big-endian): 0x00 0x00 <dtype 0x08 = ubyte> <rank>, then rank uint32 dimensions, then the items.
// Images: rank 3 (count, 28, 28), 16-byte header. Labels: rank 1 (count), 8-byte header, values 0..9.
//
// Every problem is an error naming the file and the byte offset. After an error the parser refuses more
// input, and the output holds only items that were complete and valid before it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/util/status.h"

namespace bs {

enum class IdxKind { kImages, kLabels };

class IdxParser {
 public:
  // `name` appears in error messages; complete items are appended to `out`, which must outlive the parser.
  IdxParser(std::string name, IdxKind kind, std::vector<uint8_t>* out);

  // Optional: the total byte size of the file when it is known (file size, Content-Length). The header's
  // count is then checked against it before anything is reserved.
  void expect_total_bytes(uint64_t total) { expected_total_ = total; }

  Status push(const uint8_t* data, size_t size);
  // Call at end of input: reports a truncated header or body.
  Status finish() const;

  bool header_done() const { return header_done_; }
  uint32_t declared_count() const { return count_; }
  uint32_t items_done() const { return items_; }
  uint64_t bytes_seen() const { return offset_; }
  const std::string& name() const { return name_; }

 private:
  Status fail(std::string message);
  Status check_prefix();
  Status parse_header();
  Status take_item(const uint8_t* item, uint64_t item_offset);

  std::string name_;
  IdxKind kind_;
  std::vector<uint8_t>* out_;
  uint64_t expected_total_ = 0;
  uint64_t offset_ = 0;  // bytes consumed so far
  uint8_t header_[16] = {};
  size_t header_size_;  // 16 for images, 8 for labels
  bool header_done_ = false;
  uint32_t count_ = 0;
  uint32_t items_ = 0;
  size_t item_size_;
  std::vector<uint8_t> partial_;  // bytes of an item split across chunks (capacity = one item)
  std::string error_;
};

}  // namespace bs
