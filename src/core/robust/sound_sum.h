// A sum of double-precision terms that also bounds its own rounding error, so that a bound computed with it
// is a proof about real numbers (the network's float weights read exactly), not about one rounding of them.
//
// The model (Higham, "Accuracy and Stability of Numerical Algorithms", ch. 3): with round-to-nearest and
// unit roundoff u = 2^-53, a value computed by k operations from exact inputs differs from the exact value by
// at most gamma(k) = k u / (1 - k u) times the same computation done on absolute values; a sum of N computed
// terms, in any order, adds at most gamma(N - 1) times the sum of their absolute values. Products of the
// magnitudes met here (float weights and pixels, and multipliers built from them) stay far above double's
// underflow threshold; each term still adds 2^-1074 to cover one. No fast-math flag is used anywhere in
// the core, so the compiler does not reassociate (fused multiply-adds only remove roundings).
#pragma once

#include <cmath>

namespace bs {

constexpr double kUnitRoundoff = 1.1102230246251565e-16;  // 2^-53

inline double gamma_k(int k) {
  const double ku = double(k) * kUnitRoundoff;
  return ku / (1.0 - ku);
}

class SoundSum {
 public:
  // A term `value` computed by `ops` roundings whose exact counterpart on absolute values is at most
  // `magnitude`; a term known to be exact has ops = 0.
  void add(double value, double magnitude, int ops) {
    value_ += value;
    abs_ += std::fabs(value);
    error_ += gamma_k(ops) * magnitude;
    ++terms_;
  }
  // An amount the exact result may lie below the computed one (known errors of inexact coefficients).
  void add_error(double e) { error_ += e; }
  double value() const { return value_; }
  // A number no larger than the exact sum of the exact terms. The error sums are themselves computed in
  // double and so may read low by gamma(terms); 1e-9 relative covers that with a wide margin.
  double lower() const { return value_ - (error_ + gamma_k(terms_) * abs_) * (1 + 1e-9) - terms_ * 5e-324; }

 private:
  double value_ = 0, abs_ = 0, error_ = 0;
  int terms_ = 0;
};

}  // namespace bs
