#include <gtest/gtest.h>

#include <cstring>

#include "core/io/mnist_files.h"
#include "core/model/model.h"
#include "core/nn/matmul.h"
#include "core/train/evaluate.h"
#include "core/train/trainer.h"
#include "tests/core/mnist_data.h"
#include "tests/core/test_util.h"

namespace bs {
namespace {

using test::head;
using test::mnist;

using test::bit_identical;

TEST(Mnist, LoadsTheFullGzippedSets) {
  EXPECT_EQ(mnist(Split::kTrain).size(), 60000u);
  EXPECT_EQ(mnist(Split::kTest).size(), 10000u);
  EXPECT_EQ(mnist(Split::kTest).label(0), 7);  // the well-known first test digit
}

TEST(Trainer, SameSeedGivesBitIdenticalWeights) {
  Dataset data = head(mnist(Split::kTrain), 2000);
  Model a = make_model(Arch{}, 5), b = make_model(Arch{}, 5);
  Trainer ta(default_train_config(), Arch{}), tb(default_train_config(), Arch{});
  ta.train_steps(a.params, data, 40);
  tb.train_steps(b.params, data, 40);
  EXPECT_TRUE(bit_identical(a.params, b.params));
  EXPECT_FALSE(bit_identical(a.params, a.init));
}

TEST(Trainer, DifferentShuffleSeedsGiveDifferentWeights) {
  Dataset data = head(mnist(Split::kTrain), 2000);
  Model a = make_model(Arch{}, 5), b = make_model(Arch{}, 5);
  TrainConfig ca = default_train_config(), cb = default_train_config();
  cb.shuffle_seed = 99;
  Trainer ta(ca, Arch{}), tb(cb, Arch{});
  ta.train_steps(a.params, data, 10);
  tb.train_steps(b.params, data, 10);
  EXPECT_FALSE(bit_identical(a.params, b.params));
}

// Trains three epochs of `data` in calls of the given step counts, in turn.
Params train_in_calls(TrainConfig cfg, const Dataset& data, std::vector<int> calls, bool input_major) {
  cfg.layer1_input_major = input_major;
  Trainer t(cfg, Arch{});
  Model m = make_model(Arch{}, 7);
  for (size_t call = 0; t.epochs_completed() < 3; ++call)
    t.train_steps(m.params, data, calls[call % calls.size()]);
  return m.params;
}

// Layer 1 kept input-major by the wide kernels' training loop: the same products in the same order, so not a
// bit may change, with moments (momentum, Adam) carried across calls that do and do not use it (8 steps is
// too few) and an epoch's last batch of 8 images (too few for the transposed forward: the model's layout).
TEST(Trainer, KeepingLayerOneInputMajorChangesNoBit) {
  Dataset data = head(mnist(Split::kTrain), 1000);  // 31 batches of 32, then 8
  const KernelIsa saved = kernel_isa();
  int compared = 0;
  for (KernelIsa isa : {KernelIsa::kAvx2, KernelIsa::kAvx512}) {
    if (!use_kernel_isa(isa)) continue;
    for (OptimizerKind kind : {OptimizerKind::kSgd, OptimizerKind::kAdam}) {
      SCOPED_TRACE(std::string(kernel_isa_name(isa)) + " " + optimizer_name(kind));
      TrainConfig cfg = default_train_config();
      cfg.opt.kind = kind;
      ASSERT_TRUE(input_major_forward_fits(Arch{}.h1));
      const Params model_layout = train_in_calls(cfg, data, {1000}, false);
      EXPECT_TRUE(bit_identical(train_in_calls(cfg, data, {1000}, true), model_layout));
      EXPECT_TRUE(bit_identical(train_in_calls(cfg, data, {40, 8, 8, 33}, true), model_layout));
      ++compared;
    }
  }
  ASSERT_TRUE(use_kernel_isa(KernelIsa::kPortable));
  EXPECT_FALSE(input_major_forward_fits(Arch{}.h1))
      << "the portable kernels keep the page's order of summation";
  use_kernel_isa(saved);
  EXPECT_EQ(compared, best_kernel_isa() == KernelIsa::kPortable ? 0 : 2 * int(best_kernel_isa()));
}

TEST(Trainer, StopsAtTheEndOfAnEpoch) {
  Dataset data = head(mnist(Split::kTrain), 100);
  Model m = make_model(Arch{}, 1);
  TrainConfig c = default_train_config();
  c.batch = 32;
  Trainer t(c, Arch{});
  EXPECT_EQ(t.train_steps(m.params, data, 1000), 4);  // 32 + 32 + 32 + 4
  EXPECT_TRUE(t.epoch_just_ended());
  EXPECT_EQ(t.epochs_completed(), 1);
  EXPECT_EQ(t.images_seen(), 100);
}

// Trains with the growing schedule while `data` receives `full`'s images `per_call` at a time between calls.
Params train_while_arriving(const Dataset& full, size_t per_call, std::vector<float>* losses) {
  TrainConfig cfg = default_train_config();
  cfg.start_images = 64;
  Trainer t(cfg, Arch{});
  Model m = make_model(Arch{}, 3);
  Dataset data;
  data.declared = full.declared;
  size_t arrived = 0;
  while (t.epochs_completed() < 5) {
    if (arrived < full.size()) {
      const size_t n = std::min(per_call, full.size() - arrived);
      data.images.insert(data.images.end(), full.images.begin() + long(arrived * kPixels),
                         full.images.begin() + long((arrived + n) * kPixels));
      data.labels.insert(data.labels.end(), full.labels.begin() + long(arrived),
                         full.labels.begin() + long(arrived + n));
      arrived += n;
    }
    t.train_steps(m.params, data, 3);
  }
  *losses = t.epoch_losses();
  return m.params;
}

TEST(Trainer, GrowingScheduleTrainsTheSameHoweverTheDataArrives) {
  Dataset full = test::random_dataset(700, 9);
  full.declared = 700;
  std::vector<float> all_at_once, trickling, slow;
  Params a = train_while_arriving(full, 700, &all_at_once);
  Params b = train_while_arriving(full, 37, &trickling);
  Params c = train_while_arriving(full, 5, &slow);
  EXPECT_EQ(all_at_once, trickling);
  EXPECT_EQ(all_at_once, slow);
  EXPECT_EQ(a.w1, b.w1);
  EXPECT_EQ(a.w1, c.w1);
  EXPECT_EQ(a.w3, c.w3);
  ASSERT_EQ(all_at_once.size(), 5u);
}

// A growing schedule whose first epoch wants 100 images, with 99 of the 1,000 declared arrived.
struct WaitingSchedule : ::testing::Test {
  WaitingSchedule() : t(config(), Arch{}), m(make_model(Arch{}, 3)), d(test::random_dataset(99, 2)) {
    d.declared = 1000;
  }
  static TrainConfig config() {
    TrainConfig cfg = default_train_config();
    cfg.start_images = 100;
    return cfg;
  }
  Trainer t;
  Model m;
  Dataset d;
};

TEST_F(WaitingSchedule, WaitsForTheImagesItNeeds) {
  EXPECT_EQ(t.train_steps(m.params, d, 10), 0) << "99 of the first epoch's 100 images";
  Dataset more = test::random_dataset(100, 2);
  more.declared = 1000;
  EXPECT_GT(t.train_steps(m.params, more, 10), 0);
}

TEST_F(WaitingSchedule, StopsWaitingWhenTheDataIsClosed) {
  EXPECT_EQ(t.train_steps(m.params, d, 10), 0);
  d.closed = true;  // the file failed: these 99 are all there will be
  EXPECT_GT(t.train_steps(m.params, d, 10), 0);
}

TEST(Trainer, GrowingScheduleReachesTheFullSetAndStaysThere) {
  TrainConfig cfg = default_train_config();
  cfg.start_images = 4;
  cfg.batch = 8;
  Trainer t(cfg, Arch{});
  Model m = make_model(Arch{}, 3);
  Dataset d = test::random_dataset(40, 2);
  d.declared = 40;
  std::vector<long long> sizes;
  long long before = 0;
  // 40 epochs: past the point where 4 << epoch overflows 32 bits (it did in WebAssembly: empty epochs).
  while (t.epochs_completed() < 40) {
    t.train_steps(m.params, d, 1000);
    sizes.push_back(t.images_seen() - before);
    before = t.images_seen();
  }
  EXPECT_EQ(sizes[0], 4);
  EXPECT_EQ(sizes[1], 8);
  EXPECT_EQ(sizes[2], 16);
  EXPECT_EQ(sizes[3], 32);
  for (size_t e = 4; e < sizes.size(); ++e) EXPECT_EQ(sizes[e], 40) << "epoch " << e + 1;
}

TEST(Trainer, ReachesNinetyPercentOnFiveThousandRealImages) {
  Dataset data = head(mnist(Split::kTrain), 5000);
  Model m = make_model(Arch{}, 1);
  Trainer t(default_train_config(), Arch{});
  for (int e = 0; e < 3; ++e) {
    while (!t.train_steps(m.params, data, 1000) || !t.epoch_just_ended()) {
    }
  }
  Workspace ws(Arch{}, 500);
  Evaluation ev = evaluate(m.params, mnist(Split::kTest), ws);
  std::printf("3 epochs on 5,000 images: test accuracy %.2f%%\n", 100 * ev.accuracy());
  EXPECT_GE(ev.accuracy(), 0.90);
}

TEST(Trainer, PlainSgdLeavesWeightsOfNeverLitPixelsExactlyAtTheirInitialValues) {
  // The article's claim in its sharpest form: for layer 1 the SGD gradient is a combination of input images,
  // so a pixel that is 0 in every training image gets exactly zero gradient and its weights never move.
  Dataset data = head(mnist(Split::kTrain), 3000);
  Model m = make_model(Arch{}, 2);
  TrainConfig c = default_train_config();
  c.opt.momentum = 0.0f;
  c.opt.lr = 0.1f;
  Trainer t(c, Arch{});
  while (!t.train_steps(m.params, data, 1000) || !t.epoch_just_ended()) {
  }
  int never_lit = 0, lit_moved = 0, lit = 0;
  for (int px = 0; px < kPixels; ++px) {
    bool any = false;
    for (size_t i = 0; i < data.size() && !any; ++i) any = data.image(i)[px] != 0;
    if (!any) {
      ++never_lit;
      for (int n = 0; n < 64; ++n) ASSERT_EQ(m.params.w1(n, px), m.init.w1(n, px)) << "pixel " << px;
    } else {
      ++lit;
      lit_moved += (m.params.w1.col(px) - m.init.w1.col(px)).cwiseAbs().maxCoeff() > 0;
    }
  }
  std::printf("%d never-lit pixels kept their weights; %d of %d lit pixels moved\n", never_lit, lit_moved,
              lit);
  EXPECT_GT(never_lit, 50);
  EXPECT_EQ(lit_moved, lit);
}

TEST(Trainer, FgsmTrainingStepsWithTheMeanOfTheCleanAndAdversarialGradients) {
  Dataset data = test::random_dataset(8, 5);
  TrainConfig c = default_train_config();
  c.batch = 8;
  c.opt.momentum = 0.0f;
  c.lr_decay = 1.0f;
  c.adversarial = fgsm_training(0.1f);
  Model m = make_model(Arch{}, 4);
  Trainer t(c, Arch{});
  ASSERT_EQ(t.train_steps(m.params, data, 1), 1);

  // The same step by hand. One epoch of 8 images in one batch: the shuffle only permutes the columns, and a
  // mean over the batch does not depend on their order.
  Workspace ws(Arch{}, 8);
  std::vector<uint32_t> all = {0, 1, 2, 3, 4, 5, 6, 7};
  load_batch(ws, data, all.data(), 8);
  forward(m.init, ws, 8, ws.y.data());
  backward(m.init, ws, 8, ws.y.data(), true);
  Params clean = ws.grad;
  ws.x = (ws.x + c.adversarial.eps * ws.dx.cwiseSign()).cwiseMax(0.0f).cwiseMin(1.0f);
  forward(m.init, ws, 8, ws.y.data());
  backward(m.init, ws, 8, ws.y.data());
  MatRM expected = m.init.w1 - c.opt.lr * 0.5f * (clean.w1 + ws.grad.w1);
  EXPECT_LT((m.params.w1 - expected).cwiseAbs().maxCoeff(), 1e-6f);
  EXPECT_GT((clean.w1 - ws.grad.w1).cwiseAbs().maxCoeff(), 1e-4f);  // the adversarial batch really differs
}

TEST(Trainer, InputNoiseIsReproducibleAndChangesTheWeights) {
  Dataset data = test::head(mnist(Split::kTrain), 512);
  auto run = [&](float noise) {
    TrainConfig c = default_train_config();
    c.input_noise = noise;
    Model m = make_model(Arch{}, 1);
    Trainer t(c, Arch{});
    t.train_steps(m.params, data, 10);
    return m.params;
  };
  EXPECT_TRUE(bit_identical(run(0.3f), run(0.3f)));
  EXPECT_FALSE(bit_identical(run(0.3f), run(0.0f)));
}

TEST(Evaluate, CountsPerClassAccuracy) {
  Dataset data = head(mnist(Split::kTest), 300);
  Model m = make_model(Arch{}, 3);
  Workspace ws(Arch{}, 64);
  Evaluation ev = evaluate(m.params, data, ws);
  size_t total = 0, correct = 0;
  for (int c = 0; c < 10; ++c) {
    total += ev.class_count[size_t(c)];
    correct += ev.class_correct[size_t(c)];
  }
  EXPECT_EQ(total, 300u);
  EXPECT_EQ(correct, ev.correct);
}

}  // namespace
}  // namespace bs

namespace bs {
namespace {

TEST(EvaluationBuilder, SlicedEvaluationEqualsTheWholeToTheLastBit) {
  const Model m = make_model(Arch{}, 4);
  Dataset data;
  for (int i = 0; i < 1234; ++i) {
    for (int k = 0; k < kPixels; ++k) data.images.push_back(uint8_t((i * 37 + k * 11) % 256));
    data.labels.push_back(uint8_t(i % 10));
  }
  Workspace ws(Arch{}, 500);
  const Evaluation whole = evaluate(m.params, data, ws);
  EvaluationBuilder job;
  job.begin(m.params, data);
  int slices = 1;
  while (!job.step(ws, 300)) ++slices;
  const Evaluation sliced = job.take();
  EXPECT_EQ(slices, 3) << "whole batches of 500: 500, 1000, 1234";
  EXPECT_EQ(sliced.count, whole.count);
  EXPECT_EQ(sliced.correct, whole.correct);
  EXPECT_EQ(sliced.loss, whole.loss);
  EXPECT_FALSE(job.running());
}

}  // namespace
}  // namespace bs
