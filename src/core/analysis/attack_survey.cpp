#include "core/analysis/attack_survey.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/analysis/attack.h"
#include "core/analysis/effective.h"
#include "core/util/rng.h"

namespace bs {

const char* direction_name(Direction d) {
  switch (d) {
    case Direction::kFull:
      return "full";
    case Direction::kOffSpan:
      return "off-span";
    case Direction::kInSpan:
      return "in-span";
    case Direction::kFgsm:
      return "fgsm";
    case Direction::kRandom:
      return "random";
  }
  return "?";
}

Expected<Direction> parse_direction(const std::string& name) {
  for (int d = 0; d < kDirectionCount; ++d) {
    if (name == direction_name(Direction(d))) return Direction(d);
  }
  return Error{"unknown direction '" + name + "': use full, off-span, in-span, fgsm or random"};
}

FixedDirections fixed_directions(const Params& p, const Subspace& s, int k, int target) {
  EffectiveWeights eff = effective_weights(p);
  const float* full = eff.pattern(NeuronId{3, target});
  std::vector<float> in(kPixels), off(kPixels);
  split_span(s, k, full, in.data(), off.data());
  FixedDirections f;
  f.d[0] = unit_pattern(full, kPixels);
  f.d[1] = unit_pattern(off.data(), kPixels);
  f.d[2] = unit_pattern(in.data(), kPixels);
  double l2 = 0;
  for (float v : f.d[0]) l2 += double(v) * v;
  f.full_l2 = float(std::sqrt(l2));
  return f;
}

AttackScanner::AttackScanner(const Params& p, const AttackSetup& setup)
    : p_(p), setup_(setup), ws_(p.arch(), setup.grid + 1), probs_(size_t(p.arch().out)) {}

void AttackScanner::direction(Direction d, const FixedDirections& fixed, const float* x, size_t image,
                              int draw, float* dir) {
  switch (d) {
    case Direction::kFull:
    case Direction::kOffSpan:
    case Direction::kInSpan:
      std::copy(fixed.d[size_t(d)].begin(), fixed.d[size_t(d)].end(), dir);
      return;
    case Direction::kFgsm: {
      // Gradient of the loss for the *target* label: stepping against it makes the target likelier.
      std::copy(x, x + kPixels, ws_.x.col(0).data());
      const uint8_t label = uint8_t(setup_.target);
      forward(p_, ws_, 1, &label);
      backward(p_, ws_, 1, &label, /*input_grad=*/true);
      for (int i = 0; i < kPixels; ++i) {
        const float g = ws_.dx(i, 0);
        dir[i] = g > 0 ? -1.0f : g < 0 ? 1.0f : 0.0f;
      }
      return;
    }
    case Direction::kRandom: {
      // normal_portable(): the page and the CLI draw the same noise.
      Pcg32 rng(setup_.seed + image, uint64_t(draw));
      double l2 = 0;
      for (int i = 0; i < kPixels; ++i) {
        float v = rng.normal_portable();
        dir[i] = v;
        l2 += double(v) * v;
      }
      const float scale = l2 > 0 ? float(double(fixed.full_l2) / std::sqrt(l2)) : 0.0f;
      for (int i = 0; i < kPixels; ++i) dir[i] *= scale;
      return;
    }
  }
}

int AttackScanner::predict(const float* x, const float* dir, float alpha, float* confidence) {
  int c = predict_overlay(p_, ws_, x, dir, alpha, setup_.clip, probs_.data());
  if (confidence) *confidence = probs_[size_t(setup_.target)];
  return c;
}

FlipPoint AttackScanner::scan(const float* x, const float* dir, uint8_t* preds) {
  const int g_count = setup_.grid + 1;
  auto alpha_at = [&](int g) { return setup_.alpha_max * float(g) / float(setup_.grid); };
  for (int g = 0; g < g_count; ++g) overlay(ws_.x.col(g).data(), x, dir, alpha_at(g), setup_.clip, kPixels);
  forward(p_, ws_, g_count, nullptr);
  int first = -1;
  for (int g = 0; g < g_count; ++g) {
    Eigen::Index c = 0;
    ws_.logits.col(g).maxCoeff(&c);
    preds[g] = uint8_t(c);
    if (first < 0 && c == setup_.target) first = g;
  }
  FlipPoint f;
  if (first < 0) return f;
  float lo = first > 0 ? alpha_at(first - 1) : 0.0f, hi = alpha_at(first);
  while (first > 0 && hi - lo > setup_.tolerance) {
    const float mid = 0.5f * (lo + hi);
    (predict(x, dir, mid, nullptr) == setup_.target ? hi : lo) = mid;
  }
  f.flipped = true;
  f.alpha = hi;
  predict(x, dir, hi, &f.target_confidence);
  const PerturbationSize size = perturbation_size(ws_.x.col(0).data(), x, kPixels);
  f.l2 = size.l2;
  f.linf = size.linf;
  f.rms = size.rms;
  return f;
}

ImageAttack attack_image(const Params& p, const FixedDirections& fixed, const AttackSetup& setup,
                         const float* x, size_t image) {
  AttackScanner sc(p, setup);
  ImageAttack r;
  std::vector<float> probs(size_t(p.arch().out));
  Workspace ws(p.arch(), 1);
  r.prediction = predict_one(p, ws, x, probs.data());
  r.confidence = probs[size_t(r.prediction)];
  std::vector<float> dir(kPixels);
  std::vector<uint8_t> preds(size_t(setup.grid + 1));
  for (int d = 0; d < kDirectionCount; ++d) {
    const int draws = Direction(d) == Direction::kRandom ? setup.random_draws : 1;
    FlipPoint sum;
    int flips = 0;
    for (int r_i = 0; r_i < draws; ++r_i) {
      sc.direction(Direction(d), fixed, x, image, r_i, dir.data());
      if (r_i == 0) r.direction[size_t(d)] = dir;
      FlipPoint f = sc.scan(x, dir.data(), preds.data());
      if (!f.flipped) continue;
      ++flips;
      sum.alpha += f.alpha, sum.target_confidence += f.target_confidence;
      sum.l2 += f.l2, sum.linf += f.linf, sum.rms += f.rms;
    }
    FlipPoint& out = r.at[size_t(d)];
    r.flip_share[size_t(d)] = float(flips) / float(draws);
    if (flips > 0) {
      const float n = float(flips);
      out = FlipPoint{2 * flips > draws || draws == 1,
                      sum.alpha / n,
                      sum.target_confidence / n,
                      sum.l2 / n,
                      sum.linf / n,
                      sum.rms / n};
    }
  }
  return r;
}

double AttackSurvey::rate_at(Direction d, float alpha) const {
  const auto& r = rate[size_t(d)];
  if (r.empty()) return 0;
  int g = int(std::lround(double(alpha) / double(setup.alpha_max) * setup.grid));
  return r[size_t(std::clamp(g, 0, int(r.size()) - 1))];
}

double AttackSurvey::median_flip_alpha(Direction d) const {
  std::vector<float> v = flip_alpha[size_t(d)];
  if (v.empty()) return std::numeric_limits<double>::infinity();
  auto mid = v.begin() + std::ptrdiff_t(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return double(*mid);
}

void AttackSurveyBuilder::begin(const Params& p, const Subspace& s, const Dataset& data,
                                const AttackSetup& setup) {
  p_ = p;
  data_ = &data;
  next_ = 0;
  fixed_ = fixed_directions(p_, s, setup.k, setup.target);
  scanner_ = std::make_unique<AttackScanner>(p_, setup);
  s_ = AttackSurvey{};
  s_.setup = setup;
  for (int g = 0; g <= setup.grid; ++g) s_.alphas.push_back(setup.alpha_max * float(g) / float(setup.grid));
  for (int d = 0; d < kDirectionCount; ++d) {
    hits_[size_t(d)].assign(size_t(setup.grid + 1), 0);
    trials_[size_t(d)] = 0;
  }
  x_.resize(kPixels);
  dir_.resize(kPixels);
  preds_.resize(size_t(setup.grid + 1));
}

bool AttackSurveyBuilder::step(int images) {
  if (!data_) return true;
  const AttackSetup& st = s_.setup;
  const size_t end = std::min(data_->size(), next_ + size_t(std::max(images, 0)));
  for (; next_ < end; ++next_) {
    if (data_->label(next_) != st.source) continue;
    data_->image_floats(next_, x_.data());
    // Only images the model gets right are attacked: the grid's alpha = 0 column says so.
    scanner_->direction(Direction::kFull, fixed_, x_.data(), next_, 0, dir_.data());
    FlipPoint f0 = scanner_->scan(x_.data(), dir_.data(), preds_.data());
    if (preds_[0] != st.source) continue;
    ++s_.images;
    for (int d = 0; d < kDirectionCount; ++d) {
      const int draws = Direction(d) == Direction::kRandom ? st.random_draws : 1;
      for (int r = 0; r < draws; ++r) {
        FlipPoint f = f0;  // the full direction's scan is the one just done; preds_ still holds it
        if (d != 0) {
          scanner_->direction(Direction(d), fixed_, x_.data(), next_, r, dir_.data());
          f = scanner_->scan(x_.data(), dir_.data(), preds_.data());
        }
        ++trials_[size_t(d)];
        for (int g = 0; g <= st.grid; ++g) hits_[size_t(d)][size_t(g)] += preds_[size_t(g)] == st.target;
        s_.flip_alpha[size_t(d)].push_back(f.flipped ? f.alpha : std::numeric_limits<float>::infinity());
        if (f.flipped) {
          s_.mean_l2[size_t(d)] += f.l2;
          s_.mean_linf[size_t(d)] += f.linf;
          s_.mean_rms[size_t(d)] += f.rms;
          s_.mean_confidence[size_t(d)] += f.target_confidence;
        }
      }
    }
  }
  return next_ >= data_->size();
}

AttackSurvey AttackSurveyBuilder::take() {
  for (int d = 0; d < kDirectionCount; ++d) {
    const size_t dd = size_t(d);
    s_.rate[dd].resize(hits_[dd].size());
    for (size_t g = 0; g < hits_[dd].size(); ++g) {
      s_.rate[dd][g] = trials_[dd] ? double(hits_[dd][g]) / double(trials_[dd]) : 0.0;
    }
    long long flips = 0;
    for (float a : s_.flip_alpha[dd]) flips += std::isfinite(a);
    if (flips) {
      s_.mean_l2[dd] /= double(flips), s_.mean_linf[dd] /= double(flips);
      s_.mean_rms[dd] /= double(flips), s_.mean_confidence[dd] /= double(flips);
    }
  }
  data_ = nullptr;
  scanner_.reset();
  return std::move(s_);
}

AttackSurvey attack_survey(const Params& p, const Subspace& s, const Dataset& data,
                           const AttackSetup& setup) {
  AttackSurveyBuilder b;
  b.begin(p, s, data, setup);
  while (!b.step(1 << 30)) {
  }
  return b.take();
}

std::string flip_rate_csv(const AttackSurvey& sv) {
  std::string text = "alpha";
  for (int d = 0; d < kDirectionCount; ++d) text += std::string(",") + direction_name(Direction(d));
  text += "\n";
  char buf[32];
  for (size_t g = 0; g < sv.alphas.size(); ++g) {
    std::snprintf(buf, sizeof buf, "%.6g", double(sv.alphas[g]));
    text += buf;
    for (int d = 0; d < kDirectionCount; ++d) {
      std::snprintf(buf, sizeof buf, ",%.6g", sv.rate[size_t(d)][g]);
      text += buf;
    }
    text += "\n";
  }
  return text;
}

}  // namespace bs
