// The messages of live training on another thread (core/train/remote_run.h): they survive the trip, refuse
// what is malformed, and a run trained in slices that stop at checkpoints ends with the same weights as one
// trained straight through, so the page's worker and its own thread agree.
#include "core/train/remote_run.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "core/model/model.h"
#include "tests/core/test_util.h"

namespace bs {
namespace {

RunRequest sample_request() {
  RunRequest r;
  r.run = 12;
  r.seed = 4294967295ull;
  r.config = default_train_config();
  r.config.opt.kind = OptimizerKind::kAdam;
  r.config.opt.lr = 0.001f;
  r.config.batch = 48;
  r.config.shuffle_seed = 7;
  r.config.start_images = 4096;
  r.playing = true;
  r.stop_at_step = 900;
  return r;
}

TEST(RunRequest, SurvivesEncodingAndDecoding) {
  const RunRequest a = sample_request();
  const std::vector<double> v = encode_request(a);
  auto b = decode_request(v.data(), v.size());
  ASSERT_TRUE(b.ok()) << b.error();
  EXPECT_EQ(b.value().run, 12);
  EXPECT_EQ(b.value().seed, 4294967295ull);
  EXPECT_EQ(b.value().config.opt.kind, OptimizerKind::kAdam);
  EXPECT_EQ(b.value().config.opt.lr, 0.001f);
  EXPECT_EQ(b.value().config.opt.momentum, a.config.opt.momentum);
  EXPECT_EQ(b.value().config.lr_decay, a.config.lr_decay);
  EXPECT_EQ(b.value().config.batch, 48);
  EXPECT_EQ(b.value().config.shuffle_seed, 7u);
  EXPECT_EQ(b.value().config.start_images, 4096u);
  EXPECT_TRUE(b.value().playing);
  EXPECT_EQ(b.value().stop_at_step, 900);
}

TEST(RunRequest, RefusesAWrongLengthANonNumberOrAnImpossibleBatch) {
  std::vector<double> v = encode_request(sample_request());
  EXPECT_FALSE(decode_request(v.data(), v.size() - 1).ok());
  std::vector<double> nan = v;
  nan[4] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(decode_request(nan.data(), nan.size()).ok());
  std::vector<double> batch = v;
  batch[11] = 0;
  EXPECT_FALSE(decode_request(batch.data(), batch.size()).ok());
  std::vector<double> half = v;
  half[11] = 31.5;
  EXPECT_FALSE(decode_request(half.data(), half.size()).ok());
}

TEST(RunReport, SurvivesEncodingAndDecodingWithItsEpochLosses) {
  RunReport a;
  a.run = 3;
  a.progress = {1234, 39488, 2, true, 0.25f, {0.5f, 0.3f}};
  a.images_per_second = 51234.5;
  a.checkpoint = true;
  a.test_accuracy = 0.9631;
  a.test_images = 10000;
  const std::vector<double> v = encode_report(a);
  auto b = decode_report(v.data(), v.size());
  ASSERT_TRUE(b.ok()) << b.error();
  EXPECT_EQ(b.value().run, 3);
  EXPECT_EQ(b.value().progress.step, 1234);
  EXPECT_EQ(b.value().progress.images_seen, 39488);
  EXPECT_EQ(b.value().progress.epochs_completed, 2);
  EXPECT_TRUE(b.value().progress.epoch_just_ended);
  EXPECT_EQ(b.value().progress.last_loss, 0.25f);
  EXPECT_EQ(b.value().progress.epoch_losses, (std::vector<float>{0.5f, 0.3f}));
  EXPECT_EQ(b.value().images_per_second, 51234.5);
  EXPECT_TRUE(b.value().checkpoint);
  EXPECT_EQ(b.value().test_accuracy, 0.9631);
  EXPECT_EQ(b.value().test_images, 10000u);
}

TEST(RunReport, RefusesEpochLossesThatDoNotMatchTheirCount) {
  RunReport a;
  a.progress.epoch_losses = {0.5f};
  std::vector<double> v = encode_report(a);
  v.push_back(0.4);
  EXPECT_FALSE(decode_report(v.data(), v.size()).ok());
}

TEST(FlatWeights, HoldEveryParameterOnceInTensorOrder) {
  Model m = make_model(Arch{}, 3);
  ASSERT_EQ(flat_size(Arch{}), 55050u);
  std::vector<float> flat(flat_size(Arch{}));
  params_to_flat(m.params, flat.data());
  EXPECT_EQ(flat[0], m.params.w1(0, 0));
  EXPECT_EQ(flat[55050 - 1], m.params.b3(9));
  Params back(Arch{});
  params_from_flat(back, flat.data());
  for (size_t k = 0; k < 6; ++k)
    EXPECT_EQ(std::memcmp(back.tensors()[k].data, m.params.tensors()[k].data,
                          sizeof(float) * size_t(back.tensors()[k].size())),
              0);
}

TEST(Checkpoints, SlicesEndOnEveryMultipleOfTheCheckpointAndAtTheStop) {
  Trainer t(default_train_config(), Arch{});
  EXPECT_EQ(steps_before_checkpoint(t, -1, 8), 8);
  TrainerProgress p;
  p.step = kCheckpointSteps - 3;
  t.adopt(p);
  EXPECT_EQ(steps_before_checkpoint(t, -1, 8), 3);
  EXPECT_EQ(steps_before_checkpoint(t, kCheckpointSteps - 1, 8), 2);
  p.step = 500;
  t.adopt(p);
  EXPECT_EQ(steps_before_checkpoint(t, 500, 8), 0) << "at the stop";
}

TEST(Checkpoints, SlicedTrainingEndsWithTheWeightsOfUnslicedTraining) {
  const Dataset data = test::random_dataset(700, 5);
  TrainConfig cfg = default_train_config();
  cfg.shuffle_seed = 9;
  Model a = make_model(Arch{}, 2), b = make_model(Arch{}, 2);
  Trainer ta(cfg, Arch{}), tb(cfg, Arch{});
  while (ta.step() < 60) ta.train_steps(a.params, data, int(60 - ta.step()));
  while (tb.step() < 60) {
    const int n = steps_before_checkpoint(tb, 60, 7);
    ASSERT_GT(n, 0);
    tb.train_steps(b.params, data, n);
  }
  std::vector<float> fa(flat_size(Arch{})), fb(flat_size(Arch{}));
  params_to_flat(a.params, fa.data());
  params_to_flat(b.params, fb.data());
  EXPECT_EQ(std::memcmp(fa.data(), fb.data(), fa.size() * sizeof(float)), 0);
  EXPECT_EQ(tb.progress().step, 60);
}

}  // namespace
}  // namespace bs
