#include "core/robust/radius_search.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace bs {

AttackRadiusSearch::AttackRadiusSearch(float top, float tolerance, float first_guess)
    : top_(top),
      tolerance_(tolerance),
      hi_(top),
      probe_(std::isfinite(first_guess) && first_guess > 0 ? std::min(top, first_guess) : top) {}

void AttackRadiusSearch::report(bool success, float radius) {
  if (success) {
    found_ = true;
    hi_ = std::min(hi_, radius);
  } else {
    lo_ = std::max(lo_, probe_);
  }
  if (!found_ && lo_ >= top_)
    done_ = true;  // not even the largest radius is enough
  else if (found_ && hi_ - lo_ <= tolerance_)
    done_ = true;
  else
    probe_ = found_ ? 0.5f * (lo_ + hi_) : top_;
}

float AttackRadiusSearch::radius() const {
  return found_ ? hi_ : std::numeric_limits<float>::infinity();
}

CertifiedRadiusSearch::CertifiedRadiusSearch(float top, float tolerance, float known_certified, float hint)
    : hi_(top),
      tolerance_(tolerance),
      known_(known_certified),
      hint_(std::isfinite(hint) && hint > known_certified && hint < top ? hint : 0) {
  if (known_ > 0 && known_ < hi_) {  // a radius another method certified: usually certified here too
    phase_ = Phase::kKnown;
    probe_ = known_;
  }
}

void CertifiedRadiusSearch::report(float f) {
  switch (phase_) {
    case Phase::kKnown:
      if (f > 0) {  // certified there: the search starts at it, and eps = 0 need not be probed
        lo_ = known_, flo_ = f;
        upper_probe();
        return;
      }
      hi_ = known_, fhi_ = f;  // not certified there: it is the bracket's upper end
      hi_probed_ = true;
      phase_ = Phase::kZero;
      probe_ = 0;
      return;
    case Phase::kZero:
      if (f <= 0) {  // not even the image itself: misclassified
        done_ = true;
        return;
      }
      flo_ = f;
      if (hi_probed_) {
        phase_ = Phase::kSearch;
        next();
        return;
      }
      upper_probe();
      return;
    case Phase::kTop:
      if (f > 0 && probe_ < hi_) {  // certified at the hint: the search goes on up to top
        lo_ = probe_, flo_ = f;
        hint_ = 0;
        upper_probe();
        return;
      }
      if (f > 0) {  // certified up to the end of the search range
        lo_ = hi_;
        done_ = true;
        return;
      }
      hi_ = probe_;
      fhi_ = f;
      phase_ = Phase::kSearch;
      next();
      return;
    case Phase::kSearch:
      if (f > 0) {
        lo_ = probe_, flo_ = f;
        if (side_ == 1) fhi_ *= 0.5f;
        side_ = 1;
      } else {
        hi_ = probe_, fhi_ = f;
        if (side_ == -1) flo_ *= 0.5f;
        side_ = -1;
      }
      next();
      return;
  }
}

void CertifiedRadiusSearch::upper_probe() {
  phase_ = Phase::kTop;
  probe_ = hint_ > lo_ ? hint_ : hi_;
}

void CertifiedRadiusSearch::next() {
  if (hi_ - lo_ <= tolerance_) {
    done_ = true;
    return;
  }
  float t = lo_ + (hi_ - lo_) * (flo_ / (flo_ - fhi_));
  // A probe this close to an end closes the bracket whichever way it goes (a full tolerance could leave it a
  // rounding error too wide, and cost one more bound).
  const float step = 0.999f * tolerance_;
  t = std::clamp(t, lo_ + step, hi_ - step);
  if (!(t > lo_ && t < hi_)) t = 0.5f * (lo_ + hi_);  // a bracket narrower than 2 tolerances, or a NaN
  probe_ = t;
}

}  // namespace bs
