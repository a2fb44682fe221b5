// ExperimentResult as a flat array of doubles (experiment.h): a version, the experiment, its progress and
// stage times, then its report field by field. Each report's fields are listed once (the visit functions
// below), and the same list writes them (Writer) and reads them back (Reader), so the two cannot disagree.
// Counts precede lists, lengths precede strings (one character per number). Reals cross as they are (a radius
// may be +inf: no flip found); counts, flags and indices are checked to be whole and in range, and no list
// may claim more entries than numbers remain. Models and perturbation matrices are not part of it.
#include <cmath>
#include <string>

#include "core/train/remote_run.h"
#include "core/trial/experiment.h"

namespace bs {
namespace {

constexpr double kResultVersion = 3, kRequestVersion = 1;
constexpr double kBig = 1e9;

class Writer {
 public:
  void real(double x) { v_.push_back(x); }
  template <typename T>
  void whole(const T& x, const char*, double, double) {
    v_.push_back(double(x));
  }
  void flag(bool x) { v_.push_back(x ? 1 : 0); }
  void text(const std::string& s, const char*) {
    real(double(s.size()));
    for (char c : s) real(double(static_cast<unsigned char>(c)));
  }
  // A list: its length, then each entry as `f` writes it (`per`, the numbers an entry takes at least, is for
  // the reader).
  template <typename V, typename F>
  void list(const V& v, const char*, size_t, F f) {
    real(double(v.size()));
    for (const auto& x : v) f(x);
  }
  std::vector<double> take() { return std::move(v_); }

 private:
  std::vector<double> v_;
};

// Reads in order; the first problem is kept and every later read is a no-op.
class Reader {
 public:
  Reader(const double* v, size_t n) : v_(v), n_(n) {}
  double num() {
    if (!error_.empty()) return 0;
    if (at_ >= n_) {
      fail("it ends early, after " + std::to_string(n_) + " numbers");
      return 0;
    }
    return v_[at_++];
  }
  template <typename T>
  void real(T& x) {
    x = T(num());
  }
  // A whole number in [lo, hi].
  template <typename T>
  void whole(T& x, const char* what, double lo, double hi) {
    const double d = num();
    if (!error_.empty()) return;
    if (!std::isfinite(d) || d != std::floor(d) || d < lo || d > hi) {
      fail(std::string(what) + " is " + std::to_string(d) + ", not a whole number from " +
           std::to_string(lo) + " to " + std::to_string(hi));
      return;
    }
    x = T((long long)d);
  }
  void flag(bool& x) {
    int i = 0;
    whole(i, "a flag", 0, 1);
    x = i == 1;
  }
  void text(std::string& s, const char* what) {
    std::vector<int> chars;
    list(chars, what, 1, [&](int& c) { whole(c, what, 0, 255); });
    s.assign(chars.begin(), chars.end());
  }
  // A list's length: each entry takes at least `per` numbers, so it cannot claim more than remain.
  template <typename V, typename F>
  void list(V& v, const char* what, size_t per, F f) {
    size_t count = 0;
    whole(count, what, 0, double((n_ - at_) / per));
    v.resize(count);
    for (auto& x : v) f(x);
  }
  void fail(const std::string& why) {
    if (error_.empty()) error_ = why;
  }
  bool at_end() const { return at_ == n_; }
  const std::string& error() const { return error_; }

