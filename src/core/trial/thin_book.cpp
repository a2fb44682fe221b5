#include "core/trial/thin_book.h"

#include <algorithm>
#include <cmath>

#include "core/nn/row_projection.h"
#include "core/robust/pgd.h"
#include "core/util/median.h"

namespace bs {
namespace {

// ||M (I - Q^T Q)||_F / ||M||_F for Q with orthonormal rows.
double off_fraction(const MatRM& m, const MatRM& q) {
  const double total = double(m.norm());
  if (total <= 0) return 0;
  const MatRM off = m - (m * q.transpose()) * q;
  return double(off.norm()) / total;
}

// The median of the radii and how many are finite (flips found).
float median_found(const std::vector<double>& radii, int* found) {
  *found = 0;
  for (double r : radii) *found += std::isfinite(r);
  return float(median(radii));
}

}  // namespace

MatRM affine_span_basis(const Subspace& s, int d) {
  d = std::clamp(d, 0, kPixels);
  MatRM q(d + 1, kPixels);
  q.topRows(d) = s.basis.topRows(d);
  // The mean image, minus its part in the top d (Gram-Schmidt); dropped when it lies in them already.
  Eigen::VectorXf m = s.mean.cast<float>();
  m -= q.topRows(d).transpose() * (q.topRows(d) * m);
  const float norm = m.norm();
  if (d == kPixels || norm < 1e-4f) return q.topRows(d);
  q.row(d) = (m / norm).transpose();
  return q;
}

std::shared_ptr<const InputProjection> input_projection(const Subspace& s, int d) {
  if (d >= kPixels) return nullptr;
  auto pr = std::make_shared<InputProjection>();
  pr->basis = s.basis.topRows(d);
  pr->mean = s.mean.cast<float>();
  return pr;
}

ThinBookJob::ThinBookJob(const Dataset& train, const Dataset& test, const Subspace& s, uint64_t seed,
                         const ThinBookSettings& settings, Slicing slicing)
    : train_(train), test_(test), s_(s), seed_(seed), settings_(settings), slicing_(slicing) {
  for (int d : settings_.dims)
    for (float scale : settings_.init_scales) add_model(d, scale);
}

void ThinBookJob::add_model(int d, float scale) {
  stages_.add([this, d, scale] {  // training
    if (!trainer_) {
      run_ = ThinBookRun();
      run_.d = d;
      run_.init_scale = scale;
      TrainConfig cfg = default_train_config();
      cfg.shuffle_seed = seed_;
      cfg.projection = input_projection(s_, d);
      run_.model = make_model(Arch{}, seed_, scale);
      trainer_ = std::make_unique<Trainer>(cfg, Arch{});
      epochs_ = 0;
      next_ = 0;
      right_projected_ = right_raw_ = 0;
      q_ = affine_span_basis(s_, d);
    }
    if (train_.size() == 0 || epochs_ >= settings_.epochs) return true;
    trainer_->train_steps(run_.model.params, train_, std::max(1, slicing_.train_steps));
    return trainer_->epoch_just_ended() && ++epochs_ >= settings_.epochs;
  });
  stages_.add([this] {  // accuracy on the projected and on the raw test images, a chunk at a time
    const Params& p = run_.model.params;
    const size_t count = std::min<size_t>(size_t(std::max(1, slicing_.images)) * 100, test_.size() - next_);
    if (count > 0) {
      std::vector<uint32_t> idx(count);
      for (size_t i = 0; i < count; ++i) idx[i] = uint32_t(next_ + i);
      Mat x = dataset_columns(test_, idx);
      Workspace ws(p.arch(), int(count));
      for (const bool projected : {false, true}) {
        if (projected && trainer_->config().projection) {
          const InputProjection& pr = *trainer_->config().projection;
          x.colwise() -= pr.mean;
          RowProjection(pr.basis, int(count)).apply(x.data(), int(count), false);
          x.colwise() += pr.mean;
        }
        ws.x.leftCols(long(count)) = x;
        forward(p, ws, int(count), nullptr);
        long right = 0;
        for (size_t j = 0; j < count; ++j) {
          Eigen::Index c = 0;
          ws.logits.col(long(j)).maxCoeff(&c);
          right += c == test_.label(next_ + j);
        }
        (projected ? right_projected_ : right_raw_) += right;
      }
      next_ += count;
    }
    if (next_ < test_.size()) return false;
    const double n = test_.size() ? double(test_.size()) : 1.0;
    run_.accuracy_projected = double(right_projected_) / n;
    run_.accuracy_raw = double(right_raw_) / n;
    run_.off_share = off_fraction(p.w1, q_);
    run_.init_off_share = off_fraction(run_.model.init.w1, q_);
    run_.off_change = off_fraction(p.w1 - run_.model.init.w1, q_);
    attacked_ = first_correct_images(p, test_, size_t(settings_.images));
    run_.attacked = int(attacked_.size());
    radius_in_.clear();
    radius_off_.clear();
    next_ = 0;
    return true;
  });
  stages_.add([this] {  // the restricted attacks, on raw test images the model gets right
    if (!radius_) {
      if (next_ >= attacked_.size()) {
        run_.radius_in = median_found(radius_in_, &run_.found_in);
        run_.radius_off = q_.rows() < kPixels ? median_found(radius_off_, &run_.found_off) : INFINITY;
        run_.radii_in = radius_in_;
        run_.radii_off = radius_off_;
        runs_.push_back(std::move(run_));
        trainer_.reset();
        return true;
      }
      start_attack(false);
      return false;
    }
    radius_->step();
    if (!radius_->done()) return false;
    for (float r : radius_->result().radius) (complement_ ? radius_off_ : radius_in_).push_back(r);
    // At d = 784 no direction is left outside the span.
    if (!complement_ && q_.rows() < kPixels) {
      start_attack(true);
      return false;
    }
    next_ += size_t(radius_->result().radius.size());
    radius_.reset();
    return false;
  });
}

// The minimal-radius attack on the next chunk of attacked images, kept to the span or to its complement.
void ThinBookJob::start_attack(bool complement) {
  const size_t count = std::min<size_t>(size_t(std::max(1, slicing_.images)), attacked_.size() - next_);
  const std::vector<uint32_t> idx(attacked_.begin() + long(next_), attacked_.begin() + long(next_ + count));
  RobustnessSettings rs = settings_.attack;
  rs.norm = Norm::kL2;
  PgdSettings pgd = pgd_settings(rs);
  pgd.restrict_rounds = settings_.restrict_rounds;
  // A span of every direction restricts nothing: the free attack (without 784 x 784 projections).
  if (complement || q_.rows() < q_.cols()) {
    pgd.restrict_rows = &q_;
    pgd.restrict_complement = complement;
  }
  complement_ = complement;
  radius_.emplace(minimal_radius_pgd_job(run_.model.params, dataset_columns(test_, idx),
                                         dataset_goals(test_, idx), rs, {}, &pgd));
}

SeedMeasures thin_measures(const std::vector<ThinBookRun>& runs, uint64_t seed) {
  SeedMeasures m;
  m.seed = seed;
  auto find = [&](int d, float scale) -> const ThinBookRun* {
    for (const ThinBookRun& r : runs)
      if (r.d == d && r.init_scale == scale) return &r;
    return nullptr;
  };
  for (int d : {10, 30, 154}) {
    const ThinBookRun* one = find(d, 1.0f);
    const ThinBookRun* quarter = find(d, 0.25f);
    if (one && one->radii_off.size() == one->radii_in.size() && !one->radii_in.empty()) {
      Measure ratio;
      ratio.statistic = Statistic::kMedian;
      ratio.columns.resize(1);
      for (size_t i = 0; i < one->radii_in.size(); ++i) {
        const double in = one->radii_in[i], off = one->radii_off[i];
        if (std::isinf(in) && std::isinf(off)) {
          ++ratio.left_out;  // neither attack flipped it: no ratio
          continue;
        }
        ratio.columns[0].push_back(off /
                                   in);  // +inf where only the off-span attack failed, 0 where only the in
      }
      m.quantities["c.off_over_in." + std::to_string(d)] = std::move(ratio);
    }
    if (one && quarter && !one->radii_off.empty() && !quarter->radii_off.empty()) {
      Measure effect;
      effect.value = median(one->radii_off) / median(quarter->radii_off);
      m.quantities["c.scale_effect." + std::to_string(d)] = effect;
    }
  }
  double change = 0, learned = 1;
  bool any = false;
  for (const ThinBookRun& r : runs) {
    change = std::max(change, r.off_change);
    if (r.d == 30 || r.d == 154) {
      learned = std::min(learned, r.accuracy_raw);
      any = true;
    }
  }
  if (!runs.empty()) m.checks["c.leftovers_untouched"] = change;
  if (any) m.checks["c.learned"] = learned;
  return m;
}

std::vector<ThinBookRun> thin_book(const Dataset& train, const Dataset& test, const Subspace& s,
                                   uint64_t seed, const ThinBookSettings& settings) {
  ThinBookJob job(train, test, s, seed, settings, Slicing{});
  while (!job.done()) job.step();
  return std::move(job.runs());
}

}  // namespace bs
