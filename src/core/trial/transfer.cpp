#include "core/trial/transfer.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/analysis/attack.h"
#include "core/analysis/attack_survey.h"
#include "core/analysis/effective.h"
#include "core/robust/pgd.h"
#include "core/train/trainer.h"
#include "core/trial/geometry.h"
#include "core/util/median.h"

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
const char* const kEqualNames[kEqualDirections] = {"in_span", "off_span", "pgd", "fgsm"};
constexpr int kScanSteps = 300;  // alpha = 0, 0.01, ..., 3
}  // namespace

const char* equal_direction_name(int i) {
  return kEqualNames[i];
}

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
      zero_(kPixels, 0.0f),
      scan_ws_(Arch{}, kScanSteps + 1) {
  s_.attack.norm = Norm::kL2;
  s_.k = k;
  fixed_ = fixed_directions(a_, subspace, k, s.target);
  for (size_t i = 0; i < test.size(); ++i)
    if (test.label(i) == s.source) images_.push_back(uint32_t(i));
  if (s.max_images > 0 && int(images_.size()) > s.max_images) images_.resize(size_t(s.max_images));
  // The full pattern's L2 norm at max |d| = 1: the norm every direction of the second trial is compared at.
  common_norm_ = double(Eigen::Map<const Vec>(fixed_.d[size_t(Direction::kFull)].data(), kPixels).norm());
  stages_.add([this] { return linf_step(); });
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
    TransferImage im;
    im.index = idx[size_t(i)];
    im.right_a = right_a_[size_t(i)];
    im.right_b = right_b_[size_t(i)];
    images_out_.push_back(im);
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
  // The second trial's pgd: targeted L2 PGD on A with the common norm as its budget.
  PgdSettings ps = pgd_settings(s_.attack);
  ps.norm = Norm::kL2;
  equal_norm_chunk(pgd_attack(a_, x_, goals_, std::vector<float>(size_t(count), float(common_norm_)), ps));
}

// A first pass over the source images that A reads correctly: their minimal targeted L-inf radii, whose
// median sets the small fgsm step (docs/trial-rules.md, b).
bool TransferMeasureJob::linf_step() {
  if (!linf_) {
    if (linf_next_ == 0) {
      for (uint32_t i : images_) {
        const std::vector<float> x = test_.image_floats(i);
        if (predicts(a_, x.data(), zero_.data()) == s_.source)
          linf_goals_.push_back({s_.source, s_.target, i});
      }
    }
    if (linf_next_ >= linf_goals_.size()) {
      const double m =
          linf_radii_.empty() ? 0.0 : median(std::vector<double>(linf_radii_.begin(), linf_radii_.end()));
      fgsm_eps_ = std::isfinite(m) ? 1.5 * m : 0.0;
      return true;
    }
    const size_t count =
        std::min<size_t>(size_t(std::max(1, slicing_.images)), linf_goals_.size() - linf_next_);
    const std::vector<Goal> goals(linf_goals_.begin() + long(linf_next_),
                                  linf_goals_.begin() + long(linf_next_ + count));
    std::vector<uint32_t> idx;
    for (const Goal& g : goals) idx.push_back(g.id);
    RobustnessSettings rs = s_.attack;
    rs.norm = Norm::kLinf;
    linf_.emplace(minimal_radius_pgd_job(a_, dataset_columns(test_, idx), goals, rs));
    return false;
  }
  linf_->step();
  if (!linf_->done()) return false;
  for (float r : linf_->result().radius) linf_radii_.push_back(r);
  linf_next_ += linf_->result().radius.size();
  linf_.reset();
  return false;
}

// The chunk's equal-norm directions on A and B, and its flip points.
void TransferMeasureJob::equal_norm_chunk(const AttackRun& pgd_equal) {
  AttackSetup setup;
  setup.source = s_.source;
  setup.target = s_.target;
  setup.k = s_.k;
  AttackScanner scanner(a_, setup);
  std::vector<float> d(kPixels), full(kPixels);
  const int count = int(goals_.size());
  for (int i = 0; i < count; ++i) {
    const float* xi = x_.col(i).data();
    TransferImage& im = images_out_[images_out_.size() - size_t(count) + size_t(i)];
    scanner.direction(Direction::kFull, fixed_, xi, size_t(next_ + i), 0, full.data());
    for (int which = 0; which < kEqualDirections; ++which) {
      if (which < 2) {  // a part of the pattern, scaled to the common norm
        scanner.direction(which == 0 ? Direction::kInSpan : Direction::kOffSpan, fixed_, xi,
                          size_t(next_ + i), 0, d.data());
        const float n = Eigen::Map<const Vec>(d.data(), kPixels).norm();
        for (float& v : d) v = n > 0 ? v * float(common_norm_) / n : 0.0f;
      } else if (which == 2) {  // PGD's point within the common norm (where it ends, flipped or not)
        for (int k = 0; k < kPixels; ++k) d[size_t(k)] = pgd_equal.adversarial(k, i) - xi[k];
      } else {  // the sign step of size fgsm_eps
        scanner.direction(Direction::kFgsm, fixed_, xi, size_t(next_ + i), 0, d.data());
        for (float& v : d) v *= float(fgsm_eps_);
      }
      im.flip_a[size_t(which)] = im.right_a && predicts(a_, xi, d.data()) == s_.target;
      im.flip_b[size_t(which)] = im.right_b && predicts(b_, xi, d.data()) == s_.target;
    }
    im.flip_point_ratio = im.right_a ? flip_point_ratio(xi, full.data()) : std::nan("");
  }
}

