// Complete verification of one image: does any input in S = {x' : ||x' - x|| <= eps} ∩ [0, 1]^n change the
// network's class? Branch and bound over the unstable ReLUs, each node bounded by the sound Lagrangian dual
// (dual_bound.h) with its multipliers optimised and the split neurons' boxes cut at 0; an attack at the root
// and each node's minimising input as candidates. With enough time the answer is exact either way: a node
// whose bound is positive holds no counterexample, and a node with every ReLU split is one linear piece,
// where the optimised dual meets the linear program's minimum.
//
// robust: proved (every rounding counted). attackable: an input of S, stored as floats, on which the
// network computed in double gives some class a logit above the label's by more than kCounterexampleMargin.
// unknown: the budget ran out first.
#pragma once

#include <vector>

#include "core/nn/params.h"
#include "core/robust/dual_bound.h"
#include "core/robust/norm.h"

namespace bs {

enum class VerifyStatus { kRobust, kAttackable, kUnknown };
const char* verify_status_name(VerifyStatus s);  // "robust", "attackable", "unknown"

// How far a counterexample's winning logit must exceed the label's, computed in double: a thousand times
// double's rounding of this network's logits (about 1e-13), so the verdict is not a rounding. (The float
// network, rounding at about 1e-6, may still call a point this close to the boundary a tie.)
constexpr double kCounterexampleMargin = 1e-10;

struct VerifySettings {
  double budget_seconds = 30;  // per question (one image at one eps)
  long max_nodes = 1000000;
  int root_iterations = 100;  // ascent steps on each target's root bound
  int node_iterations = 20;   // per branch-and-bound node (warm-started from its parent)
  int box_iterations = 0;     // ascent on the root's layer-2 boxes (0: CROWN's multipliers, exact per neuron)
  bool tighten_boxes = true;  // after a layer-1 split, bound layer 2's unstable neurons again
  int branch_candidates = 16;  // neurons whose children are bounded before one is split (1: by gain alone)
  int local_steps = 30;        // descent from each node's minimising input, in double
  int attack_steps = 50;       // PGD at the root
  int attack_restarts = 2;
  uint64_t seed = 1;
};

struct VerifyResult {
  VerifyStatus status = VerifyStatus::kUnknown;
  double seconds = 0;
  long nodes = 0;                      // branch-and-bound nodes bounded (roots included)
  int target = -1;                     // attackable: the class the counterexample reaches
  std::vector<float> counterexample;   // attackable: the input, in S
  double counterexample_distance = 0;  // its distance from x, in double
};

class Verifier {
 public:
  explicit Verifier(const Params& p);
  VerifyResult verify(const float* x, int label, Norm norm, float eps, const VerifySettings& s);
  const NetworkD& network() const { return net_; }

 private:
  const Params& p_;
  NetworkD net_;
};

// The network in double: the largest logit's class other than `label` and its lead over the label's logit
// (positive: misclassified).
struct DoubleVerdict {
  int rival = -1;
  double lead = 0;
};
DoubleVerdict double_verdict(const NetworkD& net, const VecD& x, int label);

// The exact minimal radius of one image, to `tolerance`: bisection with verify() between a certified radius
// and an attack's, each end moved only by a proof (robust) or a counterexample (its distance). Without an
// attack point (attack = +inf), the whole image space is verified first. A probe that ends unknown is
// followed by one nearer the certified end; the bracket stays open when the budget is spent or four probes in
// a row ended unknown.
struct ExactRadius {
  double certified = 0;  // proved: no input this close changes the class
  double attack = 0;     // a counterexample at this distance (+inf if none found)
  bool closed = false;   // attack - certified <= tolerance
  int probes = 0;
  long nodes = 0;
  double seconds = 0;
  std::vector<float> counterexample;
};
ExactRadius exact_radius(Verifier& v, const float* x, int label, Norm norm, float certified, float attack,
                         const std::vector<float>& attack_point, float tolerance, double budget_seconds,
                         const VerifySettings& s);

}  // namespace bs
