#include "core/robust/verifier.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <queue>

#include "core/robust/neuron_boxes.h"
#include "core/robust/pgd.h"

namespace bs {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

double norm_distance(Norm norm, const VecD& a, const VecD& b) {
  return norm == Norm::kLinf ? (a - b).cwiseAbs().maxCoeff() : (a - b).norm();
}

// A point of S as floats: each coordinate rounded towards x's (a float), so that no coordinate's offset
// grows and the point stays as close in either norm; the whole is first moved towards x until inside S in
// double, should rounding have put it a hair outside. False if that fails.
bool floats_in_s(const InputSet& s, const VecD& point, std::vector<float>& out, VecD& as_double) {
  const int n = int(s.x.size());
  out.resize(size_t(n));
  as_double.resize(n);
  double shrink = 1;
  for (int attempt = 0; attempt < 8; ++attempt) {
    for (int i = 0; i < n; ++i) {
      const double want = std::clamp(s.x[i] + shrink * (point[i] - s.x[i]), 0.0, 1.0);
      float f = float(want);
      if (std::fabs(double(f) - s.x[i]) > std::fabs(want - s.x[i])) f = std::nextafter(f, float(s.x[i]));
      out[size_t(i)] = f;
      as_double[i] = double(f);
    }
    const double d = norm_distance(s.norm, as_double, s.x);
    if (d <= s.eps) return true;
    shrink *= (s.eps / d) * (1 - 1e-12 * double(1 << (2 * attempt)));
  }
  return false;
}

struct Node {
  NeuronBoxes boxes;
  Slopes a;
  double bound;
};

struct ByBound {
  bool operator()(const Node& a, const Node& b) const { return a.bound > b.bound; }  // smallest first
};

// The gain a split of neuron i (on layer `layer`, coefficient c on its ReLU, multiplier lam) would bring to
// its own term of the dual, the children keeping the parent's multipliers.
double split_gain(double l, double u, double c, double lam) {
  auto term = [&](double a, double b) {
    double best = std::numeric_limits<double>::infinity();
    for (double z : {a, b, 0.0})
      if (z >= a && z <= b) best = std::min(best, c * std::max(z, 0.0) + lam * z);
    return best;
  };
  const double gain = std::min(term(l, 0), term(0, u)) - term(l, u);
  return gain + 1e-9 * std::fabs(c) * (-l * u / (u - l));  // ties: the widest triangle
}

class Search {
 public:
  Search(const Verifier& v, const InputSet& s, int label, const VerifySettings& settings,
         Clock::time_point start, VerifyResult& r)
      : net_(v.network()), s_(s), label_(label), set_(settings), start_(start), r_(r), dual_(net_, s) {}

  bool out_of_budget() const { return since(start_) > set_.budget_seconds || r_.nodes >= set_.max_nodes; }

  // A candidate input: true (and the result set) if it is a counterexample.
  bool try_point(const VecD& point) {
    std::vector<float> f;
    VecD d;
    if (!floats_in_s(s_, point, f, d)) return false;
    const DoubleVerdict v = double_verdict(net_, d, label_);
    if (v.lead <= kCounterexampleMargin) return false;
    r_.status = VerifyStatus::kAttackable;
    r_.target = v.rival;
    r_.counterexample = std::move(f);
    r_.counterexample_distance = norm_distance(s_.norm, d, s_.x);
    return true;
  }

