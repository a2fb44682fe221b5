// Adversarial training (core/train/adversarial.h): the batch it trains on, the ramp, and what it buys.
#include <gtest/gtest.h>

#include <vector>

#include "core/robust/pgd.h"
#include "core/robust/robustness.h"
#include "core/train/trainer.h"
#include "tests/core/mnist_data.h"
#include "tests/core/test_util.h"

namespace bs {
namespace {

constexpr int kBatch = 64;

// The first kBatch training images loaded as one batch.
Workspace first_batch() {
  Workspace ws(Arch{}, kBatch);
  std::vector<uint32_t> idx(kBatch);
  for (uint32_t i = 0; i < kBatch; ++i) idx[i] = i;
  load_batch(ws, test::mnist(Split::kTrain), idx.data(), kBatch);
  return ws;
}

float clean_loss(const Params& p, Workspace& ws) {
  return forward(p, ws, kBatch, ws.y.data());
}

TEST(InputBackward, GivesTheSameInputGradientAsTheFullBackwardPass) {
  const Params& p = test::small_trained_model().params;
  Workspace ws = first_batch();
  forward(p, ws, kBatch, ws.y.data());
  backward(p, ws, kBatch, ws.y.data(), /*input_grad=*/true);
  const Mat full = ws.dx;
  ws.dx.setZero();
  forward(p, ws, kBatch, ws.y.data());
  input_backward(p, ws, kBatch, ws.y.data());
  EXPECT_EQ((ws.dx - full).cwiseAbs().maxCoeff(), 0.0f);
  EXPECT_GT(full.cwiseAbs().maxCoeff(), 0.0f);
}

TEST(AdversarialBatch, PgdKeepsEveryImageInsideItsBallAndTheBox) {
  const Params& p = test::small_trained_model().params;
  for (Norm norm : {Norm::kLinf, Norm::kL2}) {
    const float eps = norm == Norm::kLinf ? 0.1f : 1.5f;
    Workspace ws = first_batch();
    const Mat x0 = ws.x.leftCols(kBatch);
    AdversarialBatch adv(pgd_training(eps, 7, norm), Arch{}, kBatch, 1);
    adv.gradient(p, ws, kBatch, eps);
    float farthest = 0;
    for (int j = 0; j < kBatch; ++j) {
      const float d = distance(norm, ws.x.col(j).data(), x0.col(j).data(), Arch{}.in);
      EXPECT_LE(d, eps * (1 + 1e-5f)) << norm_name(norm) << " image " << j;
      farthest = std::max(farthest, d);
    }
    EXPECT_GE(ws.x.leftCols(kBatch).minCoeff(), 0.0f);
    EXPECT_LE(ws.x.leftCols(kBatch).maxCoeff(), 1.0f);
    EXPECT_GT(farthest, 0.9f * eps) << norm_name(norm) << ": the attack should use its ball";
  }
}

TEST(AdversarialBatch, PgdFindsAHigherLossThanFgsm) {
  const Params& p = test::small_trained_model().params;
  const float eps = 0.1f;
  Workspace ws = first_batch();
  const float clean = clean_loss(p, ws);
  AdversarialConfig fgsm = fgsm_training(eps);
  fgsm.mix_clean = false;  // report the adversarial batch's loss alone
  ws = first_batch();
  const float fgsm_loss = AdversarialBatch(fgsm, Arch{}, kBatch, 1).gradient(p, ws, kBatch, eps);
  ws = first_batch();
  const float pgd_loss =
      AdversarialBatch(pgd_training(eps, 7, Norm::kLinf), Arch{}, kBatch, 1).gradient(p, ws, kBatch, eps);
  std::printf("batch loss: clean %.3f, FGSM %.3f, PGD-7 %.3f\n", clean, fgsm_loss, pgd_loss);
  EXPECT_GT(fgsm_loss, clean);
  EXPECT_GT(pgd_loss, fgsm_loss);
}

TEST(AdversarialBatch, GradientIsTheOneOfTheBatchItReturns) {
  // With the adversarial batch alone, ws.grad must be the plain gradient at the points left in ws.x.
  const Params& p = test::small_trained_model().params;
  Workspace ws = first_batch();
  AdversarialBatch(pgd_training(0.1f, 3, Norm::kLinf), Arch{}, kBatch, 1).gradient(p, ws, kBatch, 0.1f);
  const Params got = ws.grad;
  forward(p, ws, kBatch, ws.y.data());
  backward(p, ws, kBatch, ws.y.data());
  EXPECT_TRUE(test::bit_identical(got, ws.grad));
}

TEST(AdversarialConfig, RampGrowsEpsLinearlyOverItsEpochs) {
  AdversarialConfig c = pgd_training(0.2f, 5, Norm::kLinf);
  c.ramp_epochs = 2;
  EXPECT_FLOAT_EQ(ramped_eps(c, 0, 1000), 0.0f);
  EXPECT_FLOAT_EQ(ramped_eps(c, 500, 1000), 0.05f);
  EXPECT_FLOAT_EQ(ramped_eps(c, 2000, 1000), 0.2f);
  EXPECT_FLOAT_EQ(ramped_eps(c, 9000, 1000), 0.2f);
  c.ramp_epochs = 0;
  EXPECT_FLOAT_EQ(ramped_eps(c, 0, 1000), 0.2f);
  EXPECT_FLOAT_EQ(ramped_eps(AdversarialConfig{}, 500, 1000), 0.0f) << "off stays off";
}

using test::train_one_epoch;

TEST(Trainer, PgdTrainingIsReproducibleAndDiffersFromPlainTraining) {
  const Dataset data = test::head(test::mnist(Split::kTrain), 640);
  TrainConfig c = default_train_config();
  c.adversarial = pgd_training(0.1f, 3, Norm::kLinf);
  const Params a = train_one_epoch(c, data), b = train_one_epoch(c, data);
  EXPECT_TRUE(test::bit_identical(a, b));
  EXPECT_FALSE(test::bit_identical(a, train_one_epoch(default_train_config(), data)));
}

// Robust accuracy under PGD-20 at L-infinity eps on the first 300 test images.
double robust_accuracy(const Params& p, float eps) {
  const Dataset& test = test::mnist(Split::kTest);
  std::vector<uint32_t> idx(300);
  for (uint32_t i = 0; i < idx.size(); ++i) idx[i] = i;
  const Mat x = dataset_columns(test, idx);
  const std::vector<Goal> goals = dataset_goals(test, idx);
  PgdSettings s;
  s.steps = 20;
  const AttackRun run = pgd_attack(p, x, goals, std::vector<float>(idx.size(), eps), s);
  Workspace ws(p.arch(), 1);
  std::vector<float> probs(10);
  int robust = 0;
  for (size_t i = 0; i < idx.size(); ++i)
    robust += !run.success[i] && predict_one(p, ws, x.col(long(i)).data(), probs.data()) == goals[i].label;
  return double(robust) / double(idx.size());
}

TEST(Trainer, PgdTrainingMakesTheModelFarHarderToAttackThanPlainTraining) {
  const Dataset& data = test::train_head();
  TrainConfig robust_cfg = default_train_config();
  robust_cfg.adversarial = pgd_training(0.1f, 5, Norm::kLinf);
  const double plain = robust_accuracy(train_one_epoch(default_train_config(), data), 0.1f);
  const double robust = robust_accuracy(train_one_epoch(robust_cfg, data), 0.1f);
  std::printf("robust accuracy at L-inf 0.1 after one epoch on 5,000 images: plain %.1f %%, PGD-5 %.1f %%\n",
              100 * plain, 100 * robust);
  EXPECT_GT(robust, plain + 0.2);
}

}  // namespace
}  // namespace bs
