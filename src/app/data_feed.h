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

#include "core/data/split_stream.h"
#include "core/util/status.h"

namespace bs::app {

struct AppState;

// Images and labels of a split are neighbours: split = file / 2, labels = images + 1.
enum class DataFile { kTrainImages, kTrainLabels, kTestImages, kTestLabels, kSampleImages, kSampleLabels };
constexpr int kDataFiles = 6;
const char* data_file_name(DataFile f);  // the file's name on the server, e.g. "train-images-idx3-ubyte"

struct FileProgress {
  uint64_t bytes = 0;  // decompressed bytes pushed so far
  bool done = false;
  std::string error;  // set once the file has failed
};

struct DataFeed {
  std::array<std::unique_ptr<SplitStream>, kDataFiles / 2> splits;  // train, test, samples
  std::array<FileProgress, kDataFiles> files;
};

// Pushes the next chunk of `file`. On an error the file is marked failed, the reader gets a notice, and the
// error is returned; chunks for a failed file are refused.
Status feed_push(AppState& s, DataFile file, const uint8_t* data, size_t size);
// The file ended: checks it is complete.
Status feed_end(AppState& s, DataFile file);
// The transport failed (network error, HTTP status): the file is marked failed with `why`.
void feed_fail(AppState& s, DataFile file, const std::string& why);
bool feed_failed(const AppState& s);
// Whether the training set (47 MB of the 55) should stream. An embed that shows the pretrained model in a
// view that reads only test images need not download it; live training (or its automatic start), the views
// and experiments that read training images, and any earlier yes do. The page's JavaScript asks before it
// fetches.
bool training_set_wanted(const AppState& s);

}  // namespace bs::app
