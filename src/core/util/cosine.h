// The cosine of the angle between two vectors of n floats, accumulated in double; 0 when either is zero (no
// direction to compare).
#pragma once

#include <cmath>

namespace bs {

inline double cosine(const float* a, const float* b, int n) {
  double ab = 0, aa = 0, bb = 0;
  for (int i = 0; i < n; ++i) {
    ab += double(a[i]) * b[i];
    aa += double(a[i]) * a[i];
    bb += double(b[i]) * b[i];
  }
  return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0.0;
}

}  // namespace bs
