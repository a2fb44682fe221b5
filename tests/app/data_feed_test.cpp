// MNIST arriving in chunks into the state: images become usable as they complete, and a broken file stops
// only itself, keeping every image that arrived whole.
#include <gtest/gtest.h>

#include "app/app_state.h"
#include "app/state_api.h"
#include "tests/core/test_util.h"

namespace bs::app {
namespace {

Status push_in_chunks(AppState& s, DataFile f, const std::vector<uint8_t>& bytes, size_t chunk) {
  for (size_t i = 0; i < bytes.size(); i += chunk) {
    Status st = feed_push(s, f, bytes.data() + i, std::min(chunk, bytes.size() - i));
    if (!st.ok()) return st;
  }
  return feed_end(s, f);
}

TEST(DataFeed, ImagesArriveInTheirSplitAsChunksComeIn) {
  AppState s;
  auto images = test::idx_images(5), labels = test::idx_labels({1, 2, 3, 4, 5});
  ASSERT_TRUE(push_in_chunks(s, DataFile::kTestLabels, labels, 3).ok());
  ASSERT_TRUE(feed_push(s, DataFile::kTestImages, images.data(), 16 + 2 * 784 + 100).ok());
  EXPECT_EQ(s.test.size(), 2u) << "two whole images so far";
  EXPECT_EQ(s.test.declared, 5u);
  EXPECT_EQ(s.train.size(), 0u);
  ASSERT_TRUE(feed_push(s, DataFile::kTestImages, images.data() + 16 + 2 * 784 + 100,
                        images.size() - 16 - 2 * 784 - 100)
                  .ok());
  ASSERT_TRUE(feed_end(s, DataFile::kTestImages).ok());
  EXPECT_TRUE(s.test.complete());
  EXPECT_EQ(s.feed.files[size_t(DataFile::kTestImages)].bytes, images.size());
}

TEST(DataFeed, ACorruptFileKeepsWhatArrivedAndTellsTheReader) {
  AppState s;
  auto images = test::idx_images(3);
  auto labels = test::idx_labels({1, 2, 3});
  labels[8 + 2] = 10;  // the third label is not a digit
  ASSERT_TRUE(push_in_chunks(s, DataFile::kTrainImages, images, 1000).ok());
  Status st = push_in_chunks(s, DataFile::kTrainLabels, labels, 1);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("train-labels-idx1-ubyte"), std::string::npos) << st.message();
  EXPECT_EQ(s.train.size(), 2u) << "the two images with valid labels stay";
  EXPECT_NE(s.ui.notice.find("train-labels-idx1-ubyte"), std::string::npos);
  EXPECT_TRUE(feed_failed(s));
  EXPECT_TRUE(s.train.closed) << "no more training images will come";
  EXPECT_FALSE(s.test.closed);
  EXPECT_FALSE(feed_push(s, DataFile::kTrainLabels, labels.data(), 1).ok())
      << "a failed file takes no more data";
}

TEST(DataFeed, ATruncatedFileIsReportedAtItsEnd) {
  AppState s;
  auto images = test::idx_images(2);
  ASSERT_TRUE(feed_push(s, DataFile::kSampleImages, images.data(), images.size() - 10).ok());
  Status st = feed_end(s, DataFile::kSampleImages);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("samples-images-idx3-ubyte"), std::string::npos) << st.message();
}

TEST(DataFeed, ANetworkFailureMarksOnlyThatFile) {
  AppState s;
  feed_fail(s, DataFile::kTrainImages, "HTTP 404");
  EXPECT_NE(s.ui.notice.find("train-images-idx3-ubyte: HTTP 404"), std::string::npos);
  auto labels = test::idx_labels({1});
  EXPECT_TRUE(push_in_chunks(s, DataFile::kTestLabels, labels, 4).ok());
}

// An embed of the pretrained model in a view that reads only test images.
void pretrained_embed(AppState& s, View v) {
  s.run.start_mode = StartMode::kPretrained;
  s.ui.embed = true;
  s.ui.view = v;
}

TEST(TrainingSetWanted, NotByThePretrainedModelInViewsThatReadTestImages) {
  for (View v : {View::kNeurons, View::kOverlay, View::kDraw, View::kRobustness}) {
    AppState s;
    pretrained_embed(s, v);
    EXPECT_FALSE(training_set_wanted(s)) << view_info(v).name;
  }
}

