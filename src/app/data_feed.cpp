#include "app/data_feed.h"

#include <algorithm>

#include "app/app_state.h"

namespace bs::app {
namespace {

Dataset& dataset_for(AppState& s, DataFile f) {
  Dataset* splits[] = {s.feed.train_copy == TrainingCopy::kCounted ? &s.feed.counted : &s.train, &s.test,
                       &s.samples};
  return *splits[int(f) / 2];
}

// The split a file belongs to, created on its first chunk. The training split's first chunk also decides
// whether its pixels are kept here.
SplitStream& stream_for(AppState& s, DataFile f) {
  const int split = int(f) / 2;
  auto& stream = s.feed.splits[size_t(split)];
  if (!stream) {
    if (split == 0 && s.feed.train_copy == TrainingCopy::kUndecided) {
      s.feed.train_copy =
          s.run.remote && !training_set_wanted(s) ? TrainingCopy::kCounted : TrainingCopy::kKept;
    }
    stream = std::make_unique<SplitStream>(data_file_name(DataFile(2 * split)),
                                           data_file_name(DataFile(2 * split + 1)), &dataset_for(s, f));
  }
  return *stream;
}

bool is_images(DataFile f) {
  return int(f) % 2 == 0;
}

FileProgress& progress(AppState& s, DataFile f) {
  return s.feed.files[size_t(f)];
}

Status fail(AppState& s, DataFile f, const std::string& message) {
  progress(s, f).error = message;
  // Nothing more will arrive for this split: what is there is all there is (training's schedule stops
  // waiting).
  dataset_for(s, f).closed = true;
  add_notice(s, message);
  return Error{message};
}

}  // namespace

const char* data_file_name(DataFile f) {
  switch (f) {
    case DataFile::kTrainImages:
      return "train-images-idx3-ubyte";
    case DataFile::kTrainLabels:
      return "train-labels-idx1-ubyte";
    case DataFile::kTestImages:
      return "t10k-images-idx3-ubyte";
    case DataFile::kTestLabels:
      return "t10k-labels-idx1-ubyte";
    case DataFile::kSampleImages:
      return "samples-images-idx3-ubyte";
    case DataFile::kSampleLabels:
      return "samples-labels-idx1-ubyte";
  }
  return "?";
}

Status feed_push(AppState& s, DataFile f, const uint8_t* data, size_t size) {
  FileProgress& p = progress(s, f);
  if (!p.error.empty()) return Error{p.error};
  if (p.done) return fail(s, f, std::string(data_file_name(f)) + ": data after the end of the file");
  SplitStream& split = stream_for(s, f);
  Status st = is_images(f) ? split.push_images(data, size) : split.push_labels(data, size);
  if (!st.ok()) return fail(s, f, st.message());
  p.bytes += size;
  if (int(f) / 2 == 0 && s.feed.train_copy == TrainingCopy::kCounted) {
    // Counted, not kept: the parsers have checked and counted these images; their capacity (one chunk's
    // worth) is reused by the next.
    s.feed.counted_images_fnv = fnv1a(s.feed.counted_images_fnv, s.feed.counted.images);
    s.feed.counted.images.clear();
  }
  return Status::Ok();
}

Status feed_end(AppState& s, DataFile f) {
  FileProgress& p = progress(s, f);
  if (!p.error.empty()) return Error{p.error};
  SplitStream& split = stream_for(s, f);
  const IdxParser& parser = is_images(f) ? split.images() : split.labels();
  Status st = parser.finish();
  if (!st.ok()) return fail(s, f, st.message());
  p.done = true;
  return Status::Ok();
}

void feed_fail(AppState& s, DataFile f, const std::string& why) {
  if (progress(s, f).error.empty()) (void)fail(s, f, std::string(data_file_name(f)) + ": " + why);
}

SplitCount training_set_count(const AppState& s) {
  if (s.feed.train_copy != TrainingCopy::kCounted) return {s.train.size(), s.train.declared, s.train.closed};
  const SplitStream& st = *s.feed.splits[0];  // counting is decided by its first chunk
  return {std::min<size_t>(st.images().items_done(), st.labels().items_done()), s.feed.counted.declared,
          s.feed.counted.closed};
}

uint32_t data_checksum(const AppState& s) {
  const bool counted = s.feed.train_copy == TrainingCopy::kCounted;
  uint32_t h = counted ? s.feed.counted_images_fnv : fnv1a(kFnvBasis, s.train.images);
  h = fnv1a(h, counted ? s.feed.counted.labels : s.train.labels);
  h = fnv1a(h, s.test.images);
  return fnv1a(h, s.test.labels);
}

bool training_set_wanted(const AppState& s) {
  const bool kept_download =
      s.feed.files[size_t(DataFile::kTrainImages)].bytes > 0 && s.feed.train_copy != TrainingCopy::kCounted;
  const bool trains_here = !s.run.remote && (s.run.start_mode == StartMode::kAuto || s.run.trainer);
  if (kept_download || trains_here || s.compare.trainer || s.compare.playing || s.subspace.wanted)
    return true;
  switch (view_info(s.ui.view).training_images) {
    case TrainingImages::kYes:
      return true;
    case TrainingImages::kUnlessWorker:
      return !s.run.remote;
    case TrainingImages::kNo:
      break;
  }
  return !s.run.remote && trial_asked(s);
}

bool training_set_wanted_by_worker(const AppState& s) {
  const bool counted_download =
      s.feed.files[size_t(DataFile::kTrainImages)].bytes > 0 && s.feed.train_copy == TrainingCopy::kCounted;
  return s.run.remote &&
         (counted_download || s.run.start_mode == StartMode::kAuto || s.run.trainer || trial_asked(s));
}

void feed_keep_training_set(AppState& s) {
  DataFeed& feed = s.feed;
  if (feed.train_copy != TrainingCopy::kCounted) return;
  feed.splits[0].reset();
  feed.files[size_t(DataFile::kTrainImages)] = FileProgress{};
  feed.files[size_t(DataFile::kTrainLabels)] = FileProgress{};
  feed.counted = Dataset{};
  feed.counted_images_fnv = kFnvBasis;
  feed.train_copy = TrainingCopy::kKept;
}

bool feed_failed(const AppState& s) {
  for (const auto& f : s.feed.files)
    if (!f.error.empty()) return true;
  return false;
}

}  // namespace bs::app