  // Steepest descent on the margin over class j from `start` (a node's minimising input), in double,
  // projected into S: the node's bound says a counterexample may lie near, and its minimiser of the
  // relaxation is often just outside the region where it would be one.
  bool local_attack(const VecD& start, int j) {
    VecD p = start;
    project_into_s(p);
    double step = s_.norm == Norm::kLinf ? 0.25 * s_.eps : 0.1 * s_.eps;
    const VecD d = net_.w[2].row(label_).transpose() - net_.w[2].row(j).transpose();
    for (int t = 0; t < set_.local_steps; ++t) {
      const VecD z1 = net_.w[0] * p + net_.b[0];
      const VecD z2 = net_.w[1] * z1.cwiseMax(0.0) + net_.b[1];
      const VecD g2 = (z2.array() > 0).select(d, 0.0);
      const VecD g1 = (z1.array() > 0).select(net_.w[1].transpose() * g2, 0.0);
      const VecD gx = net_.w[0].transpose() * g1;
      if (s_.norm == Norm::kLinf) {
        p -= step * gx.cwiseSign();
      } else {
        const double n = gx.norm();
        if (n == 0) break;
        p -= (step / n) * gx;
      }
      project_into_s(p);
      if (try_point(p)) return true;
      step *= 0.75;
    }
    return false;
  }

  void project_into_s(VecD& p) const {
    if (s_.norm == Norm::kL2) {
      const double d = (p - s_.x).norm();
      if (d > s_.eps) p = s_.x + (s_.eps / d) * (p - s_.x);
    }
    p = p.cwiseMax(s_.lo).cwiseMin(s_.hi);
  }

  bool try_node(int j) { return try_point(dual_.x_star()) || local_attack(dual_.x_star(), j); }

  // Everything for one rival class j. Returns kRobust, kAttackable (result set) or kUnknown.
  VerifyStatus prove(const NeuronBoxes& root, int j) {
    const DualObjective o = margin_objective(net_, label_, j);
    Node first{root, initial_slopes(root), 0};
    first.bound = dual_.optimize(first.boxes, o, first.a, set_.root_iterations);
    ++r_.nodes;
    if (first.bound > 0) return VerifyStatus::kRobust;
    if (try_node(j)) return VerifyStatus::kAttackable;
    std::priority_queue<Node, std::vector<Node>, ByBound> open;
    open.push(std::move(first));
    bool undecided = false;
    while (!open.empty()) {
      if (out_of_budget()) return VerifyStatus::kUnknown;
      Node node = open.top();
      open.pop();
      const Multipliers m = dual_.multipliers(node.boxes, o, node.a);
      dual_.evaluate(node.boxes, o, m);  // the coefficients, for the choice of neuron
      // The few neurons whose split promises most for their own term, then among them the one whose worse
      // child is bounded highest with the parent's slopes (filtered smart branching, De Palma et al. 2021).
      candidates_.clear();
      for (int k = 0; k < 2; ++k)
        for (int i = 0; i < node.boxes.l[k].size(); ++i) {
          if (!node.boxes.unstable(k, i)) continue;
          const double g =
              split_gain(node.boxes.l[k][i], node.boxes.u[k][i], dual_.coefficient(k + 1)[i], m.lambda[k][i]);
          candidates_.push_back({g, k, i});
        }
      const size_t keep = std::min<size_t>(candidates_.size(), size_t(set_.branch_candidates));
      std::partial_sort(candidates_.begin(), candidates_.begin() + long(keep), candidates_.end(),
                        [](const Candidate& a, const Candidate& b) { return a.gain > b.gain; });
      int layer = -1, neuron = -1;
      double best = -std::numeric_limits<double>::infinity();
      for (size_t c = 0; c < keep; ++c) {
        const Candidate& cand = candidates_[c];
        double worse = std::numeric_limits<double>::infinity();
        for (int side = 0; side < 2 && keep > 1; ++side) {
          scratch_ = node.boxes;
          (side == 0 ? scratch_.u[cand.layer][cand.neuron] : scratch_.l[cand.layer][cand.neuron]) = 0;
          dual_.evaluate(scratch_, o, dual_.multipliers(scratch_, o, node.a));
          worse = std::min(worse, dual_.value());
        }
        if (worse > best) best = worse, layer = cand.layer, neuron = cand.neuron;
      }
      if (layer < 0) {  // one linear piece: only a longer ascent can still decide it
        const double b = dual_.optimize(node.boxes, o, node.a, 10 * set_.node_iterations);
        ++r_.nodes;
        if (b > 0) continue;
        if (try_node(j)) return VerifyStatus::kAttackable;
        undecided = true;
        continue;
      }
      for (int side = 0; side < 2; ++side) {
        Node child{node.boxes, node.a, 0};
        (side == 0 ? child.boxes.u[layer][neuron] : child.boxes.l[layer][neuron]) = 0;
        if (layer == 0 && set_.tighten_boxes) tighten_layer2(net_, dual_, child.boxes, 0);
        if (empty(child.boxes)) continue;  // the splits contradict each other: no input reaches here
        child.bound = dual_.optimize(child.boxes, o, child.a, set_.node_iterations);
        ++r_.nodes;
        if (child.bound > 0) continue;
        if (try_node(j)) return VerifyStatus::kAttackable;
        open.push(std::move(child));
      }
    }
    return undecided ? VerifyStatus::kUnknown : VerifyStatus::kRobust;
  }