TEST(TrainingSetWanted, ByAutomaticTrainingAndTheViewsThatReadIt) {
  EXPECT_TRUE(training_set_wanted(AppState())) << "the page trains by itself";
  for (View v : {View::kSubspace, View::kAttacks, View::kCompare, View::kTrial, View::kTraining}) {
    AppState s;
    pretrained_embed(s, v);
    EXPECT_TRUE(training_set_wanted(s)) << view_info(v).name;
  }
}

TEST(TrainingSetWanted, ByAnAskedForExperimentOrSubspace) {
  AppState s;
  pretrained_embed(s, View::kNeurons);
  ASSERT_TRUE(apply_changes(s, nlohmann::json{{"k", 20}}).empty());
  EXPECT_TRUE(training_set_wanted(s));
  AppState t;
  pretrained_embed(t, View::kOverlay);
  ASSERT_TRUE(apply_changes(t, nlohmann::json{{"trial", "span"}}).empty());
  EXPECT_TRUE(training_set_wanted(t));
}

TEST(TrainingSetWanted, StaysWantedOnceItsBytesArrive) {
  AppState s;
  pretrained_embed(s, View::kNeurons);
  const auto images = test::idx_images(2);
  ASSERT_TRUE(feed_push(s, DataFile::kTrainImages, images.data(), 100).ok());
  EXPECT_TRUE(training_set_wanted(s)) << "a download once started is not dropped";
}

TEST(TrainingSetWanted, NotBecauseOfAFrameDrawnBeforeTheUrlWasApplied) {
  AppState s;
  advance(s, 0.0, 1.0);  // the page's first frames can come before its URL is applied
  ASSERT_TRUE(apply_changes(s, nlohmann::json{{"train", "pretrained"}, {"view", "neurons"}}).empty());
  s.ui.embed = true;
  EXPECT_FALSE(training_set_wanted(s));
}

TEST(TrainingSetWanted, ByTrainingAskedForBeforeAnyImage) {
  AppState s;
  pretrained_embed(s, View::kNeurons);
  ASSERT_TRUE(apply_changes(s, nlohmann::json{{"playing", true}}).empty());
  EXPECT_TRUE(training_set_wanted(s));
}

TEST(TrainingSetWanted, ByTheWorkerAloneWhenTheLiveModelTrainsThere) {
  AppState s;
  s.run.remote = true;
  EXPECT_FALSE(training_set_wanted(s)) << "the page reads no training image in this view";
  EXPECT_TRUE(training_set_wanted_by_worker(s));
  s.ui.view = View::kSubspace;
  EXPECT_TRUE(training_set_wanted(s));
}

TEST(TrainingSetWanted, NotByTheWorkerForAnEmbedOfThePretrainedModel) {
  AppState s;
  pretrained_embed(s, View::kNeurons);
  s.run.remote = true;
  EXPECT_FALSE(training_set_wanted_by_worker(s));
}

TEST(TrainingSetWanted, NotByTheWorkerWhenThisSideKeepsItForAViewAndNothingTrains) {
  AppState s;
  pretrained_embed(s, View::kCompare);
  s.run.remote = true;
  std::vector<uint8_t> images = test::idx_images(2);
  ASSERT_TRUE(feed_push(s, DataFile::kTrainImages, images.data(), images.size()).ok());
  ASSERT_EQ(s.feed.train_copy, TrainingCopy::kKept);
  EXPECT_FALSE(training_set_wanted_by_worker(s)) << "a second copy would only sit in the worker";
  ASSERT_TRUE(apply_changes(s, nlohmann::json{{"playing", true}}).empty());
  EXPECT_TRUE(training_set_wanted_by_worker(s)) << "the live model now trains there";
}

TEST(TrainingSetWanted, ByTheWorkerForADownloadThisSideOnlyCounts) {
  AppState s;
  s.run.start_mode = StartMode::kPretrained;  // the article's page opened on the pretrained model
  s.run.remote = true;
  EXPECT_FALSE(training_set_wanted_by_worker(s));
  std::vector<uint8_t> images = test::idx_images(2);
  ASSERT_TRUE(feed_push(s, DataFile::kTrainImages, images.data(), images.size()).ok());
  ASSERT_EQ(s.feed.train_copy, TrainingCopy::kCounted);
  EXPECT_TRUE(training_set_wanted_by_worker(s)) << "the worker holds the only copy, for training to come";
}

