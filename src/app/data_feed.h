// MNIST arriving in chunks (fetch() in the page, file reads on the desktop), routed into the state's datasets
// through the core's push parsers. Each of the six files (train/test/sample images and labels) has its own
// progress and its own error; a failed file stops only itself, and every image that arrived complete before
// the failure stays usable.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/data/split_stream.h"
#include "core/util/status.h"

namespace bs::app {

struct AppState;

constexpr uint32_t kFnvBasis = 2166136261u;
inline uint32_t fnv1a(uint32_t h, const std::vector<uint8_t>& bytes) {
  for (uint8_t b : bytes) h = (h ^ b) * 16777619u;
  return h;
}

// Images and labels of a split are neighbours: split = file / 2, labels = images + 1.
enum class DataFile { kTrainImages, kTrainLabels, kTestImages, kTestLabels, kSampleImages, kSampleLabels };
constexpr int kDataFiles = 6;
const char* data_file_name(DataFile f);  // the file's name on the server, e.g. "train-images-idx3-ubyte"

struct FileProgress {
  uint64_t bytes = 0;  // decompressed bytes pushed so far
  bool done = false;
  std::string error;  // set once the file has failed
};

// Whether this side keeps the training set's pixels. When the live model trains elsewhere (the page's
// worker, remote_training.h) and nothing here reads training images, each chunk is still checked and
// counted, so progress, errors and the automatic start read the same, but its 47 MB are not kept.
enum class TrainingCopy { kUndecided, kKept, kCounted };

struct DataFeed {
  std::array<std::unique_ptr<SplitStream>, kDataFiles / 2> splits;  // train, test, samples
  std::array<FileProgress, kDataFiles> files;
  TrainingCopy train_copy = TrainingCopy::kUndecided;  // decided by the first training chunk
  // kCounted: the split's header (declared, closed) and its labels (60 KB); images are dropped as they
  // complete, after they have entered counted_images_fnv.
  Dataset counted;
  uint32_t counted_images_fnv = kFnvBasis;
};

// How much of a split has arrived, whether or not its pixels are kept here.
struct SplitCount {
  size_t size = 0;
  uint32_t declared = 0;
  bool closed = false;
  bool complete() const { return declared > 0 && size == declared; }
};
SplitCount training_set_count(const AppState& s);

// Pushes the next chunk of `file`. On an error the file is marked failed, the reader gets a notice, and the
// error is returned; chunks for a failed file are refused.
Status feed_push(AppState& s, DataFile file, const uint8_t* data, size_t size);
// The file ended: checks it is complete.
Status feed_end(AppState& s, DataFile file);
// The transport failed (network error, HTTP status): the file is marked failed with `why`.
void feed_fail(AppState& s, DataFile file, const std::string& why);
bool feed_failed(const AppState& s);
// Whether this side wants its own copy of the training set (47 MB of the 55). An embed that shows the
// pretrained model in a view that reads only test images need not download it; live training here (or its
// automatic start), the views and experiments that read training images, and a kept download already under
// way do. The page's JavaScript asks before it fetches.
bool training_set_wanted(const AppState& s);
// FNV-1a (32-bit) of the training images, training labels, test images and test labels that have arrived,
// in that order: the same whether the training images were kept or only counted. The network tests compare
// it with the files'.
uint32_t data_checksum(const AppState& s);

// Whether the page's training worker wants the training set: the live model trains there (or will start
// by itself), an experiment runs there, or the download has begun and this side only counts it (the
// article's page streams the set at once, for training the reader may start). A page that keeps its own
// copy for a view starts no worker for it: that would be a second copy of the 47 MB.
bool training_set_wanted_by_worker(const AppState& s);
// A training set that was only counted is to be kept from now on (a view that reads it was opened): the
// split starts over, empty, for a second download that this side keeps.
void feed_keep_training_set(AppState& s);

}  // namespace bs::app
