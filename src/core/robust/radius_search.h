// The two radius searches as resumable objects, one probe at a time, so the batch tools (minimal_radius,
// certified_radius) and the page's sliced job (robustness_job.h) share one logic: ask probe(), run the attack
// or the bound at that eps, report() the outcome, until done().
#pragma once

namespace bs {

// The attack side: the smallest eps at which an attack finds an adversarial point. A success at eps lowers
// the upper end to the distance of the point found (which may be less than eps), a failure raises the lower
// end to eps; probes bisect. The first probe is `first_guess` if given (> 0), else `top`; a failure at `top`
// ends the search with nothing found.
class AttackRadiusSearch {
 public:
  AttackRadiusSearch(float top, float tolerance, float first_guess = 0);
  bool done() const { return done_; }
  float probe() const { return probe_; }
  void report(bool success, float radius);
  bool found() const { return found_; }
  float radius() const;  // the smallest distance found; +inf if none

 private:
  float top_, tolerance_, lo_ = 0, hi_, probe_;
  bool found_ = false, done_ = false;
};

// The certified side: the largest eps at which the bounds' smallest margin stays positive, within [0, top],
// where top is the image space's diameter: an attack's radius is only a hint, never a cap, so a bound that
// certifies past a real adversarial point shows as certified > attack instead of being hidden at the attack's
// radius. Probes, in order: `known_certified` if given (a radius another method certified: when it is
// certified here too, eps = 0 is never probed; when not, it is the bracket's upper end), else 0; then `hint`
// if given (an attack's radius: a sound bound fails there, which makes it the bracket's upper end at no
// cost), then top; then regula falsi with the Illinois rule on the margin (the line through the bracket's
// ends, with a stale end's value halved); a probe within `tolerance` of an end is moved to exactly
// `tolerance` from it, which closes the bracket once the estimate is right.
class CertifiedRadiusSearch {
 public:
  CertifiedRadiusSearch(float top, float tolerance, float known_certified = 0, float hint = 0);
  bool done() const { return done_; }
  float probe() const { return probe_; }
  void report(float min_margin);  // the bounds' smallest margin at probe(); certified when > 0
  float radius() const { return lo_; }

 private:
  void next();
  void upper_probe();  // the hint, else top
  enum class Phase { kZero, kKnown, kTop, kSearch } phase_ = Phase::kZero;
  float hi_, tolerance_, known_, hint_, lo_ = 0, flo_ = 0, fhi_ = 0, probe_ = 0;
  int side_ = 0;
  bool done_ = false, hi_probed_ = false;
};

}  // namespace bs
