#include "core/data/split_stream.h"

namespace bs {

SplitStream::SplitStream(const std::string& images_name, const std::string& labels_name, Dataset* out)
    : out_(out),
      images_(images_name, IdxKind::kImages, &out->images),
      labels_(labels_name, IdxKind::kLabels, &out->labels) {}

Status SplitStream::check_counts() {
  if (!images_.header_done() || !labels_.header_done()) return Status::Ok();
  if (images_.declared_count() != labels_.declared_count()) {
    return Error{images_.name() + " declares " + std::to_string(images_.declared_count()) + " images but " +
                 labels_.name() + " declares " + std::to_string(labels_.declared_count()) + " labels"};
  }
  out_->declared = images_.declared_count();
  return Status::Ok();
}

Status SplitStream::push_images(const uint8_t* data, size_t size) {
  Status s = images_.push(data, size);
  return s.ok() ? check_counts() : s;
}

Status SplitStream::push_labels(const uint8_t* data, size_t size) {
  Status s = labels_.push(data, size);
  return s.ok() ? check_counts() : s;
}

Status SplitStream::finish() const {
  Status s = images_.finish();
  if (!s.ok()) return s;
  return labels_.finish();
}

}  // namespace bs
