// Feeds one split of MNIST (an image file and its label file) into a Dataset, chunk by chunk, in any
// interleaving of the two files. It checks that both files declare the same number of items as soon as both
// headers are in, so a mismatched pair fails before training sees a single image.
#pragma once

#include <string>

#include "core/data/dataset.h"
#include "core/data/idx_parser.h"

namespace bs {

class SplitStream {
 public:
  SplitStream(const std::string& images_name, const std::string& labels_name, Dataset* out);

  void expect_image_bytes(uint64_t total) { images_.expect_total_bytes(total); }
  void expect_label_bytes(uint64_t total) { labels_.expect_total_bytes(total); }

  Status push_images(const uint8_t* data, size_t size);
  Status push_labels(const uint8_t* data, size_t size);
  Status finish() const;  // both files complete

  const IdxParser& images() const { return images_; }
  const IdxParser& labels() const { return labels_; }
  uint64_t image_bytes_seen() const { return images_.bytes_seen(); }
  uint64_t label_bytes_seen() const { return labels_.bytes_seen(); }

 private:
  Status check_counts();

  Dataset* out_;
  IdxParser images_;
  IdxParser labels_;
};

}  // namespace bs