  NeuronBoxes root_boxes_now() { return root_boxes(net_, dual_, set_.box_iterations); }

 private:
  static bool empty(const NeuronBoxes& b) {
    for (int k = 0; k < 2; ++k)
      if ((b.l[k].array() > b.u[k].array()).any()) return true;
    return false;
  }

  struct Candidate {
    double gain;
    int layer, neuron;
  };
  std::vector<Candidate> candidates_;
  NeuronBoxes scratch_;
  const NetworkD& net_;
  const InputSet& s_;
  int label_;
  const VerifySettings& set_;
  Clock::time_point start_;
  VerifyResult& r_;
  DualBound dual_;
};

}  // namespace

const char* verify_status_name(VerifyStatus s) {
  switch (s) {
    case VerifyStatus::kRobust:
      return "robust";
    case VerifyStatus::kAttackable:
      return "attackable";
    case VerifyStatus::kUnknown:
      return "unknown";
  }
  return "unknown";
}

DoubleVerdict double_verdict(const NetworkD& net, const VecD& x, int label) {
  const VecD h1 = (net.w[0] * x + net.b[0]).cwiseMax(0.0);
  const VecD h2 = (net.w[1] * h1 + net.b[1]).cwiseMax(0.0);
  const VecD z = net.w[2] * h2 + net.b[2];
  DoubleVerdict v;
  for (int j = 0; j < z.size(); ++j)
    if (j != label && (v.rival < 0 || z[j] > z[v.rival])) v.rival = j;
  v.lead = z[v.rival] - z[label];
  return v;
}

Verifier::Verifier(const Params& p) : p_(p), net_(p) {}

VerifyResult Verifier::verify(const float* x, int label, Norm norm, float eps, const VerifySettings& s) {
  const auto start = Clock::now();
  VerifyResult r;
  const int n = net_.in();
  const InputSet set(norm, x, n, double(eps));
  Search search(*this, set, label, s, start, r);
  // The image itself first (a misclassified image needs no search), then an attack: most non-robust
  // questions end here, before any bound is computed.
  bool found = search.try_point(set.x);
  if (!found && s.attack_steps > 0 && eps > 0) {
    PgdSettings pgd;
    pgd.norm = norm;
    pgd.steps = s.attack_steps;
    pgd.restarts = s.attack_restarts;
    pgd.seed = s.seed;
    const Mat xs = Eigen::Map<const Vec>(x, n);
    const AttackRun run = pgd_attack(p_, xs, {Goal{label, -1, 0}}, {eps}, pgd);
    if (run.success[0]) found = search.try_point(run.adversarial.col(0).cast<double>());
  }
  if (!found) {
    const NeuronBoxes root = search.root_boxes_now();
    VerifyStatus all = VerifyStatus::kRobust;
    for (int j = 0; j < net_.width(2) && all != VerifyStatus::kAttackable; ++j) {
      if (j == label) continue;
      const VerifyStatus st = search.prove(root, j);
      if (st != VerifyStatus::kRobust) all = st;
      if (st == VerifyStatus::kUnknown && search.out_of_budget()) break;
    }
    r.status = all;
  }
  r.seconds = since(start);
  return r;
}

