// A sound lower bound on the network over a set of inputs, from the Lagrangian dual of its equations.
//
// The quantity bounded is an objective o = d . relu(z_D) + d0 on hidden layer D (1 or 2): the margin
// z_y - z_j is d = W3_y - W3_j on layer 2, and a layer-2 neuron's pre-activation is d = W2_k on layer 1. The
// network's equations z_k = W_k h_(k-1) + b_k (h_0 = x', h_k = relu(z_k)) are each multiplied by a free
// vector lambda_k and added to o, which changes nothing where they hold. What remains separates into one
// small minimisation per neuron and one over the inputs:
//
//   L(lambda) = sum over layers k <= D of  sum_i min over z in [l_ki, u_ki] of ( c_ki relu(z) + lambda_ki z )
//             + min over x' in S of ( c_0 . x' )
//             + d0 - sum_k lambda_k . b_k,          with c_D = d and c_(k-1) = -W_k^T lambda_k.
//
// For every lambda, L is at most the smallest objective over S and the neuron boxes (weak duality), so no
// choice of lambda can make it unsound; the best lambda gives the bound of the LP that relaxes each ReLU to
// its triangle (the "planet" relaxation). CROWN is one particular lambda (crown_multipliers), and ascent on
// L's supergradient improves it, as alpha-CROWN's slope optimisation does. A branch-and-bound split of a
// neuron is a box [0, u] or [l, 0]: the same formula, tighter (what beta-CROWN adds to CROWN by
// multipliers). Each per-neuron minimum is exact (the ends of the box and 0), the one over the inputs too
// (a box for L-infinity; for L2 the ball within the box, through the ball's own multiplier mu), and every
// rounding is counted (SoundSum): bound() is a proof about the real-number network with these weights.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "core/nn/params.h"
#include "core/robust/norm.h"

namespace bs {

using MatD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using VecD = Eigen::VectorXd;

// The network's float weights, exactly, in double; and their absolute values for the error bounds.
struct NetworkD {
  explicit NetworkD(const Params& p);
  MatD w[3], abs_w[3];
  VecD b[3];
  int in() const { return int(w[0].cols()); }
  int width(int layer) const { return int(w[layer].rows()); }  // layer 0: h1, 1: h2, 2: out
};

// S = {x' : ||x' - x|| <= eps} ∩ [0, 1]^n. lo/hi: the box that contains S (for L-infinity S is that box).
struct InputSet {
  InputSet(Norm norm, const float* x, int n, double eps);
  Norm norm;
  VecD x, lo, hi;
  double eps;
};

// Pre-activation boxes of the two hidden layers, each containing every value the neuron takes over the
// domain (S, and any split made by branch and bound).
struct NeuronBoxes {
  VecD l[2], u[2];
  bool unstable(int layer, int i) const { return l[layer][i] < 0 && u[layer][i] > 0; }
};

struct DualObjective {
  int depth = 2;  // the hidden layer whose ReLU outputs d weighs: 1 or 2
  VecD d, d_err;  // d_err: a bound on |d - exact d|, per entry
  double d0 = 0, d0_err = 0;
};

// The objective d = W3_y - W3_j, d0 = b3_y - b3_j (the margin of label y over class j).
DualObjective margin_objective(const NetworkD& net, int label, int j);
// Neuron k of layer 2's pre-activation (sign +1), or its negation (sign -1, for an upper bound).
DualObjective neuron_objective(const NetworkD& net, int k, double sign);

struct Multipliers {
  VecD lambda[2];  // lambda[0] on z1; lambda[1] on z2 (unused at depth 1)
};

// The lower lines' slopes, in [0, 1], one per neuron of each hidden layer (used where the neuron is unstable
// and its coefficient positive): alpha-CROWN's parameters.
struct Slopes {
  VecD alpha[2];
  VecD beta[2];  // >= 0: the multipliers of the splits' constraints (beta-CROWN), per neuron
};
Slopes initial_slopes(const NeuronBoxes& b);  // CROWN's: 1 where u > -l, else 0

class DualBound {
 public:
  DualBound(const NetworkD& net, const InputSet& s);
  // Evaluates L at `m`: the sound bound, the plain value, a supergradient and the minimising input.
  void evaluate(const NeuronBoxes& boxes, const DualObjective& o, const Multipliers& m);
  double bound() const { return bound_; }  // <= the exact minimum of the objective over the domain
  double value() const { return value_; }  // L itself, without the rounding allowance
  const VecD& gradient(int layer) const { return grad_[layer]; }
  const VecD& x_star() const { return x_star_; }
  const VecD& coefficient(int layer) const {
    return coef_[layer];
  }  // on relu(z_layer), layer 1 or 2  // the input minimising the Lagrangian: a candidate point
  // CROWN's multipliers for these boxes: each ReLU replaced by its lower line (slope 1 or 0, whichever is
  // closer) where its coefficient is positive and by the chord where negative.
  Multipliers crown_multipliers(const NeuronBoxes& boxes, const DualObjective& o);
  // The multipliers of the lower lines with slopes `a` (where a neuron's coefficient is positive).
  Multipliers multipliers(const NeuronBoxes& boxes, const DualObjective& o, const Slopes& a);
  // `iterations` steps of projected Adam on the slopes from `a`; keeps (in a) and returns the best sound
  // bound seen, and leaves bound(), x_star() and gradient() at it.
  double optimize(const NeuronBoxes& boxes, const DualObjective& o, Slopes& a, int iterations);
  int evaluations() const { return evaluations_; }
  // A sound lower bound of c . x' + c0 over S, for exact c and c0 (a layer-1 pre-activation: c a row of W1).
  double linear_bound(const VecD& c, double c0);

 private:
  double closest_minimiser(int layer, int i, double target) const;
  void input_term(const VecD& c, class SoundSum& sum);  // min over S of c . x', exact c
  void l2_input_term(const VecD& c, SoundSum& sum);

  const NetworkD& net_;
  const InputSet& s_;
  VecD coef_[3], coef_err_[3], z_star_[2], grad_[2], x_star_, tmp_h_;
  MatD points_[2];                      // each neuron's candidate minimisers: l, (0,) u
  std::vector<uint8_t> minimisers_[2];  // which of them attain the minimum (bit t), bit 3: three candidates
  Slopes best_slopes_;
  enum : uint8_t { kFixed = 0, kSlope = 1, kSplitOn = 2, kSplitOff = 3 };  // what a neuron's parameter is
  VecD slope_[2], c_in_[2], dlambda_[2], moment1_[2], moment2_[2];
  std::vector<uint8_t> free_[2];
  double bound_ = 0, value_ = 0;
  bool sound_ = true;  // false inside optimize()'s steps: bound_ is then not computed
  int evaluations_ = 0;
};

}  // namespace bs
