#include "core/trial/transfer.h"

#include <algorithm>
#include <cmath>

#include "core/analysis/attack.h"
#include "core/analysis/attack_survey.h"
#include "core/analysis/effective.h"
#include "core/train/trainer.h"

namespace bs {
namespace {

double cosine(const Eigen::VectorXf& u, const Eigen::VectorXf& v) {
  const double d = double(u.norm()) * double(v.norm());
  return d > 0 ? double(u.dot(v)) / d : 0.0;
}

}  // namespace

CosinePoint pattern_cosine(const Params& a, const Params& b, const Subspace& subspace, int k) {
  const EffectiveWeights ea = effective_weights(a), eb = effective_weights(b);
  CosinePoint c;
  const int classes = int(ea.layer[2].rows());
  Eigen::VectorXf in_a(kPixels), off_a(kPixels), in_b(kPixels), off_b(kPixels);
  for (int j = 0; j < classes; ++j) {
    split_span(subspace, k, ea.layer[2].row(j).data(), in_a.data(), off_a.data());
    split_span(subspace, k, eb.layer[2].row(j).data(), in_b.data(), off_b.data());
    c.in_span += cosine(in_a, in_b) / classes;
    c.off_span += cosine(off_a, off_b) / classes;
  }
  return c;
}

namespace {
const char* const kDirectionNames[] = {"full", "in_span", "off_span", "pgd", "fgsm"};
}  // namespace

TransferMeasureJob::TransferMeasureJob(const Params& a, const Params& b, const Dataset& test,
                                       const Subspace& subspace, int k, const TransferSettings& s,
                                       Slicing slicing)
    : a_(a),
      b_(b),
      test_(test),
      s_(s),
      slicing_(slicing),
      ws_(Arch{}, 1),
      probs_(kClasses),
      zero_(kPixels, 0.0f) {
  s_.attack.norm = Norm::kL2;
  s_.k = k;
  fixed_ = fixed_directions(a_, subspace, k, s.target);
  for (size_t i = 0; i < test.size(); ++i)
    if (test.label(i) == s.source) images_.push_back(uint32_t(i));
  if (s.max_images > 0 && int(images_.size()) > s.max_images) images_.resize(size_t(s.max_images));
  stages_.add([this] {
    if (next_ >= images_total()) return true;
    if (!pgd_) {
      start_chunk(next_, std::min(std::max(1, slicing_.images), images_total() - next_));
      return false;
    }
    pgd_->step();
    if (!pgd_->done()) return false;
    finish_chunk();
    next_ += int(goals_.size());
    pgd_.reset();
    return next_ >= images_total();
  });
}

// Source images first .. first + count - 1: which model gets each right, and the start of their minimal
// targeted PGD perturbations on A (one round of probes per step).
void TransferMeasureJob::start_chunk(int first, int count) {
  const std::vector<uint32_t> idx(images_.begin() + first, images_.begin() + first + count);
  x_ = dataset_columns(test_, idx);
  right_a_.assign(size_t(count), 0);
  right_b_.assign(size_t(count), 0);
  goals_.clear();
  for (int i = 0; i < count; ++i) {
    right_a_[size_t(i)] = predicts(a_, x_.col(i).data(), zero_.data()) == s_.source;
    right_b_[size_t(i)] = predicts(b_, x_.col(i).data(), zero_.data()) == s_.source;
    count_a_ += right_a_[size_t(i)];
    count_b_ += right_b_[size_t(i)];
    goals_.push_back({s_.source, s_.target, idx[size_t(i)]});
  }
  pgd_.emplace(minimal_radius_pgd_job(a_, x_, goals_, s_.attack));
}

int TransferMeasureJob::predicts(const Params& p, const float* x, const float* d) {
  return predict_overlay(p, ws_, x, d, 1.0f, true, probs_.data());
}

// Which of the five directions made on A turn each image into the target on A and on B.
void TransferMeasureJob::finish_chunk() {
  const AttackRun& pgd = pgd_->result();
  AttackSetup setup;
  setup.source = s_.source;
  setup.target = s_.target;
  setup.k = s_.k;
  AttackScanner scanner(a_, setup);
  const Direction fixed[] = {Direction::kFull, Direction::kInSpan, Direction::kOffSpan};
  std::vector<float> d(kPixels);
  const int count = int(goals_.size());
  for (int which = 0; which < 5; ++which)
    for (int i = 0; i < count; ++i) {
      const float* xi = x_.col(i).data();
      if (which < 3) {
        scanner.direction(fixed[which], fixed_, xi, size_t(next_ + i), 0, d.data());
      } else if (which == 3) {
        for (int k = 0; k < kPixels; ++k)
          d[size_t(k)] = pgd.success[size_t(i)] ? s_.pgd_scale * (pgd.adversarial(k, i) - xi[k]) : 0.0f;
      } else {
        scanner.direction(Direction::kFgsm, fixed_, xi, size_t(next_ + i), 0, d.data());
      }
      if (right_a_[size_t(i)]) flipped_a_[which] += predicts(a_, xi, d.data()) == s_.target;
      if (right_b_[size_t(i)]) flipped_b_[which] += predicts(b_, xi, d.data()) == s_.target;
    }
}

std::vector<DirectionTransfer> TransferMeasureJob::directions() const {
  std::vector<DirectionTransfer> out;
  for (int which = 0; which < 5; ++which) {
    DirectionTransfer t;
    t.name = kDirectionNames[which];
    t.on_a = count_a_ ? double(flipped_a_[which]) / count_a_ : 0.0;
    t.on_b = count_b_ ? double(flipped_b_[which]) / count_b_ : 0.0;
    out.push_back(t);
  }
  return out;
}

std::vector<DirectionTransfer> measure_transfer(const Params& a, const Params& b, const Dataset& test,
                                                const Subspace& subspace, int k, const TransferSettings& s,
                                                int* count_a, int* count_b) {
  TransferMeasureJob m(a, b, test, subspace, k, s, Slicing{});
  while (!m.done()) m.step();
  *count_a = m.count_a();
  *count_b = m.count_b();
  return m.directions();
}

namespace {
TrainConfig seeded_recipe(uint64_t seed) {
  TrainConfig c = default_train_config();
  c.shuffle_seed = seed;
  return c;
}
}  // namespace

TransferJob::TransferJob(const Dataset& train, const Dataset& test, const Subspace& subspace, uint64_t seed_a,
                         uint64_t seed_b, const TransferSettings& s, Slicing slicing, const Model* fixed_a)
    : train_(train),
      test_(test),
      subspace_(subspace),
      s_(s),
      slicing_(slicing),
      train_a_(fixed_a == nullptr),
      ta_(seeded_recipe(seed_a), Arch{}),
      tb_(seeded_recipe(seed_b), Arch{}) {
  rep_.k = s.k > 0 ? s.k : subspace.k_for(0.95);
  rep_.a = fixed_a ? *fixed_a : make_model(Arch{}, seed_a);
  rep_.b = make_model(Arch{}, seed_b);
  rep_.cosine.push_back(pattern_cosine(rep_.a.params, rep_.b.params, subspace, rep_.k));
  // In lockstep: both models have seen the same number of minibatches at every cosine point.
  stages_.add([this] {
    if (train_.size() == 0 || epochs_ >= s_.epochs) return true;
    const int want = std::min(std::max(1, slicing_.train_steps), s_.track_every - in_block_);
    const int n = tb_.train_steps(rep_.b.params, train_, want);
    if (train_a_) ta_.train_steps(rep_.a.params, train_, n);
    in_block_ += n;
    const bool last = tb_.epoch_just_ended() && ++epochs_ == s_.epochs;
    if (in_block_ >= s_.track_every || last) {
      step_ += in_block_;
      in_block_ = 0;
      CosinePoint c = pattern_cosine(rep_.a.params, rep_.b.params, subspace_, rep_.k);
      c.step = step_;
      rep_.cosine.push_back(c);
    }
    return last;
  });
  stages_.add([this] {
    if (!measure_)
      measure_ = std::make_unique<TransferMeasureJob>(rep_.a.params, rep_.b.params, test_, subspace_, rep_.k,
                                                      s_, slicing_);
    measure_->step();
    rep_.directions = measure_->directions();
    rep_.count_a = measure_->count_a();
    rep_.count_b = measure_->count_b();
    return measure_->done();
  });
}

TransferReport transfer_experiment(const Dataset& train, const Dataset& test, const Subspace& subspace,
                                   uint64_t seed_a, uint64_t seed_b, const TransferSettings& s) {
  TransferJob run(train, test, subspace, seed_a, seed_b, s, Slicing{});
  while (!run.done()) run.step();
  return std::move(run.report());
}

}  // namespace bs
