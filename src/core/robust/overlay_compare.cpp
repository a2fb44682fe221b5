#include "core/robust/overlay_compare.h"

#include <algorithm>
#include <cmath>

#include "core/analysis/attack.h"
#include "core/analysis/effective.h"
#include "core/robust/minimal_radius.h"
#include "core/robust/pgd.h"

namespace bs {
namespace {

float median(std::vector<float> v) {
  if (v.empty()) return std::nanf("");
  std::nth_element(v.begin(), v.begin() + long((v.size() - 1) / 2), v.end());
  return v[(v.size() - 1) / 2];
}

}  // namespace

OverlayComparison compare_overlay(const Params& p, const Dataset& data, const RobustnessReport& report,
                                  const RobustnessSettings& s, int digit, int target) {
  OverlayComparison c;
  c.digit = digit;
  c.target = target;
  std::vector<int> rows;
  for (size_t i = 0; i < report.images.size(); ++i)
    if (report.images[i].label == digit) rows.push_back(int(i));
  c.images = int(rows.size());
  if (rows.empty()) return c;

  Mat x(kPixels, long(rows.size()));
  std::vector<Goal> goals;
  for (size_t k = 0; k < rows.size(); ++k) {
    const ImageRobustness& r = report.images[size_t(rows[k])];
    data.image_floats(r.index, x.col(long(k)).data());
    goals.push_back({digit, target, r.index});
  }
  const AttackRun targeted = minimal_radius_pgd(p, x, goals, s);

  const EffectiveWeights eff = effective_weights(p);
  const Vec pattern = eff.layer[2].row(target).transpose();
  const std::vector<float> unit = unit_pattern(pattern.data(), kPixels);
  Workspace ws(p.arch(), 1);
  std::vector<float> overlay, targeted_r, best, ratio;
  for (size_t k = 0; k < rows.size(); ++k) {
    targeted_r.push_back(targeted.radius[k]);
    best.push_back(report.images[size_t(rows[k])].best);
    const FlipResult f = find_flip(p, ws, x.col(long(k)).data(), unit.data(), target, OverlaySettings{});
    if (!f.flipped) continue;
    ++c.flipped;
    const float size = s.norm == Norm::kLinf ? f.linf : f.l2;
    overlay.push_back(size);
    if (std::isfinite(targeted.radius[k]) && targeted.radius[k] > 0)
      ratio.push_back(size / targeted.radius[k]);
  }
  c.median_overlay = median(overlay);
  c.median_targeted = median(targeted_r);
  c.median_best = median(best);
  c.median_ratio = median(ratio);
  return c;
}

}  // namespace bs