ExactRadius exact_radius(Verifier& v, const float* x, int label, Norm norm, float certified, float attack,
                         const std::vector<float>& attack_point, float tolerance, double budget_seconds,
                         const VerifySettings& s) {
  const auto start = Clock::now();
  ExactRadius e;
  e.certified = certified;
  e.attack = std::numeric_limits<double>::infinity();
  const int n = v.network().in();
  const VecD x0 = Eigen::Map<const Vec>(x, n).cast<double>();
  // The attack's point counts only if the network in double agrees that it is misclassified.
  if (std::isfinite(attack) && int(attack_point.size()) == n) {
    const VecD a = Eigen::Map<const Vec>(attack_point.data(), n).cast<double>();
    if (double_verdict(v.network(), a, label).lead > kCounterexampleMargin) {
      e.attack = norm_distance(norm, a, x0);
      e.counterexample = attack_point;
    }
  }
  // No attack point that holds in double: the attack's radius is asked first, then the whole image space.
  bool proved = false;  // the certified end by this verifier
  for (const float top : {std::isfinite(attack) && attack > 0 ? attack : 0.0f, max_radius(norm, n)}) {
    if (std::isfinite(e.attack) || top <= 0 || top <= e.certified) continue;
    VerifySettings whole = s;
    whole.budget_seconds = std::max(0.0, budget_seconds - since(start));
    const VerifyResult r = v.verify(x, label, norm, top, whole);
    ++e.probes;
    e.nodes += r.nodes;
    if (r.status == VerifyStatus::kRobust) e.certified = top, proved = true;
    if (r.status == VerifyStatus::kAttackable) {
      e.attack = r.counterexample_distance;
      e.counterexample = r.counterexample;
    }
    if (r.status == VerifyStatus::kUnknown) break;
  }
  if (!std::isfinite(e.attack) && e.certified >= max_radius(norm, n))
    e.attack = e.certified;  // nothing to find
  // The certified end must be proved here too: a float bound's radius is only a starting guess.
  if (!proved && e.certified > 0 && e.certified < e.attack) {
    VerifySettings root = s;
    root.budget_seconds = std::max(0.0, budget_seconds - since(start));
    const VerifyResult r = v.verify(x, label, norm, float(e.certified), root);
    ++e.probes;
    e.nodes += r.nodes;
    if (r.status != VerifyStatus::kRobust) e.certified = 0;
  }
  // Bisection, except that a probe left unknown is followed by one nearer the certified end (proofs get
  // cheaper below the exact radius), so an undecidable middle still narrows the bracket; each probe may spend
  // half of what is left.
  double f = 0.5;
  while (std::isfinite(e.attack) && e.attack - e.certified > tolerance && f >= 1.0 / 16) {
    const double left = budget_seconds - since(start);
    if (left <= 0) break;
    VerifySettings probe = s;
    probe.budget_seconds = 0.5 * left;
    const double p = e.certified + f * (e.attack - e.certified);
    const VerifyResult r = v.verify(x, label, norm, float(p), probe);
    ++e.probes;
    e.nodes += r.nodes;
    if (r.status == VerifyStatus::kRobust) {
      e.certified = double(float(p));
    } else if (r.status == VerifyStatus::kAttackable) {
      e.attack = std::min(e.attack, r.counterexample_distance);
      e.counterexample = r.counterexample;
    } else {
      f *= 0.5;
    }
  }
  e.closed = std::isfinite(e.attack) && e.attack - e.certified <= tolerance;
  e.seconds = since(start);
  return e;
}

}  // namespace bs
