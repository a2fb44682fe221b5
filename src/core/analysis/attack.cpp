#include "core/analysis/attack.h"

#include <algorithm>
#include <cmath>

namespace bs {

std::vector<float> unit_pattern(const float* pattern, int n) {
  float mx = 0;
  for (int i = 0; i < n; ++i) mx = std::max(mx, std::fabs(pattern[i]));
  std::vector<float> u(pattern, pattern + n);
  if (mx > 0) {
    for (float& v : u) v /= mx;
  }
  return u;
}

void overlay(float* out, const float* x, const float* unit, float alpha, bool clip, int n) {
  for (int i = 0; i < n; ++i) {
    float v = x[i] + alpha * unit[i];
    out[i] = clip ? std::min(1.0f, std::max(0.0f, v)) : v;
  }
}

PerturbationSize perturbation_size(const float* blend, const float* x, int n) {
  PerturbationSize r;
  double l2 = 0;
  for (int i = 0; i < n; ++i) {
    const float d = blend[i] - x[i];
    l2 += double(d) * d;
    r.linf = std::max(r.linf, std::fabs(d));
  }
  r.l2 = float(std::sqrt(l2));
  r.rms = n > 0 ? float(std::sqrt(l2 / n)) : 0.0f;
  return r;
}

int predict_overlay(const Params& p, Workspace& ws, const float* x, const float* unit, float alpha, bool clip,
                    float* probs) {
  const int n = int(ws.x.rows());
  overlay(ws.x.col(0).data(), x, unit, alpha, clip, n);
  return predict_column0(p, ws, probs);
}

FlipResult find_flip(const Params& p, Workspace& ws, const float* x, const float* unit, int target,
                     const OverlaySettings& s) {
  const int n = int(ws.x.rows());
  std::vector<float> probs(size_t(ws.probs.rows()));
  FlipResult r;
  r.source_prediction = predict_overlay(p, ws, x, unit, 0.0f, s.clip, probs.data());
  r.source_confidence = probs[size_t(r.source_prediction)];
  auto flips = [&](float alpha) {
    return predict_overlay(p, ws, x, unit, alpha, s.clip, probs.data()) == target;
  };
  float lo = 0, hi = -1;
  if (r.source_prediction == target) {
    hi = 0;
  } else {
    for (int k = 1; k <= s.scan_steps; ++k) {
      float alpha = s.alpha_max * float(k) / float(s.scan_steps);
      if (flips(alpha)) {
        hi = alpha;
        break;
      }
      lo = alpha;
    }
  }
  if (hi < 0) return r;
  // Invariant: prediction at lo is not the target, at hi it is.
  while (hi - lo > s.tolerance && hi > 0) {
    float mid = 0.5f * (lo + hi);
    (flips(mid) ? hi : lo) = mid;
  }
  r.flipped = true;
  r.alpha = hi;
  predict_overlay(p, ws, x, unit, hi, s.clip, probs.data());
  r.target_confidence = probs[size_t(target)];
  const PerturbationSize size = perturbation_size(ws.x.col(0).data(), x, n);
  r.l2 = size.l2;
  r.linf = size.linf;
  return r;
}

}  // namespace bs

namespace bs {

Expected<size_t> next_correct(const Params& p, const Dataset& data, int digit, size_t from, int step) {
  const size_t n = data.size();
  if (n == 0) return Error{"no images have arrived yet"};
  Workspace ws(p.arch(), 1);
  std::vector<float> x(kPixels), probs(size_t(p.arch().out));
  for (size_t k = 1; k <= n; ++k) {
    size_t i = step >= 0 ? (from + k) % n : (from + n - k % n) % n;
    if (data.label(i) != digit) continue;
    data.image_floats(i, x.data());
    if (predict_one(p, ws, x.data(), probs.data()) == digit) return i;
  }
  return Error{"no image of digit " + std::to_string(digit) + " is classified correctly by this model"};
}

Expected<size_t> first_correct(const Params& p, const Dataset& data, int digit) {
  // Starting "after" the last image makes index 0 the first one looked at.
  return next_correct(p, data, digit, data.size() ? data.size() - 1 : 0, +1);
}

FlipRate flip_rate(const Params& p, const Dataset& data, int digit, int target, const float* unit,
                   float alpha, bool clip) {
  Workspace ws(p.arch(), 1);
  std::vector<float> x(kPixels), probs(size_t(p.arch().out));
  FlipRate r;
  for (size_t i = 0; i < data.size(); ++i) {
    if (data.label(i) != digit) continue;
    data.image_floats(i, x.data());
    if (predict_overlay(p, ws, x.data(), unit, 0.0f, clip, probs.data()) != digit) continue;
    ++r.count;
    if (predict_overlay(p, ws, x.data(), unit, alpha, clip, probs.data()) == target) ++r.flipped;
  }
  return r;
}

}  // namespace bs
