#include "core/io/mnist_files.h"

#include <sys/stat.h>

#include "core/data/split_stream.h"
#include "core/io/file_bytes.h"

namespace bs {
namespace {

bool exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

Expected<std::string> find(const std::string& dir, const std::string& base) {
  std::string raw = dir + "/" + base;
  if (exists(raw)) return raw;
  if (exists(raw + ".gz")) return raw + ".gz";
  return Error{dir + ": neither " + base + " nor " + base +
               ".gz is there (--data must name a folder with the four MNIST files)"};
}

}  // namespace

Expected<Dataset> load_idx_pair(const std::string& images_path, const std::string& labels_path) {
  Dataset data;
  SplitStream stream(images_path, labels_path, &data);
  // For an uncompressed file the size on disk is known before the first chunk arrives (stream_file sets it
  // first), so each header is checked against it before anything is reserved.
  uint64_t labels_size = 0, images_size = 0;
  bool labels_started = false, images_started = false;
  // Labels first: they are small, and a count mismatch then shows before megabytes of images are parsed.
  Status s = stream_file(
      labels_path,
      [&](const uint8_t* p, size_t n) {
        if (!labels_started && labels_size) stream.expect_label_bytes(labels_size);
        labels_started = true;
        return stream.push_labels(p, n);
      },
      &labels_size);
  if (!s.ok()) return s;
  s = stream_file(
      images_path,
      [&](const uint8_t* p, size_t n) {
        if (!images_started && images_size) stream.expect_image_bytes(images_size);
        images_started = true;
        return stream.push_images(p, n);
      },
      &images_size);
  if (!s.ok()) return s;
  s = stream.finish();
  if (!s.ok()) return s;
  return data;
}

Expected<Dataset> load_mnist_split(const std::string& dir, Split split) {
  std::string prefix = split == Split::kTrain ? "train" : "t10k";
  auto images = find(dir, prefix + "-images-idx3-ubyte");
  if (!images.ok()) return images.status();
  auto labels = find(dir, prefix + "-labels-idx1-ubyte");
  if (!labels.ok()) return labels.status();
  return load_idx_pair(*images, *labels);
}

}  // namespace bs
