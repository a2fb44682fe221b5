#include "core/train/bench.h"

#include <algorithm>
#include <chrono>
#include <numeric>

#include "core/nn/mlp.h"
#include "core/train/evaluate.h"
#include "core/train/optimizer.h"
#include "core/train/trainer.h"

namespace bs {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

OptimizerConfig plain_sgd() {
  OptimizerConfig o;
  o.kind = OptimizerKind::kSgd;
  o.lr = kBenchLr;
  o.momentum = 0.0f;
  return o;
}

}  // namespace

double train_flops_per_sample(const Arch& a) {
  double weights = double(a.in) * a.h1 + double(a.h1) * a.h2 + double(a.h2) * a.out;
  double input_grads = double(a.h1) * a.h2 + double(a.h2) * a.out;
  return 2 * weights + 2 * weights + 2 * input_grads;
}

std::vector<float> bench_validation_losses(const Model& init, const Dataset& train, int steps) {
  Params p = init.params;
  Workspace ws(p.arch(), kBenchBatch);
  Optimizer opt(p.arch());
  std::vector<uint32_t> idx(kBenchBatch);
  std::vector<float> losses;
  for (int s = 0; s < steps && size_t(s + 1) * kBenchBatch <= train.size(); ++s) {
    std::iota(idx.begin(), idx.end(), uint32_t(s) * kBenchBatch);
    load_batch(ws, train, idx.data(), kBenchBatch);
    losses.push_back(forward(p, ws, kBenchBatch, ws.y.data()));
    backward(p, ws, kBenchBatch, ws.y.data());
    opt.step(p, ws.grad, plain_sgd(), kBenchLr);
  }
  return losses;
}

double bench_pgd_training(const Model& init, const Dataset& train, int steps, size_t images) {
  Params p = init.params;
  TrainConfig cfg = default_train_config();
  cfg.adversarial = pgd_training(0.1f, steps, Norm::kLinf);
  cfg.adversarial.ramp_epochs = 0;
  Trainer trainer(cfg, p.arch());
  const int batches = int(std::min(images, train.size()) / size_t(cfg.batch));
  auto start = std::chrono::steady_clock::now();
  for (int done = 0; done < batches;) done += trainer.train_steps(p, train, batches - done);
  return double(trainer.images_seen()) / seconds_since(start);
}

BenchTiming bench_throughput(const Model& init, const Dataset& train, const Dataset& test) {
  BenchTiming t;
  Params p = init.params;
  TrainConfig cfg;
  cfg.opt = plain_sgd();
  cfg.batch = kBenchBatch;
  cfg.lr_decay = 1.0f;
  Trainer trainer(cfg, p.arch());
  auto start = std::chrono::steady_clock::now();
  while (!trainer.train_steps(p, train, 1 << 20) || !trainer.epoch_just_ended()) {
  }
  t.train_seconds = seconds_since(start);
  t.train_samples = trainer.images_seen();
  t.final_loss = trainer.epoch_loss();

  Workspace ws(p.arch(), 1000);
  start = std::chrono::steady_clock::now();
  Evaluation ev = evaluate(p, test, ws, 0);
  t.infer_seconds = seconds_since(start);
  t.infer_samples = (long long)ev.count;
  t.test_accuracy = ev.accuracy();
  return t;
}

}  // namespace bs
