// The median of a list of values, as the trial and the CLI report it: the upper middle element for an even
// count (a value that occurred, not an average), +inf counted as the largest, NaN for an empty list.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

namespace bs {

inline double median(std::vector<double> v) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace bs
