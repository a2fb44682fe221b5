#include "core/trial/minimal_span.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "core/robust/deepfool.h"
#include "core/robust/objective.h"
#include "core/trial/geometry.h"
#include "core/util/cosine.h"

namespace bs {
MinimalSpanJob::MinimalSpanJob(const Params& p, const Dataset& train, const Dataset& test,
                               const Subspace& subspace, const MinimalSpanSettings& s, Slicing slicing)
    : p_(p), train_(train), test_(test), subspace_(subspace), s_(s), slicing_(slicing) {
  s_.attack.norm = Norm::kL2;
  rep_.k = s.k > 0 ? s.k : subspace.k_for(0.95);
  rep_.explained = subspace.explained(rep_.k);
  rep_.tangent_dims = s.tangent_dims;
  rep_.wide_tangent_dims = s.wide_tangent_dims;
  rep_.random_shares = random_direction_shares(subspace, rep_.k);
  stages_.add([this] {
    indices_ = first_correct_images(p_, test_, size_t(std::max(0, s_.images)));
    rep_.perturbations = Mat::Zero(kPixels, long(indices_.size()));
    return true;
  });
  stages_.add([this] {
    if (!neighbours_) neighbours_ = std::make_unique<ClassNeighbours>(train_, false);
    // 4,000 training images per image of the slicing: a few milliseconds in WebAssembly.
    return neighbours_->index_more(
        size_t(std::min<uint64_t>(uint64_t(slicing_.images) * 4000, train_.size())));
  });
  stages_.add([this] {  // the class means, for the angles: 4,000 training images per image of the slicing
    if (!means_) means_.emplace(train_);
    return means_->add(size_t(std::min<uint64_t>(uint64_t(slicing_.images) * 4000, train_.size() + 1)));
  });
  stages_.add([this] { return measure_step(); });
}

// The images of the chunk in progress, one unit at a time: DeepFool and the linear estimates; the nearest
// training images; the tangent spaces; then one round of minimal-radius PGD per call, free, then kept to the
// tangent space, then to its complement. (The first three are separate units because each takes milliseconds
// per image in WebAssembly.)
bool MinimalSpanJob::measure_step() {
  const int n = int(indices_.size());
  if (next_ >= n) return true;
  switch (phase_) {
    case Phase::kStart:
      start_chunk(next_, std::min(std::max(1, slicing_.images), n - next_));
      return false;
    case Phase::kNeighbours: {
      // 1,500 candidates per image of the slicing: about a quarter of a class per unit in the page.
      const size_t candidates = size_t(std::min<uint64_t>(uint64_t(slicing_.images) * 1500, train_.size()));
      for (; query_image_ < chunk_count_; ++query_image_) {
        const size_t i = size_t(query_image_);
        if (!query_) query_.emplace(*neighbours_, x_.col(long(i)).data(), goals_[i].label, s_.neighbours);
        if (!query_->step(candidates)) return false;
        nearest_[i] = query_->result();
        query_.reset();
      }
      query_image_ = 0;
      phase_ = Phase::kTangentBasis;
      return false;
    }
    case Phase::kTangentBasis:
      tangent_spaces();
      return false;
    case Phase::kFree:
      radius_->step();
      if (radius_->done()) finish_free();
      return false;
    case Phase::kTangent:
    case Phase::kComplement:
    case Phase::kWideComplement: {
      radius_->step();
      if (!radius_->done()) return false;
      for (int i = 0; i < chunk_count_; ++i) {
        MinimalSpanImage& im = rep_.images[size_t(next_ + i)];
        const float r = radius_->result().radius[size_t(i)];
        if (phase_ == Phase::kTangent) im.tangent_radius = r;
        if (phase_ == Phase::kComplement) im.complement_radius = r;
        if (phase_ == Phase::kWideComplement) im.wide_complement_radius = r;
      }
      if (phase_ == Phase::kTangent) {
        start_restricted(Phase::kComplement);
        return false;
      }
      if (phase_ == Phase::kComplement && s_.wide_tangent_dims > 0) {
        start_restricted(Phase::kWideComplement);
        return false;
      }
      radius_.reset();
      next_ += chunk_count_;
      phase_ = Phase::kStart;
      return next_ >= n;
    }
  }
  return false;
}

void MinimalSpanJob::start_chunk(int first, int count) {
  chunk_count_ = count;
  const std::vector<uint32_t> idx(indices_.begin() + first, indices_.begin() + first + count);
  x_ = dataset_columns(test_, idx);
  goals_ = dataset_goals(test_, idx);
  DeepFoolSettings df;
  df.norm = Norm::kL2;
  deepfool_ = deepfool_attack(p_, x_, goals_, df);
  // The linear estimates, from the margin's gradient at each image.
  Workspace ws(p_.arch(), count);
  ws.x.leftCols(count) = x_;
  attack_logits(p_, ws, count);
  objective_input_gradient(p_, ws, count, goals_.data(), AttackLoss::kMargin);
  linear_.assign(size_t(count), INFINITY);
  for (int i = 0; i < count; ++i) {
    const float* z = ws.logits.col(i).data();
    const int label = goals_[size_t(i)].label;
    float runner_up = -INFINITY;
    for (int c = 0; c < kClasses; ++c)
      if (c != label) runner_up = std::max(runner_up, z[c]);
    const float g = ws.dx.col(i).norm();
    if (g > 0) linear_[size_t(i)] = (z[label] - runner_up) / g;
  }
  nearest_.assign(size_t(count), {});
  phase_ = Phase::kNeighbours;
}

// Each image's tangent space from its neighbours; the chunk's images enter the report, and the free attack
// starts from DeepFool's radii.
void MinimalSpanJob::tangent_spaces() {
  tangents_.assign(size_t(chunk_count_), MatRM());
  wide_tangents_.assign(size_t(chunk_count_), MatRM());
  by_id_.clear();
  wide_by_id_.clear();
  for (int i = 0; i < chunk_count_; ++i) {
    tangents_[size_t(i)] = tangent_basis(train_, nearest_[size_t(i)], x_.col(i).data(), s_.tangent_dims);
    by_id_[goals_[size_t(i)].id] = &tangents_[size_t(i)];
    if (s_.wide_tangent_dims > 0) {
      wide_tangents_[size_t(i)] =
          tangent_basis(train_, nearest_[size_t(i)], x_.col(i).data(), s_.wide_tangent_dims);
      wide_by_id_[goals_[size_t(i)].id] = &wide_tangents_[size_t(i)];
    }
    MinimalSpanImage im;
    im.index = goals_[size_t(i)].id;
    im.label = goals_[size_t(i)].label;
    im.tangent_rank = int(tangents_[size_t(i)].rows());
    im.wide_tangent_rank = int(wide_tangents_[size_t(i)].rows());
    im.linear_radius = linear_[size_t(i)];
    rep_.images.push_back(im);
  }
  radius_.emplace(minimal_radius_pgd_job(p_, x_, goals_, s_.attack, deepfool_.radius));
  phase_ = Phase::kFree;
}

// The closer of DeepFool's and PGD's points is each image's minimal perturbation: its shares, then the
// attack kept to the tangent space, starting from its radius.
void MinimalSpanJob::finish_free() {
  const AttackRun& pgd = radius_->result();
  guess_.assign(size_t(chunk_count_), 0.0f);
  const Mat& means = means_->means();
  std::vector<float> toward(kPixels), between(kPixels);
  for (int i = 0; i < chunk_count_; ++i) {
    MinimalSpanImage& im = rep_.images[size_t(next_ + i)];
    const AttackRun& best = pgd.radius[size_t(i)] <= deepfool_.radius[size_t(i)] ? pgd : deepfool_;
    im.radius = best.radius[size_t(i)];
    guess_[size_t(i)] = im.radius;
    sum_rank_ += im.tangent_rank;
    sum_wide_rank_ += im.wide_tangent_rank;
    im.gradient_cosine = im.mean_angle_deg = std::nan("");
    if (!best.success[size_t(i)]) continue;
    auto delta = rep_.perturbations.col(next_ + i);
    delta = best.adversarial.col(i) - x_.col(i);
    im.reached = best.prediction[size_t(i)];
    margin_gradient(p_, x_.col(i).data(), im.label, im.reached, toward.data());
    im.gradient_cosine = cosine(delta.data(), toward.data(), kPixels);
    for (int k = 0; k < kPixels; ++k) between[size_t(k)] = means(k, im.reached) - means(k, im.label);
    im.mean_angle_deg = angle_deg(delta.data(), between.data(), kPixels);
    im.shares = span_shares(subspace_, rep_.k, delta.data());
    Eigen::VectorXf t = delta;
    project_onto_rows(tangents_[size_t(i)], t.data(), false);
    im.tangent_share = double(t.squaredNorm()) / double(delta.squaredNorm());
    if (s_.wide_tangent_dims > 0) {
      t = delta;
      project_onto_rows(wide_tangents_[size_t(i)], t.data(), false);
      im.wide_tangent_share = double(t.squaredNorm()) / double(delta.squaredNorm());
    }
    sum_curve_.resize(kPixels, 0.0);
    add_energy_curve(subspace_, delta.data(), sum_curve_.data());
    sum_wide_tangent_ += im.wide_tangent_share;
    sum_shares_.top_k += im.shares.top_k;
    sum_shares_.rest += im.shares.rest;
    sum_shares_.never_lit += im.shares.never_lit;
    sum_tangent_ += im.tangent_share;
    ++measured_;
  }
  if (measured_ > 0) {
    rep_.mean_shares = {sum_shares_.top_k / measured_, sum_shares_.rest / measured_,
                        sum_shares_.never_lit / measured_};
    rep_.mean_tangent_share = sum_tangent_ / measured_;
    rep_.mean_wide_tangent_share = sum_wide_tangent_ / measured_;
    rep_.energy_curve.resize(kPixels);
    for (int k = 0; k < kPixels; ++k) rep_.energy_curve[size_t(k)] = sum_curve_[size_t(k)] / measured_;
  }
  rep_.random_tangent_share = sum_rank_ / kPixels / double(next_ + chunk_count_);
  rep_.random_wide_tangent_share = sum_wide_rank_ / kPixels / double(next_ + chunk_count_);
  start_restricted(Phase::kTangent);
}

// The minimal-radius PGD attack with perturbations kept to each image's tangent space (kTangent), or out of
// it (kComplement), or out of its wider one (kWideComplement).
void MinimalSpanJob::start_restricted(Phase phase) {
  PgdSettings pgd = pgd_settings(s_.attack);
  const bool complement = phase != Phase::kTangent;
  const auto& bases = phase == Phase::kWideComplement ? wide_by_id_ : by_id_;
  pgd.restrict_to = [&bases, complement](uint32_t id, float* v) {
    project_onto_rows(*bases.at(id), v, complement);
  };
  radius_.emplace(minimal_radius_pgd_job(p_, x_, goals_, s_.attack, guess_, &pgd));
  phase_ = phase;
}

SeedMeasures span_measures(const MinimalSpanReport& r, uint64_t seed) {
  SeedMeasures m;
  m.seed = seed;
  Measure share, cos, angle;
  share.statistic = Statistic::kMean;
  cos.statistic = angle.statistic = Statistic::kMedian;
  for (Measure* x : {&share, &cos, &angle}) x->columns.resize(1);
  for (const MinimalSpanImage& im : r.images) {
    if (im.reached < 0) {
      for (Measure* x : {&share, &cos, &angle}) ++x->left_out;
      continue;
    }
    share.columns[0].push_back(im.shares.top_k);
    cos.columns[0].push_back(im.gradient_cosine);
    angle.columns[0].push_back(im.mean_angle_deg);
  }
  if (r.images.empty()) return m;
  m.quantities["a.top_k_share"] = std::move(share);
  m.quantities["a.gradient_cosine"] = std::move(cos);
  m.quantities["a.tilt_angle"] = std::move(angle);
  m.checks["a.tangent_holds_energy"] = r.mean_tangent_share;
  // Reported, not judged: each tangent size's share and radius ratio.
  const std::pair<int, bool> sizes[] = {{r.tangent_dims, false}, {r.wide_tangent_dims, true}};
  for (const auto& [dims, wide] : sizes) {
    if (dims <= 0) continue;
    Measure tangent_share, ratio;
    tangent_share.statistic = Statistic::kMean;
    tangent_share.columns.resize(1);
    ratio.statistic = Statistic::kRatioOfMedians;
    ratio.columns.resize(2);
    for (const MinimalSpanImage& im : r.images) {
      ratio.columns[0].push_back(wide ? im.wide_complement_radius : im.complement_radius);
      ratio.columns[1].push_back(im.radius);
      if (im.reached >= 0)
        tangent_share.columns[0].push_back(wide ? im.wide_tangent_share : im.tangent_share);
      else
        ++tangent_share.left_out;
    }
    m.quantities["a.tangent_share." + std::to_string(dims)] = std::move(tangent_share);
    m.quantities["a.tangent_complement_ratio." + std::to_string(dims)] = std::move(ratio);
  }
  return m;
}

MinimalSpanReport minimal_span(const Params& p, const Dataset& train, const Dataset& test,
                               const Subspace& subspace, const MinimalSpanSettings& s) {
  MinimalSpanJob run(p, train, test, subspace, s, Slicing{});
  while (!run.done()) run.step();
  return run.report();
}

}  // namespace bs