// Pushes a whole split of `n` images (labels i % 10) in 1,000-byte chunks.
void push_training_set(AppState& s, uint32_t n) {
  std::vector<uint8_t> labels(n);
  for (uint32_t i = 0; i < n; ++i) labels[i] = uint8_t(i % 10);
  ASSERT_TRUE(push_in_chunks(s, DataFile::kTrainLabels, test::idx_labels(labels), 1000).ok());
  ASSERT_TRUE(push_in_chunks(s, DataFile::kTrainImages, test::idx_images(n), 1000).ok());
}

TEST(TrainingCopy, OnlyCountedWhenTheWorkerTrainsAndNoViewHereReadsIt) {
  AppState s;
  s.run.remote = true;
  push_training_set(s, 5);
  EXPECT_EQ(s.feed.train_copy, TrainingCopy::kCounted);
  EXPECT_EQ(s.train.size(), 0u);
  EXPECT_TRUE(s.feed.counted.images.empty()) << "no pixel is kept";
  const SplitCount c = training_set_count(s);
  EXPECT_EQ(c.size, 5u);
  EXPECT_EQ(c.declared, 5u);
  EXPECT_TRUE(c.complete());
}

TEST(TrainingCopy, CountedImagesHaveTheChecksumOfKeptOnes) {
  AppState kept, counted;
  counted.run.remote = true;
  push_training_set(kept, 7);
  push_training_set(counted, 7);
  ASSERT_EQ(counted.feed.train_copy, TrainingCopy::kCounted);
  EXPECT_EQ(data_checksum(counted), data_checksum(kept));
  EXPECT_NE(data_checksum(counted), data_checksum(AppState()));
}

TEST(TrainingCopy, KeptWhenAViewHereReadsIt) {
  AppState s;
  s.run.remote = true;
  s.ui.view = View::kAttacks;
  push_training_set(s, 5);
  EXPECT_EQ(s.feed.train_copy, TrainingCopy::kKept);
  EXPECT_EQ(s.train.size(), 5u);
}

TEST(TrainingCopy, KeptWhenTheLiveModelTrainsHere) {
  AppState s;
  pretrained_embed(s, View::kNeurons);  // not even wanted: what arrives on the training side is kept
  push_training_set(s, 3);
  EXPECT_EQ(s.feed.train_copy, TrainingCopy::kKept);
  EXPECT_EQ(s.train.size(), 3u);
}

TEST(TrainingCopy, ACorruptCountedFileKeepsItsCountAndTellsTheReader) {
  AppState s;
  s.run.remote = true;
  auto labels = test::idx_labels({1, 2, 3});
  labels[8 + 2] = 10;
  ASSERT_TRUE(push_in_chunks(s, DataFile::kTrainImages, test::idx_images(3), 1000).ok());
  EXPECT_FALSE(push_in_chunks(s, DataFile::kTrainLabels, labels, 1).ok());
  EXPECT_EQ(s.feed.train_copy, TrainingCopy::kCounted);
  EXPECT_EQ(training_set_count(s).size, 2u);
  EXPECT_TRUE(training_set_count(s).closed);
  EXPECT_NE(s.ui.notice.find("train-labels-idx1-ubyte"), std::string::npos);
}

TEST(TrainingCopy, ACountedSetStartsOverWhenItIsToBeKept) {
  AppState s;
  s.run.remote = true;
  push_training_set(s, 4);
  feed_keep_training_set(s);
  EXPECT_EQ(s.feed.train_copy, TrainingCopy::kKept);
  EXPECT_EQ(training_set_count(s).size, 0u) << "the second download starts from nothing";
  EXPECT_EQ(s.feed.files[size_t(DataFile::kTrainImages)].bytes, 0u);
  push_training_set(s, 4);
  EXPECT_EQ(s.train.size(), 4u);
  EXPECT_TRUE(training_set_wanted(s)) << "a kept download is not dropped";
}

TEST(TrainingCopy, CountedImagesStartTheWorkersTraining) {
  AppState s;
  s.run.remote = true;
  push_training_set(s, uint32_t(kAutoStartImages));
  advance(s, 0.0, 1.0);
  ASSERT_NE(s.run.trainer, nullptr) << "the automatic start reads the count, not the pixels";
  EXPECT_TRUE(s.run.playing);
  EXPECT_EQ(s.train.size(), 0u);
}

}  // namespace
}  // namespace bs::app
