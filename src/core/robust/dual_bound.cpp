#include "core/robust/dual_bound.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/robust/sound_sum.h"

namespace bs {
namespace {

// The error of -W^T lambda, entry by entry: gamma(rows + 1) times |W|^T |lambda| (itself computed, so a
// relative 1e-9 more).
void coefficient_error(VecD& err, const MatD& abs_w, const VecD& lambda) {
  err.noalias() = abs_w.transpose() * lambda.cwiseAbs();
  err *= gamma_k(int(abs_w.rows()) + 1) * (1 + 1e-9);
}

}  // namespace

NetworkD::NetworkD(const Params& p) {
  const MatRM* ws[3] = {&p.w1, &p.w2, &p.w3};
  const Vec* bs[3] = {&p.b1, &p.b2, &p.b3};
  for (int k = 0; k < 3; ++k) {
    w[k] = ws[k]->cast<double>();
    abs_w[k] = w[k].cwiseAbs();
    b[k] = bs[k]->cast<double>();
  }
}

InputSet::InputSet(Norm n, const float* px, int size, double e) : norm(n), eps(e) {
  x = Eigen::Map<const Vec>(px, size).cast<double>();
  lo.resize(size);
  hi.resize(size);
  // x - eps may round: each end is moved one step outwards, so the box still contains S.
  for (int i = 0; i < size; ++i) {
    lo[i] = std::max(0.0, std::nextafter(x[i] - eps, -1.0));
    hi[i] = std::min(1.0, std::nextafter(x[i] + eps, 2.0));
  }
}

DualObjective margin_objective(const NetworkD& net, int label, int j) {
  DualObjective o;
  o.depth = 2;
  o.d = net.w[2].row(label).transpose() - net.w[2].row(j).transpose();
  o.d_err = o.d.cwiseAbs() * kUnitRoundoff;  // one rounding each: the difference of two floats
  o.d0 = net.b[2][label] - net.b[2][j];
  o.d0_err = std::fabs(o.d0) * kUnitRoundoff;
  return o;
}

DualObjective neuron_objective(const NetworkD& net, int k, double sign) {
  DualObjective o;
  o.depth = 1;
  o.d = sign * net.w[1].row(k).transpose();  // exact: a float, negated or not
  o.d_err = VecD::Zero(o.d.size());
  o.d0 = sign * net.b[1][k];
  return o;
}

DualBound::DualBound(const NetworkD& net, const InputSet& s) : net_(net), s_(s) {
  x_star_.resize(net.in());
  for (int k = 0; k < 2; ++k) {
    z_star_[k].resize(net.width(k));
    points_[k].resize(net.width(k), 3);
    minimisers_[k].resize(size_t(net.width(k)));
    grad_[k].resize(net.width(k));
    tmp_h_.resize(std::max(net.width(0), net.width(1)));
  }
}

// min over z in [l, u] of c relu(z) + lambda z: piecewise linear, so at an end or at the kink.
void DualBound::evaluate(const NeuronBoxes& boxes, const DualObjective& o, const Multipliers& m) {
  ++evaluations_;
  SoundSum sum;
  sum.add(o.d0, std::fabs(o.d0), 0);
  sum.add_error(o.d0_err);
  coef_[o.depth] = o.d;
  coef_err_[o.depth] = o.d_err;
  for (int k = o.depth; k >= 1; --k) {
    const VecD &lam = m.lambda[k - 1], &l = boxes.l[k - 1], &u = boxes.u[k - 1];
    const VecD &c = coef_[k], &ce = coef_err_[k];
    for (int i = 0; i < lam.size(); ++i) {
      double best = std::numeric_limits<double>::infinity(), mag = 0, f[3];
      const bool kink = l[i] < 0 && u[i] > 0;
      double* pts = &points_[k - 1](i, 0);  // in increasing order: l, (0,) u
      pts[0] = l[i], pts[1] = kink ? 0.0 : u[i], pts[2] = u[i];
      const int count = kink ? 3 : 2;
      for (int t = 0; t < count; ++t) {
        const double z = pts[t], r = std::max(z, 0.0);
        f[t] = c[i] * r + lam[i] * z;
        mag = std::max(mag, std::fabs(c[i] * r) + std::fabs(lam[i] * z));
        best = std::min(best, f[t]);
      }
      int mask = 0;
      for (int t = 0; t < count; ++t) mask |= (f[t] == best) << t;
      if (!kink) mask &= 3;
      minimisers_[k - 1][size_t(i)] = uint8_t(mask | (kink ? 8 : 0));
      sum.add(best, mag, 2);
      sum.add_error(ce[i] * std::max(u[i], 0.0));
      const double bi = net_.b[k - 1][i];
      sum.add(-lam[i] * bi, std::fabs(lam[i] * bi), 1);
    }
    coef_[k - 1].noalias() = -(net_.w[k - 1].transpose() * lam);
    if (sound_) {
      coefficient_error(coef_err_[k - 1], net_.abs_w[k - 1], lam);
    } else {
      coef_err_[k - 1].setZero(coef_[k - 1].size());
    }
  }
  input_term(coef_[0], sum);
  for (int i = 0; i < net_.in(); ++i)
    sum.add_error(coef_err_[0][i] * std::max(std::fabs(s_.lo[i]), std::fabs(s_.hi[i])));
  bound_ = sum.lower();
  value_ = sum.value();
  // The supergradient: each dualised equation's residual z_k - W_k h_(k-1) - b_k at a minimiser. Where a
  // neuron's term has several minimisers (a flat piece, as every stable neuron has under CROWN's
  // multipliers) the one closest to the value the layer below gives is taken, so that the residual, and the
  // step, is as small as the term allows.
  for (int k = 1; k <= o.depth; ++k) {
    VecD& g = grad_[k - 1];
    if (k == 1) {
      g.noalias() = net_.w[0] * x_star_ + net_.b[0];
    } else {
      tmp_h_.head(net_.width(0)) = z_star_[0].cwiseMax(0.0);
      g.noalias() = net_.w[1] * tmp_h_.head(net_.width(0)) + net_.b[1];
    }
    for (int i = 0; i < g.size(); ++i) z_star_[k - 1][i] = closest_minimiser(k - 1, i, g[i]);
    g = z_star_[k - 1] - g;
  }
}

double DualBound::closest_minimiser(int layer, int i, double target) const {
  const double* pts = &points_[layer](i, 0);
  const int mask = minimisers_[layer][size_t(i)];
  const int count = mask & 8 ? 3 : 2;
  double best = pts[0], gap = std::numeric_limits<double>::infinity();
  for (int t = 0; t < count; ++t) {
    if (!(mask >> t & 1)) continue;
    // A minimiser and the next one: the piece between them is flat, so every point of it minimises.
    const double hi = t + 1 < count && (mask >> (t + 1) & 1) ? pts[t + 1] : pts[t];
    const double z = std::clamp(target, pts[t], hi);
    if (std::fabs(z - target) < gap) gap = std::fabs(z - target), best = z;
  }
  return best;
}

double DualBound::linear_bound(const VecD& c, double c0) {
  SoundSum sum;
  sum.add(c0, std::fabs(c0), 0);
  input_term(c, sum);
  return sum.lower();
}

void DualBound::input_term(const VecD& c, SoundSum& sum) {
  if (s_.norm == Norm::kL2 && s_.eps > 0) {
    l2_input_term(c, sum);
    return;
  }
  // A box: each pixel at the end its coefficient prefers. One dot product, whose rounding is at most
  // gamma(n) times the sum of the products' magnitudes.
  if (s_.eps <= 0) {
    x_star_ = s_.x;
  } else {
    x_star_ = (c.array() > 0).select(s_.lo, (c.array() < 0).select(s_.hi, s_.x));
  }
  sum.add(c.dot(x_star_), c.cwiseProduct(x_star_).cwiseAbs().sum(), net_.in() + 1);
}

// min over S of c . x' for L2. For any mu >= 0, min over the box of c.x' + mu (||x' - x||^2 - eps^2) is
// below it (the added term is <= 0 on S) and separates per pixel; mu is chosen so the box minimiser lies on
// the sphere (bisection on log mu), which makes the bound the exact minimum. Each pixel's minimum is taken
// at the clipped stationary point when that is safely outside the box (then an end is the minimum), else as
// the unconstrained minimum c x - c^2 / (4 mu), which is below it in any case: a rounding of the stationary
// point can never make the bound too high.
void DualBound::l2_input_term(const VecD& c, SoundSum& sum) {
  const int n = net_.in();
  const double eps2 = s_.eps * s_.eps;
  auto stationary = [&](double mu, int i) { return s_.x[i] - c[i] / (2 * mu); };
  auto dist2 = [&](double mu) {
    double d = 0;
    for (int i = 0; i < n; ++i) {
      const double t = mu > 0 ? std::clamp(stationary(mu, i), s_.lo[i], s_.hi[i])
                              : (c[i] > 0   ? s_.lo[i]
                                 : c[i] < 0 ? s_.hi[i]
                                            : s_.x[i]);
      d += (t - s_.x[i]) * (t - s_.x[i]);
    }
    return d;
  };
  double mu = 0;
  if (dist2(0) > eps2) {  // the box's minimiser lies outside the ball: the sphere constrains
    double hi = c.norm() / (2 * s_.eps), lo = hi * 1e-12;
    if (hi > 0) {
      for (int it = 0; it < 60; ++it) {
        const double mid = std::sqrt(lo * hi);
        (dist2(mid) > eps2 ? lo : hi) = mid;
      }
      mu = hi;
    }
  }
  for (int i = 0; i < n; ++i) {
    const double ci = c[i], xi = s_.x[i], l = s_.lo[i], h = s_.hi[i];
    if (mu <= 0) {
      const double t = ci > 0 ? l : ci < 0 ? h : xi;
      x_star_[i] = t;
      sum.add(ci * t, std::fabs(ci * t), 1);
      continue;
    }
    const double t0 = stationary(mu, i);
    const double slack = 1e-12 * (std::fabs(xi) + std::fabs(ci / (2 * mu)) + 1);
    x_star_[i] = std::clamp(t0, l, h);
    if (t0 < l - slack || t0 > h + slack) {
      const double t = t0 < l ? l : h;
      const double q = ci * t + mu * (t - xi) * (t - xi);
      sum.add(q, std::fabs(ci * t) + mu * (t - xi) * (t - xi), 5);
    } else {
      const double q = ci * xi - ci * ci / (4 * mu);
      sum.add(q, std::fabs(ci * xi) + ci * ci / (4 * mu), 6);
    }
  }
  if (mu > 0) sum.add(-mu * eps2, mu * eps2, 3);
}

Slopes initial_slopes(const NeuronBoxes& b) {
  Slopes a;
  for (int k = 0; k < 2; ++k) {
    a.alpha[k] = (b.u[k].array() > -b.l[k].array()).cast<double>();
    a.beta[k] = VecD::Zero(b.l[k].size());
  }
  return a;
}

// lambda_k = -c_k * slope, c_k the coefficient on relu(z_k): the lower line's slope alpha where c_k >= 0 (any
// alpha in [0, 1] gives a line below the ReLU), the chord's where c_k < 0, and 1 or 0 for a stable neuron.
// A neuron that a split made stable (a box end at exactly 0) also carries its split's constraint, z >= 0 or
// z <= 0, with a multiplier beta >= 0 (beta-CROWN, Wang et al. 2021): lambda = -c + beta or -beta, whose
// term is then min of beta z over [0, u], or of -beta z over [l, 0]: 0 either way.
Multipliers DualBound::multipliers(const NeuronBoxes& boxes, const DualObjective& o, const Slopes& a) {
  Multipliers m;
  VecD c = o.d;
  for (int k = o.depth; k >= 1; --k) {
    const VecD &l = boxes.l[k - 1], &u = boxes.u[k - 1];
    VecD& lam = m.lambda[k - 1];
    lam.resize(l.size());
    slope_[k - 1].resize(l.size());
    free_[k - 1].assign(size_t(l.size()), 0);
    for (int i = 0; i < l.size(); ++i) {
      double s, beta = 0;
      if (u[i] <= 0) {
        s = 0;
        if (u[i] == 0 && l[i] < 0) beta = -a.beta[k - 1][i], free_[k - 1][size_t(i)] = kSplitOff;
      } else if (l[i] >= 0) {
        s = 1;
        if (l[i] == 0) beta = a.beta[k - 1][i], free_[k - 1][size_t(i)] = kSplitOn;
      } else if (c[i] >= 0) {
        s = a.alpha[k - 1][i];
        free_[k - 1][size_t(i)] = kSlope;
      } else {
        s = u[i] / (u[i] - l[i]);
      }
      slope_[k - 1][i] = s;
      lam[i] = -c[i] * s + beta;
    }
    c_in_[k - 1] = c;
    if (k > 1) c = -(net_.w[k - 1].transpose() * lam);  // layer 1's (on the input) is evaluate()'s
  }
  return m;
}

Multipliers DualBound::crown_multipliers(const NeuronBoxes& boxes, const DualObjective& o) {
  return multipliers(boxes, o, initial_slopes(boxes));
}

// Projected Adam on the free slopes (alpha-CROWN, Xu et al. 2021). The gradient is the chain rule through
// lambda(alpha): d L / d lambda_2 gathers layer 1's supergradient through lambda_1 = -c_1 s_1, with
// c_1 = -W_2^T lambda_2 (the slopes' own switch between lower line and chord is not differentiated).
double DualBound::optimize(const NeuronBoxes& boxes, const DualObjective& o, Slopes& a, int iterations) {
  // The steps compare plain values (no rounding allowance: one matrix product less per step); the best's
  // sound bound is computed at the end.
  sound_ = false;
  Multipliers m = multipliers(boxes, o, a);
  evaluate(boxes, o, m);
  double best = value_;
  best_slopes_ = a;
  const double b1 = 0.9, b2 = 0.999, lr = 0.1;
  double beta_scale[2];
  for (int k = 0; k < o.depth; ++k) {
    beta_scale[k] = c_in_[k].cwiseAbs().mean() + 1e-12;
    moment1_[k] = VecD::Zero(a.alpha[k].size());
    moment2_[k] = VecD::Zero(a.alpha[k].size());
  }
  for (int it = 1; it <= iterations; ++it) {
    // d L / d lambda_k, total: layer 2's gathers layer 1's through lambda_1 = -c_1 s_1 (+ beta).
    dlambda_[0] = grad_[0];
    if (o.depth == 2) dlambda_[1] = grad_[1] + net_.w[1] * slope_[0].cwiseProduct(grad_[0]);
    const double c1 = 1 - std::pow(b1, it), c2 = 1 - std::pow(b2, it), rate = lr * std::pow(0.98, it);
    for (int k = 0; k < o.depth; ++k) {
      for (int i = 0; i < a.alpha[k].size(); ++i) {
        const uint8_t kind = free_[k][size_t(i)];
        if (!kind) continue;
        // d lambda / d parameter: -c for a slope, +1 for an on-split's beta, -1 for an off-split's.
        const double g = dlambda_[k][i] * (kind == kSlope ? -c_in_[k][i] : kind == kSplitOn ? 1.0 : -1.0);
        moment1_[k][i] = b1 * moment1_[k][i] + (1 - b1) * g;
        moment2_[k][i] = b2 * moment2_[k][i] + (1 - b2) * g * g;
        const double step = (moment1_[k][i] / c1) / (std::sqrt(moment2_[k][i] / c2) + 1e-12);
        if (kind == kSlope) {
          a.alpha[k][i] = std::clamp(a.alpha[k][i] + rate * step, 0.0, 1.0);
        } else {  // beta's scale is the coefficients'
          a.beta[k][i] = std::max(0.0, a.beta[k][i] + rate * beta_scale[k] * step);
        }
      }
    }
    m = multipliers(boxes, o, a);
    evaluate(boxes, o, m);
    if (value_ > best) {
      best = value_;
      best_slopes_ = a;
    }
  }
  a = best_slopes_;
  sound_ = true;
  evaluate(boxes, o, multipliers(boxes, o, a));  // so that bound(), x_star() and gradient() are the best's
  return bound_;
}

}  // namespace bs
