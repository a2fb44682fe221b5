// The thresholds are stated in the predictions' own words, so a reader can check the verdict against the
// numbers beside it.
#include "core/trial/verdicts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/util/median.h"

namespace bs {
namespace {

std::string format(const char* fmt, double a, double b = 0, double c = 0, double d = 0) {
  char buf[256];
  std::snprintf(buf, sizeof buf, fmt, a, b, c, d);
  return buf;
}

Agreement of(bool agrees) {
  return agrees ? Agreement::kAgrees : Agreement::kDisagrees;
}
Agreement of(CellVerdict v) {
  switch (v) {
    case CellVerdict::kSilent:
      return Agreement::kSilent;
    case CellVerdict::kAgrees:
      return Agreement::kAgrees;
    case CellVerdict::kDisagrees:
      return Agreement::kDisagrees;
    case CellVerdict::kMixed:
      return Agreement::kMixed;
    case CellVerdict::kUndecided:
      return Agreement::kUndecided;
    case CellVerdict::kNotRunAsDesigned:
      return Agreement::kNotRunAsDesigned;
  }
  return Agreement::kPending;
}
// Two checks: both, one or neither hold.
Agreement of(bool first, bool second) {
  return first && second ? Agreement::kAgrees : first || second ? Agreement::kMixed : Agreement::kDisagrees;
}

const DirectionTransfer& direction(const std::vector<DirectionTransfer>& v, const char* name) {
  for (const DirectionTransfer& d : v)
    if (d.name == name) return d;
  return v.front();
}
// B flips at least half as often as A.
bool carries_over(const DirectionTransfer& d) {
  return d.on_a > 0 && d.on_b >= 0.5 * d.on_a;
}

}  // namespace

const char* explanation_name(Explanation e) {
  const char* names[] = {"offSpan", "linearity", "features", "tilting"};
  return names[size_t(e)];
}
const char* explanation_title(Explanation e) {
  const char* titles[] = {"Off-span leftovers", "Linearity", "Non-robust features", "Boundary tilting"};
  return titles[size_t(e)];
}
const char* agreement_name(Agreement a) {
  const char* names[] = {"silent",  "agrees",    "mixed",           "disagrees",
                         "pending", "undecided", "notRunAsDesigned"};
  return names[size_t(a)];
}

std::vector<Verdict> span_verdicts(const MinimalSpanReport* r) {
  std::vector<Verdict> v = {
      {Explanation::kOffSpan,
       "Most of each minimal perturbation lies outside the top k directions (share under 50 %), and an "
       "attack "
       "kept out of the image's tangent space is about as strong as the free one (radius within 1.25x)."},
      {Explanation::kLinearity,
       "The radius follows from the gradient at the image alone: the margin over the gradient's length, "
       "within 25 %."},
      {Explanation::kFeatures,
       "Minimal perturbations lie largely in the top k directions (share over 50 %, far above a random "
       "direction's)."},
      {Explanation::kTilting, "Says nothing about where the perturbation's energy lies.", Agreement::kSilent},
  };
  if (!r) return v;
  std::vector<double> ratio, over_linear;
  for (const MinimalSpanImage& im : r->images) {
    if (std::isfinite(im.radius) && im.radius > 0) ratio.push_back(double(im.complement_radius) / im.radius);
    if (std::isfinite(im.radius) && im.linear_radius > 0) over_linear.push_back(im.radius / im.linear_radius);
  }
  const double top = r->mean_shares.top_k, rnd = r->random_shares.top_k;
  const double comp = median(ratio), lin = median(over_linear);
  v[0].measured = format(
      "%.1f %% in the top k (a random direction: %.1f %%); kept out of the tangent space, "
      "radius %.2fx the free one",
      100 * top, 100 * rnd, comp);
  v[0].agreement = of(top < 0.5, comp <= 1.25);
  v[1].measured = format("radius over the linear estimate: median %.2f", lin);
  v[1].agreement = of(lin >= 0.8 && lin <= 1.25);
  v[2].measured = format("%.1f %% in the top k, %.1fx a random direction's share", 100 * top, top / rnd);
  v[2].agreement = of(top > 0.5);
  return v;
}

std::vector<Verdict> transfer_verdicts(const TransferReport* r) {
  std::vector<Verdict> v = {
      {Explanation::kOffSpan,
       "The off-span part of A's pattern (A's own random leftovers) does little to B: B flips under half as "
       "often as A."},
      {Explanation::kLinearity,
       "A's gradient sign (FGSM) fools B too, as both are nearly linear in the same data: B flips at least "
       "half as often as A."},
      {Explanation::kFeatures,
       "The in-span part and the minimal PGD perturbation carry over: B flips at least half as often as A, "
       "for both."},
      {Explanation::kTilting, "Makes no claim about two seeds.", Agreement::kSilent},
  };
  if (!r || r->directions.size() != 5) return v;
  const DirectionTransfer &off = direction(r->directions, "off_span"),
                          &in = direction(r->directions, "in_span"), &pgd = direction(r->directions, "pgd"),
                          &fgsm = direction(r->directions, "fgsm");
  v[0].measured = format("off-span part: %.1f %% of A's 7s, %.1f %% of B's", 100 * off.on_a, 100 * off.on_b);
  v[0].agreement = of(off.on_b < 0.5 * off.on_a);
  v[1].measured = format("FGSM: %.1f %% on A, %.1f %% on B", 100 * fgsm.on_a, 100 * fgsm.on_b);
  v[1].agreement = of(carries_over(fgsm));
  v[2].measured = format("in-span: %.1f %% on A, %.1f %% on B; 1.5x minimal PGD: %.1f %% on A, %.1f %% on B",
                         100 * in.on_a, 100 * in.on_b, 100 * pgd.on_a, 100 * pgd.on_b);
  v[2].agreement = of(carries_over(in), carries_over(pgd));
  return v;
}

std::vector<Verdict> thin_verdicts(const std::vector<ThinBookRun>* runs, bool done) {
  std::vector<Verdict> v = {
      {Explanation::kOffSpan,
       "W1's off-span part stays at its initial value; the attack kept off the span gets cheaper as that "
       "leftover grows (init x1 below init x0.25), and it is the cheaper of the two attacks."},
      {Explanation::kLinearity, "Makes no claim about the span.", Agreement::kSilent},
      {Explanation::kFeatures, "Whatever the leftover, the attack kept in the span is the cheaper one."},
      {Explanation::kTilting, "Makes no claim about the initial scale.", Agreement::kSilent},
  };
  if (!runs || !done) return v;
  double change = 0;
  int shrink = 0, pairs = 0, off_cheaper = 0, in_cheaper = 0, thin = 0;
  for (const ThinBookRun& r : *runs) {
    change = std::max(change, r.off_change);
    if (r.d >= kPixels) continue;
    ++thin;
    in_cheaper += r.radius_in < r.radius_off;
    if (r.init_scale == 1.0f) off_cheaper += r.radius_off < r.radius_in;
    for (const ThinBookRun& small : *runs)
      if (small.d == r.d && small.init_scale < r.init_scale) {
        ++pairs;
        shrink += r.radius_off < small.radius_off;
      }
  }
  const int init_one = thin / 2;
  v[0].measured = format(
                      "off-span change at most %.1g of the total; off-span radius smaller at init x1 in %.0f "
                      "of %.0f d; off-span attack cheaper in %.0f",
                      change, shrink, pairs, off_cheaper) +
                  format(" of %.0f models at init x1", init_one);
  const int held =
      (change < 1e-3) + (pairs > 0 && shrink == pairs) + (init_one > 0 && off_cheaper * 2 > init_one);
  v[0].agreement = held == 3 ? Agreement::kAgrees : held == 0 ? Agreement::kDisagrees : Agreement::kMixed;
  v[2].measured =
      format("the in-span attack is the cheaper in %.0f of %.0f models (d < 784)", in_cheaper, thin);
  v[2].agreement = thin > 0 && in_cheaper == thin ? Agreement::kAgrees
                   : in_cheaper * 2 > thin        ? Agreement::kMixed
                                                  : Agreement::kDisagrees;
  return v;
}

std::vector<Verdict> optimizer_verdicts(const OptimizersReport* r) {
  std::vector<Verdict> v = {
      {Explanation::kOffSpan,
       "The optimizer that moves the off-span weights more (Adam) leaves the model with the smaller minimal "
       "radius."},
      {Explanation::kLinearity, "Makes no claim about the optimizer.", Agreement::kSilent},
      {Explanation::kFeatures,
       "Minimal PGD perturbations carry over between the two, as they learned the same data: the other model "
       "flips at least half as often, both ways."},
      {Explanation::kTilting, "Makes no claim about the optimizer.", Agreement::kSilent},
  };
  if (!r || r->sgd_to_adam.size() != 5 || r->adam_to_sgd.size() != 5) return v;
  const OptimizerRun& more = r->adam.off_drift > r->sgd.off_drift ? r->adam : r->sgd;
  const OptimizerRun& less = &more == &r->adam ? r->sgd : r->adam;
  v[0].measured = format("off-span drift: SGD %.3f, Adam %.3f; median radius: SGD %.3f, Adam %.3f",
                         r->sgd.off_drift, r->adam.off_drift, r->sgd.median_radius, r->adam.median_radius);
  v[0].agreement = of(more.median_radius < less.median_radius);
  const DirectionTransfer &sa = direction(r->sgd_to_adam, "pgd"), &as = direction(r->adam_to_sgd, "pgd");
  v[2].measured = format(
      "1.5x minimal PGD: SGD's %.1f %% on SGD, %.1f %% on Adam; Adam's %.1f %% on Adam, %.1f %% "
      "on SGD",
      100 * sa.on_a, 100 * sa.on_b, 100 * as.on_a, 100 * as.on_b);
  v[2].agreement = of(carries_over(sa), carries_over(as));
  return v;
}

std::vector<Verdict> feature_verdicts(const FeaturesReport* r) {
  std::vector<Verdict> v = {
      {Explanation::kOffSpan,
       "Pushes kept off the span carry nothing a fresh model can learn: trained on them alone it stays under "
       "20 % on the real test set (D_det and D_rand)."},
      {Explanation::kLinearity, "Makes no claim about what the perturbations contain.", Agreement::kSilent},
      {Explanation::kFeatures,
       "Free pushes carry real patterns of their target class: a fresh model trained on them alone scores "
       "over 20 % on the real test set (D_det and D_rand)."},
      {Explanation::kTilting, "Makes no claim about what the perturbations contain.", Agreement::kSilent},
  };
  if (!r || r->variants.size() != size_t(kPushSets)) return v;
  auto set = [&](const std::string& name) -> const FeaturesVariant& {
    for (const FeaturesVariant& x : r->variants)
      if (x.name == name) return x;
    return r->variants.front();
  };
  // One model per set: each accuracy is a rate over the test images (Clopper-Pearson), and each pushed set's
  // target rate is its manipulation check.
  std::vector<std::string> failed;
  for (const ManipulationCheck& c : manipulation_checks()) {
    if (std::string(c.experiment) != "e") continue;
    const std::string name = std::string(c.quantity).substr(std::string("e.target_rate_on_a.").size());
    if (!check_holds(c, {set(name).target_rate})) failed.push_back(c.id);
  }
  std::vector<RuleOutcome> off, features;
  for (const Rule& rule : trial_rules()) {
    if (std::string(rule.experiment) != "e") continue;
    const FeaturesVariant& x =
        set(std::string(rule.quantity).substr(std::string("e.clean_accuracy.").size()));
    const uint64_t n = x.test_images, hits = uint64_t(std::llround(x.clean_test_accuracy * double(n)));
    const RuleOutcome o = read_rule(rule, clopper_pearson(hits, n), failed);
    (std::string(rule.account) == "offSpan" ? off : features).push_back(o);
  }
  auto accuracy = [&](const std::string& name) {
    const FeaturesVariant& x = set(name);
    return name + format(" %.1f %% (A read the target in %.1f %% of %.0f)", 100 * x.clean_test_accuracy,
                         100 * x.target_rate, double(x.attempted));
  };
  const std::string controls =
      format("; no push: %.1f %% and %.1f %%; this model's pushes only",
             100 * set("control_det").clean_test_accuracy, 100 * set("control_rand").clean_test_accuracy);
  v[0].measured = accuracy("det_off_span") + ", " + accuracy("rand_off_span") + controls;
  v[0].agreement = of(summarise_cell(off));
  v[2].measured = accuracy("det") + ", " + accuracy("rand") + controls;
  v[2].agreement = of(summarise_cell(features));
  return v;
}

namespace {

// "1.23 [1.10, 1.40]": a rule's estimate and interval.
std::string estimate(const TrialReading& r, const char* quantity, const char* fmt) {
  for (const RuleReading& x : r.rules) {
    if (std::string(x.outcome.rule->quantity) != quantity || !x.measured) continue;
    const Interval& in = x.outcome.interval;
    if (!in.defined) return format(fmt, in.estimate) + " [no interval]";
    return format(fmt, in.estimate) + " [" + format(fmt, in.lo) + ", " + format(fmt, in.hi) + "]";
  }
  return "not measured";
}

}  // namespace

std::vector<Verdict> tilt_verdicts(const TiltReport* r, uint64_t seed) {
  std::vector<Verdict> v = {
      {Explanation::kOffSpan,
       "Decay shrinks the leftovers: at decay 1e-2 the minimal radius grows (ratio over 1) and the minimal "
       "perturbation moves into the span (its top-k share rises)."},
      {Explanation::kLinearity, "Makes no claim about weight decay.", Agreement::kSilent},
      {Explanation::kFeatures,
       "Decay does not remove the data's patterns: the radius grows by less than a quarter (ratio under "
       "1.25) "
       "and the minimal perturbation stays in the span (top-k share over 50 %)."},
      {Explanation::kTilting,
       "Decay tilts the boundary back: the margin's gradient turns towards the direction between the class "
       "means (the angle falls) and the radius grows (ratio over 1)."},
  };
  if (!r) return v;
  const SeedMeasures m = tilt_measures(*r, seed);
  if (m.quantities.empty()) return v;  // no model with the judged decay
  const TrialReading reading = read_experiment({m}, "f");
  std::string failed;
  for (const CheckReading& c : reading.checks)
    if (!c.holds) failed += std::string(failed.empty() ? "" : ", ") + c.check->id;
  const std::string ratio = "radius at 1e-2 over at 0 " + estimate(reading, "f.radius_ratio", "%.2f");
  const std::string angle = "angle change " + estimate(reading, "f.tilt_change", "%+.1f") + " degrees";
  const std::string share = "top-k share change " + estimate(reading, "f.share_change", "%+.3f");
  const std::string top_k = "top-k share at 1e-2 " + estimate(reading, "f.top_k_share.1e-2", "%.3f");
  const std::string note = failed.empty() ? "; this model's images only" : "; failed check: " + failed;
  for (Verdict& x : v) {
    for (const CellReading& c : reading.cells)
      if (c.account == explanation_name(x.explanation) && c.measured) x.agreement = of(c.verdict);
    switch (x.explanation) {
      case Explanation::kOffSpan:
        x.measured = ratio + "; " + share + note;
        break;
      case Explanation::kFeatures:
        x.measured = ratio + "; " + top_k + note;
        break;
      case Explanation::kTilting:
        x.measured = angle + "; " + ratio + note;
        break;
      case Explanation::kLinearity:
        break;
    }
  }
  return v;
}

}  // namespace bs
