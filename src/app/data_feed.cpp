#include "app/data_feed.h"

#include "app/app_state.h"

namespace bs::app {
namespace {

// The split a file belongs to, created on its first chunk.
SplitStream& stream_for(AppState& s, DataFile f) {
  switch (f) {
    case DataFile::kTrainImages:
    case DataFile::kTrainLabels:
      if (!s.feed.train) s.feed.train = std::make_unique<SplitStream>("train-images-idx3-ubyte", "train-labels-idx1-ubyte", &s.train);
      return *s.feed.train;
    case DataFile::kTestImages:
    case DataFile::kTestLabels:
      if (!s.feed.test) s.feed.test = std::make_unique<SplitStream>("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", &s.test);
      return *s.feed.test;
    case DataFile::kSampleImages:
    case DataFile::kSampleLabels:
      break;
  }
  if (!s.feed.samples) s.feed.samples = std::make_unique<SplitStream>("samples-images-idx3-ubyte", "samples-labels-idx1-ubyte", &s.samples);
  return *s.feed.samples;
}

bool is_images(DataFile f) {
  return f == DataFile::kTrainImages || f == DataFile::kTestImages || f == DataFile::kSampleImages;
}

FileProgress& progress(AppState& s, DataFile f) { return s.feed.files[size_t(f)]; }

Dataset& dataset_for(AppState& s, DataFile f) {
  switch (f) {
    case DataFile::kTrainImages:
    case DataFile::kTrainLabels: return s.train;
    case DataFile::kTestImages:
    case DataFile::kTestLabels: return s.test;
    default: return s.samples;
  }
}

Status fail(AppState& s, DataFile f, const std::string& message) {
  progress(s, f).error = message;
  // Nothing more will arrive for this split: what is there is all there is (training's schedule stops waiting).
  dataset_for(s, f).closed = true;
  add_notice(s, message);
  return Error{message};
}

}  // namespace

const char* data_file_name(DataFile f) {
  switch (f) {
    case DataFile::kTrainImages: return "train-images-idx3-ubyte";
    case DataFile::kTrainLabels: return "train-labels-idx1-ubyte";
    case DataFile::kTestImages: return "t10k-images-idx3-ubyte";
    case DataFile::kTestLabels: return "t10k-labels-idx1-ubyte";
    case DataFile::kSampleImages: return "samples-images-idx3-ubyte";
    case DataFile::kSampleLabels: return "samples-labels-idx1-ubyte";
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

bool feed_failed(const AppState& s) {
  for (const auto& f : s.feed.files)
    if (!f.error.empty()) return true;
  return false;
}

}  // namespace bs::app