// alpha* / alpha_lin along x + alpha full, unclipped (docs/trial-rules.md, b.flip_point_ratio).
double TransferMeasureJob::flip_point_ratio(const float* x, const float* full) {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<float> g(kPixels);
  margin_gradient(a_, x, s_.source, s_.target, g.data());  // grad (z_target - z_source)
  double slope = 0;
  for (int k = 0; k < kPixels; ++k) slope += double(g[size_t(k)]) * double(full[k]);
  for (int j = 0; j <= kScanSteps; ++j)
    for (int k = 0; k < kPixels; ++k) scan_ws_.x(k, j) = x[k] + 0.01f * float(j) * full[k];
  forward(a_, scan_ws_, kScanSteps + 1, nullptr);
  const auto z0 = scan_ws_.logits.col(0);
  const double gap = double(z0(s_.source)) - double(z0(s_.target));
  const double alpha_lin = slope > 0 ? gap / slope : -1;
  if (!(alpha_lin > 0)) return inf;
  for (int j = 0; j <= kScanSteps; ++j) {
    Eigen::Index c = 0;
    scan_ws_.logits.col(j).maxCoeff(&c);
    if (c == s_.target) return 0.01 * j / alpha_lin;
  }
  return inf;
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
    rep_.common_norm = measure_->common_norm();
    rep_.fgsm_eps = measure_->fgsm_eps();
    rep_.images = measure_->images();
    return measure_->done();
  });
}

SeedMeasures transfer_measures(const TransferReport& r, uint64_t seed) {
  SeedMeasures m;
  m.seed = seed;
  if (r.images.empty()) return m;
  auto flags = [&](int which, bool on_b) {
    std::vector<double> hit, right;
    for (const TransferImage& im : r.images) {
      hit.push_back((on_b ? im.flip_b : im.flip_a)[size_t(which)] ? 1 : 0);
      right.push_back((on_b ? im.right_b : im.right_a) ? 1 : 0);
    }
    return std::make_pair(hit, right);
  };
  for (int which = 0; which < kEqualDirections; ++which) {
    const auto [hit_b, right_b] = flags(which, true);
    const auto [hit_a, right_a] = flags(which, false);
    Measure t;
    t.statistic = Statistic::kRatioOfRates;
    t.columns = {hit_b, right_b, hit_a, right_a};
    const std::string name = kEqualNames[which];
    double hits = 0, rights = 0;
    for (size_t i = 0; i < hit_a.size(); ++i) {
      hits += hit_a[i];
      rights += right_a[i];
    }
    m.quantities["b.transfer." + name] = std::move(t);
    m.checks["b.source_works." + name] = rights > 0 ? hits / rights : std::nan("");
  }
  const auto [hit_off, right_a] = flags(1, false);
  const auto [hit_in, right_a2] = flags(0, false);
  Measure cheaper;
  cheaper.statistic = Statistic::kRatioOfRates;
  cheaper.columns = {hit_off, right_a, hit_in, right_a2};
  m.quantities["b.off_over_in_on_a"] = std::move(cheaper);
  Measure flip;
  flip.statistic = Statistic::kMedian;
  flip.columns.resize(1);
  for (const TransferImage& im : r.images)
    if (im.right_a) flip.columns[0].push_back(im.flip_point_ratio);
  m.quantities["b.flip_point_ratio"] = std::move(flip);
  return m;
}

TransferReport transfer_experiment(const Dataset& train, const Dataset& test, const Subspace& subspace,
                                   uint64_t seed_a, uint64_t seed_b, const TransferSettings& s) {
  TransferJob run(train, test, subspace, seed_a, seed_b, s, Slicing{});
  while (!run.done()) run.step();
  return std::move(run.report());
}

}  // namespace bs