 private:
  const double* v_;
  size_t n_, at_ = 0;
  std::string error_;
};

// ---- each report's fields, once (S is the report type, const when writing)

template <typename A, typename S>
void visit_shares(A& a, S& s) {
  a.real(s.top_k);
  a.real(s.rest);
  a.real(s.never_lit);
}

template <typename A, typename D>
void visit_directions(A& a, D& d) {
  a.list(d, "a direction count", 3, [&](auto& x) {
    a.text(x.name, "a direction's name");
    a.real(x.on_a);
    a.real(x.on_b);
  });
}

template <typename A, typename R>
void visit_span(A& a, R& s) {
  a.whole(s.k, "k", 0, kPixels);
  a.real(s.explained);
  visit_shares(a, s.mean_shares);
  visit_shares(a, s.random_shares);
  a.real(s.mean_tangent_share);
  a.real(s.random_tangent_share);
  a.whole(s.tangent_dims, "the tangent dimensions", 0, kPixels);
  a.whole(s.wide_tangent_dims, "the wide tangent dimensions", 0, kPixels);
  a.real(s.mean_wide_tangent_share);
  a.real(s.random_wide_tangent_share);
  a.list(s.energy_curve, "the energy curve's length", 1, [&](auto& v) { a.real(v); });
  a.list(s.images, "the image count", 17, [&](auto& im) {
    a.whole(im.index, "an image's index", 0, 4294967295.0);
    a.whole(im.label, "an image's label", 0, 9);
    a.real(im.radius);
    visit_shares(a, im.shares);
    a.real(im.tangent_share);
    a.whole(im.tangent_rank, "a tangent rank", 0, kPixels);
    a.real(im.tangent_radius);
    a.real(im.complement_radius);
    a.real(im.wide_tangent_share);
    a.whole(im.wide_tangent_rank, "a wide tangent rank", 0, kPixels);
    a.real(im.wide_complement_radius);
    a.real(im.linear_radius);
    a.whole(im.reached, "a reached class", -1, 9);
    a.real(im.gradient_cosine);
    a.real(im.mean_angle_deg);
  });
}

// The second trial's per-image figures of a transfer (experiment b's, and d's both ways).
template <typename A, typename V>
void visit_transfer_images(A& a, V& images) {
  a.list(images, "the image count", 4 + 2 * kEqualDirections, [&](auto& im) {
    a.whole(im.index, "an image's index", 0, 4294967295.0);
    a.flag(im.right_a);
    a.flag(im.right_b);
    for (auto& f : im.flip_a) a.flag(f);
    for (auto& f : im.flip_b) a.flag(f);
    a.real(im.flip_point_ratio);
  });
}

template <typename A, typename R, typename E>
void visit_transfer(A& a, R& t, E& epochs) {
  a.whole(t.k, "k", 0, kPixels);
  a.whole(t.count_a, "A's count", 0, kBig);
  a.whole(t.count_b, "B's count", 0, kBig);
  a.whole(epochs, "the epochs trained", 0, kBig);
  visit_directions(a, t.directions);
  a.list(t.cosine, "the cosine point count", 3, [&](auto& c) {
    a.whole(c.step, "a cosine point's step", 0, 1e15);
    a.real(c.in_span);
    a.real(c.off_span);
  });
  a.real(t.common_norm);
  a.real(t.fgsm_eps);
  visit_transfer_images(a, t.images);
}

template <typename A, typename V>
void visit_thin(A& a, V& runs) {
  a.list(runs, "the model count", 14, [&](auto& t) {
    a.whole(t.d, "d", 0, kPixels);
    a.real(t.init_scale);
    a.real(t.accuracy_projected);
    a.real(t.accuracy_raw);
    a.real(t.off_share);
    a.real(t.init_off_share);
    a.real(t.off_change);
    a.real(t.radius_in);
    a.real(t.radius_off);
    a.whole(t.found_in, "found in", 0, kBig);
    a.whole(t.found_off, "found off", 0, kBig);
    a.whole(t.attacked, "attacked", 0, kBig);
    a.list(t.radii_in, "an in-span radius count", 1, [&](auto& r) { a.real(r); });
    a.list(t.radii_off, "an off-span radius count", 1, [&](auto& r) { a.real(r); });
  });
}

template <typename A, typename O>
void visit_optimizer(A& a, O& r) {
  a.text(r.name, "an optimizer's name");
  a.real(r.accuracy);
  a.real(r.off_drift);
  a.real(r.median_radius);
  a.real(r.off_span_norm);
  a.real(r.lipschitz);
  a.list(r.radii, "a radius count", 1, [&](auto& x) { a.real(x); });
  a.list(r.gradient_norms, "a gradient count", 1, [&](auto& x) { a.real(x); });
}

template <typename A, typename R>
void visit_optimizers(A& a, R& o) {
  a.whole(o.k, "k", 0, kPixels);
  visit_optimizer(a, o.sgd);
  visit_optimizer(a, o.adam);
  a.whole(o.correct_sgd, "SGD's count", 0, kBig);
  a.whole(o.correct_adam, "Adam's count", 0, kBig);
  visit_directions(a, o.sgd_to_adam);
  visit_directions(a, o.adam_to_sgd);
  visit_transfer_images(a, o.sgd_to_adam_images);
  visit_transfer_images(a, o.adam_to_sgd_images);
}

template <typename A, typename R>
void visit_features(A& a, R& f) {
  a.whole(f.k, "k", 0, kPixels);
  a.whole(f.images, "the image count", 0, kBig);
  a.list(f.variants, "the set count", 8, [&](auto& x) {
    a.text(x.name, "a set's name");
    a.whole(x.attempted, "a set's attempted images", 0, kBig);
    a.whole(x.kept, "a set's kept images", 0, kBig);
    a.real(x.target_rate);
    a.real(x.median_push_l2);
    a.real(x.clean_test_accuracy);
    a.whole(x.test_images, "a set's test images", 0, kBig);
  });
}

template <typename A, typename R>
void visit_tilt(A& a, R& t) {
  a.whole(t.k, "k", 0, kPixels);
  a.list(t.runs, "the model count", 6, [&](auto& r) {
    a.real(r.decay);
    a.real(r.clean_accuracy);
    a.real(r.off_span_norm);
    a.real(r.median_radius);
    a.real(r.median_angle_deg);
    a.real(r.mean_top_k_share);
    a.list(r.images, "an image count", 6, [&](auto& im) {
      a.whole(im.index, "an image index", 0, kBig);
      a.whole(im.label, "a label", 0, 9);
      a.whole(im.reached, "a reached class", -1, 9);
      a.real(im.radius);
      a.real(im.angle_deg);
      a.real(im.top_k_share);
    });
  });
}

// The header: the version, then which experiment, its seed and pair, whether done, its progress and its stage
// times.
template <typename A, typename H>
void visit_header(A& a, H& h) {
  int e = int(h.experiment);
  a.whole(e, "the experiment", 0, double(kExperimentCount - 1));
  h.experiment = Experiment(e);
  a.whole(h.seed, "the seed", 0, 4294967295.0);
  a.whole(h.source, "the source class", 0, 9);
  a.whole(h.target, "the target class", 0, 9);
  a.flag(h.done);
  a.real(h.progress);
  a.list(h.stage_times, "the stage count", 3, [&](auto& t) {
    a.real(t.total_ms);
    a.real(t.longest_ms);
    a.whole(t.calls, "a stage's unit count", 0, 1e15);
  });
}

}  // namespace

std::vector<double> encode_result(const ExperimentResult& r) {
  return encode_result_parts(static_cast<const ResultHeader&>(r), &r.span, &r.transfer, r.transfer_epochs,
                             &r.thin, &r.optimizers, &r.features, &r.tilt);
}

std::vector<double> encode_result_parts(ResultHeader h, const MinimalSpanReport* span,
                                        const TransferReport* transfer, int transfer_epochs,
                                        const std::vector<ThinBookRun>* thin,
                                        const OptimizersReport* optimizers, const FeaturesReport* features,
                                        const TiltReport* tilt) {
  Writer w;
  w.real(kResultVersion);
  visit_header(w, h);
  switch (h.experiment) {
    case Experiment::kSpan:
      visit_span(w, *span);
      break;
    case Experiment::kTransfer:
      visit_transfer(w, *transfer, transfer_epochs);
      break;
    case Experiment::kThinBook:
      visit_thin(w, *thin);
      break;
    case Experiment::kOptimizers:
      visit_optimizers(w, *optimizers);
      break;
    case Experiment::kFeatures:
      visit_features(w, *features);
      break;
    case Experiment::kTilt:
      visit_tilt(w, *tilt);
      break;
  }
  return w.take();
}

Expected<ExperimentResult> decode_result(const double* v, size_t n) {
  Reader in(v, n);
  ExperimentResult r;
  if (in.num() != kResultVersion) in.fail("its version is not " + std::to_string(int(kResultVersion)));
  visit_header(in, static_cast<ResultHeader&>(r));
  switch (r.experiment) {
    case Experiment::kSpan:
      visit_span(in, r.span);
      break;
    case Experiment::kTransfer:
      visit_transfer(in, r.transfer, r.transfer_epochs);
      break;
    case Experiment::kThinBook:
      visit_thin(in, r.thin);
      break;
    case Experiment::kOptimizers:
      visit_optimizers(in, r.optimizers);
      break;
    case Experiment::kFeatures:
      visit_features(in, r.features);
      break;
    case Experiment::kTilt:
      visit_tilt(in, r.tilt);
      break;
  }
  if (in.error().empty() && !in.at_end()) in.fail(std::to_string(n) + " numbers is more than it holds");
  if (!in.error().empty()) return Error{"an experiment's result cannot be read: " + in.error()};
  return r;
}

// ---- the request

std::vector<double> encode_experiment_request(const ExperimentRequest& r) {
  const size_t w = flat_size(Arch{});
  std::vector<float> flat(w);
  std::vector<double> v = {kRequestVersion,  double(int(r.experiment)), double(r.seed), double(r.source),
                           double(r.target), r.a.has_init ? 1.0 : 0.0,  double(w)};
  for (const Params* p : {&r.a.params, &r.a.init}) {
    params_to_flat(*p, flat.data());
    v.insert(v.end(), flat.begin(), flat.end());
  }
  return v;
}

Expected<ExperimentRequest> decode_experiment_request(const double* v, size_t n) {
  Reader in(v, n);
  ExperimentRequest r;
  if (in.num() != kRequestVersion) in.fail("its version is not " + std::to_string(int(kRequestVersion)));
  int e = 0;
  in.whole(e, "the experiment", 0, double(kExperimentCount - 1));
  r.experiment = Experiment(e);
  in.whole(r.seed, "the seed", 0, 4294967295.0);
  in.whole(r.source, "the source class", 0, 9);
  in.whole(r.target, "the target class", 0, 9);
  r.a = make_model(Arch{}, 1);
  in.flag(r.a.has_init);
  const size_t w = flat_size(Arch{});
  size_t count = 0;
  in.whole(count, "the weight count", 0, kBig);
  if (count != w) in.fail("its weight count is not " + std::to_string(w));
  std::vector<float> flat(w);
  for (Params* p : {&r.a.params, &r.a.init}) {
    for (float& x : flat) {
      const double d = in.num();
      if (!std::isfinite(d)) in.fail("a weight is not finite");
      x = float(d);
    }
    params_from_flat(*p, flat.data());
  }
  if (in.error().empty() && !in.at_end()) in.fail(std::to_string(n) + " numbers is more than it holds");
  if (!in.error().empty()) return Error{"an experiment request cannot be read: " + in.error()};
  return r;
}

}  // namespace bs
