#include "core/train/trainer.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>

#include "core/nn/matmul.h"

namespace bs {

TrainConfig fashion_train_config() {
  TrainConfig c = default_train_config();
  c.opt.kind = OptimizerKind::kAdam;
  c.opt.lr = default_learning_rate(c.opt.kind);
  c.lr_decay = 0.8f;
  return c;
}

float default_learning_rate(OptimizerKind kind) {
  return kind == OptimizerKind::kAdam ? 1e-3f : 0.03f;
}

TrainConfig default_train_config() {
  TrainConfig c;
  c.opt.kind = OptimizerKind::kSgd;
  c.opt.lr = default_learning_rate(c.opt.kind);
  c.opt.momentum = 0.9f;
  c.batch = 32;
  c.lr_decay = 0.5f;
  return c;
}

Trainer::Trainer(const TrainConfig& cfg, const Arch& arch)
    : cfg_(cfg),
      opt_(arch),
      ws_(arch, cfg.batch),
      rng_(cfg.shuffle_seed, /*stream=*/0x5eed),
      noise_rng_(cfg.shuffle_seed, /*stream=*/0x40153),
      adversarial_(cfg.adversarial, arch, cfg.batch, cfg.shuffle_seed) {
  progress_.epoch_losses.reserve(1024);  // an epoch's end should not allocate either
  if (cfg_.layer1_input_major && best_kernel_isa() != KernelIsa::kPortable)
    layer1_scratch_.resize(arch.h1, arch.in);
  if (cfg_.projection) projection_.emplace(cfg_.projection->basis, cfg.batch);
}

namespace {

// Layer 1 kept input-major saves a transpose of its weights in each step's forward pass (about 4 us of a
// 90 us step with AVX-512) and costs two per call of train_steps (into the layout and back out): worth it
// from this many steps per call. The app's frames train in slices of 8 and keep the model's layout.
constexpr int kInputMajorMinSteps = 32;

// Rewrites w's data as its transpose, keeping w's shape: (rows, cols) row-major data becomes (cols, rows)
// row-major, or back.
void transpose_data(MatRM& w, MatRM& scratch, bool to_input_major) {
  const Eigen::Index rows = w.rows(), cols = w.cols();
  if (to_input_major)
    Eigen::Map<MatRM>(scratch.data(), cols, rows) = w.transpose();
  else
    Eigen::Map<MatRM>(scratch.data(), rows, cols) = Eigen::Map<const MatRM>(w.data(), cols, rows).transpose();
  w = scratch;  // the same shape: a copy, no allocation
}

// An epoch's images: the declared total while a stream is still arriving.
double epoch_size(const Dataset& data) {
  return double(data.declared ? data.declared : std::max<size_t>(data.size(), 1));
}

}  // namespace

float Trainer::current_lr(const Dataset& data) const {
  return cfg_.opt.lr *
         float(std::pow(double(cfg_.lr_decay), double(progress_.images_seen) / epoch_size(data)));
}

bool Trainer::start_epoch(const Dataset& data) {
  size_t n = data.size();
  if (cfg_.start_images > 0) {
    // In 64 bits: size_t is 32 bits in WebAssembly, where 4096 << 20 would wrap to 0.
    const uint64_t total = data.declared && !data.closed ? data.declared : data.size();
    const uint64_t want =
        std::min<uint64_t>(total, uint64_t(cfg_.start_images) << std::min(progress_.epochs_completed, 40));
    if (n < want) return false;
    n = size_t(want);
  }
  // Reserve for the whole dataset once, so later epochs (and a growing stream) do not reallocate.
  order_.reserve(std::max<size_t>(data.declared, data.size()));
  order_.resize(n);
  for (uint32_t i = 0; i < order_.size(); ++i) order_[i] = i;
  shuffle(order_.data(), uint32_t(order_.size()), rng_);
  cursor_ = 0;
  epoch_loss_sum_ = 0.0;
  epoch_images_ = 0;
  return true;
}

float Trainer::train_batch(Params& p, int b, float eps) {
  const int n = int(ws_.x.rows());
  if (cfg_.projection) {  // the whole batch at once: two matrix products
    const InputProjection& pr = *cfg_.projection;
    auto x = ws_.x.leftCols(b);
    x.colwise() -= pr.mean;
    projection_->apply(x.data(), b, false);
    x.colwise() += pr.mean;
  }
  if (cfg_.input_noise > 0) {
    float* x = ws_.x.data();
    for (int i = 0; i < n * b; ++i) {
      x[i] = std::min(1.0f, std::max(0.0f, x[i] + cfg_.input_noise * noise_rng_.normal_portable()));
    }
  }
  return adversarial_.gradient(p, ws_, b, eps);
}

void Trainer::use_layer1_layout(Params& p, bool input_major) {
  if (weights_input_major_ != input_major) transpose_data(p.w1, layer1_scratch_, input_major);
  if (moments_input_major_ != input_major) {
    transpose_data(opt_.first_moment().w1, layer1_scratch_, input_major);
    transpose_data(opt_.second_moment().w1, layer1_scratch_, input_major);
  }
  weights_input_major_ = moments_input_major_ = ws_.layer1_input_major = input_major;
}

int Trainer::train_steps(Params& p, const Dataset& data, int steps) {
  progress_.epoch_just_ended = false;
  if (data.size() == 0) return 0;
  assert(cfg_.batch > 0);
  // PGD and FGSM need the input gradient through layer 1, which the input-major layout does not give.
  const bool input_major = layer1_scratch_.size() > 0 && steps >= kInputMajorMinSteps &&
                           !cfg_.adversarial.on() && input_major_forward_fits(int(p.w1.rows()));
  int done = 0;
  while (done < steps) {
    if (cursor_ >= order_.size() && !start_epoch(data)) break;
    int b = int(std::min<size_t>(cfg_.batch, order_.size() - cursor_));
    // Below that batch the wide kernels' forward sums in another order (matmul.h): the model's layout then.
    use_layer1_layout(p, input_major && b >= kTransposedForwardMinBatch);
    load_batch(ws_, data, order_.data() + cursor_, b);
    const size_t next = cursor_ + size_t(b);
    if (next < order_.size())
      prefetch_batch(data, order_.data() + next, int(std::min<size_t>(cfg_.batch, order_.size() - next)));
    progress_.last_loss =
        train_batch(p, b, ramped_eps(cfg_.adversarial, double(progress_.images_seen), epoch_size(data)));
    opt_.step(p, ws_.grad, cfg_.opt, current_lr(data));
    cursor_ += size_t(b);
    progress_.images_seen += b;
    epoch_loss_sum_ += double(progress_.last_loss) * b;
    epoch_images_ += b;
    ++progress_.step;
    ++done;
    if (cursor_ >= order_.size()) {
      progress_.epoch_losses.push_back(epoch_loss());
      ++progress_.epochs_completed;
      progress_.epoch_just_ended = true;
      break;
    }
  }
  if (weights_input_major_) {  // the caller gets the model's layout back; the moments stay as they are
    transpose_data(p.w1, layer1_scratch_, false);
    weights_input_major_ = ws_.layer1_input_major = false;
  }
  return done;
}

void Trainer::adopt(const TrainerProgress& p) {
  progress_ = p;
}

}  // namespace bs
