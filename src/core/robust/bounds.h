// Certified bounds: over every input in S = {x' : ||x' - x|| <= eps} ∩ [0, 1]^n, lower bounds on the margins
// z_y - z_j (j != y). When all of them are positive, no point of S changes the prediction: the label is
// certified at eps, and the largest such eps is a lower bound on the image's minimal adversarial
// perturbation.
//
// IBP (interval bound propagation, Gowal et al. 2018): each neuron gets an interval, pushed through the
// layers. CROWN (Zhang et al. 2018): each ReLU whose input interval straddles 0 is replaced by two lines
// enclosing it (upper: the chord from (l, 0) to (u, u); lower: slope 1 if u > -l, else 0), and a bound is
// carried backwards as one linear function of the input, which is then bounded over S exactly (L-infinity) or
// by the better of the ball's and the box's bounds (L2). The second layer's intervals come from the same
// backward pass through one ReLU layer, intersected with IBP's, for the neurons IBP leaves unstable (a stable
// neuron's relaxation is exact whatever its bounds); under L2 those use the ball alone, whose bound needs
// only W1 W1^T, not the 784-wide product. Both methods are sound up to float rounding.
#pragma once

#include <vector>

#include "core/nn/params.h"
#include "core/robust/norm.h"

namespace bs {

enum class BoundMethod { kIbp, kCrown };
const char* bound_name(BoundMethod m);  // "ibp", "crown"

struct NetworkBounds {
  Vec l1, u1, l2, u2;  // pre-activation intervals of the hidden layers
  Vec margin;          // (out): lower bound of z_y - z_j; +inf at j = y
  bool certified() const { return margin.minCoeff() > 0; }
};

class BoundComputer {
 public:
  explicit BoundComputer(const Params& p);
  // Bounds for image x (in floats, in [0, 1]) with label y over S(x, eps).
  const NetworkBounds& compute(const float* x, int label, Norm norm, float eps, BoundMethod method);
  int evaluations() const { return evaluations_; }  // compute() calls so far
  int inputs() const { return int(p_.w1.cols()); }

 private:
  struct Relaxation {
    Vec lower_slope, upper_slope, upper_intercept;
  };
  void relax(Relaxation& r, const Vec& l, const Vec& u);
  // For rows of `lam` (coefficients on a ReLU layer's outputs) picks each neuron's lower or upper line so the
  // rows become lower bounds in terms of the layer's inputs; the lines' intercepts go into `constant`.
  static void through_relu(Eigen::Ref<MatRM> lam, Eigen::Ref<Vec> constant, const Relaxation& r);
  // Lower bound of each row of a * x' over S, for a (rows, in) row-major. L-infinity goes through the SIMD
  // kernels and overwrites `a` with |a| (the callers' scratch); L2 bounds by the ball and by the box.
  void linear_lower(float* a, int rows, Eigen::Ref<Vec> lo);
  void layer1_range();
  void gather_live_rows();
  void times_w1(float* out, const MatRM& lam, int rows);
  void crown_layer2();

  const Params& p_;
  const float* x_ = nullptr;
  Norm norm_ = Norm::kLinf;
  float eps_ = 0;
  Vec box_lo_, box_hi_, center_, radius_;
  Relaxation relax1_, relax2_;
  MatRM lam2_, a2_, lam3_, lam3b_, a3_;
  MatRM gram_;                             // W1 W1^T: the squared L2 norm of lam W1's rows is lam gram lam^T
  MatRM abs_w1_;                           // |W1|, for layer 1's L-infinity range
  Vec w1_norm_, w1_neg_sum_, w1_pos_sum_;  // per row of W1: L2 norm, sum of negatives, sum of positives
  Vec zero_, ac_, ar_;                     // a zero bias and the kernels' outputs
  MatRM lam_gram_;
  Vec w1x_;  // W1 x
  Vec const2_, const3_, lo2_, lo3_;
  std::vector<int> unstable_;
  std::vector<int> live_;  // layer-1 neurons not off everywhere in S: the unstable ones, then the active ones
  int live_unstable_ = 0;  // how many of live_ are unstable
  MatRM w1_live_;          // their rows of W1, in that order
  MatRM lam_live_;         // scratch: coefficient rows restricted to them, packed
  NetworkBounds b_;
  int evaluations_ = 0;
};

// The largest eps (to `tolerance`) at which `method` certifies the label, searched over the whole image space
// (CertifiedRadiusSearch). `hint` is typically an attack's radius: probed early, it saves probes, but it
// never caps the search, so an unsound bound shows as a certified radius above the attack's. Returns 0 when
// not even eps = 0 is certified (the image is misclassified).
float certified_radius(BoundComputer& bc, const float* x, int label, Norm norm, BoundMethod method,
                       float tolerance, float known_certified = 0, float hint = 0);

}  // namespace bs
