// ExperimentResult as a flat array of doubles (experiment.h): a version, the experiment, its progress and
// stage times, then its report field by field. Counts precede lists, lengths precede strings (one character
// per number). Reals cross as they are (a radius may be +inf: no flip found); counts, flags and indices are
// checked to be whole and in range, and no list may claim more entries than numbers remain.
#include <cmath>
#include <string>

#include "core/train/remote_run.h"
#include "core/trial/experiment.h"

namespace bs {
namespace {

constexpr double kResultVersion = 1, kRequestVersion = 1;

class Writer {
 public:
  void num(double x) { v_.push_back(x); }
  void str(const std::string& s) {
    num(double(s.size()));
    for (char c : s) num(double(static_cast<unsigned char>(c)));
  }
  void shares(const SpanShares& s) {
    num(s.top_k);
    num(s.rest);
    num(s.never_lit);
  }
  void directions(const std::vector<DirectionTransfer>& d) {
    num(double(d.size()));
    for (const DirectionTransfer& x : d) {
      str(x.name);
      num(x.on_a);
      num(x.on_b);
    }
  }
  void optimizer(const OptimizerRun& r) {
    str(r.name);
    num(r.accuracy);
    num(r.off_drift);
    num(r.median_radius);
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
  // A whole number in [lo, hi].
  long long whole(const char* what, double lo, double hi) {
    const double x = num();
    if (!error_.empty()) return 0;
    if (!std::isfinite(x) || x != std::floor(x) || x < lo || x > hi) {
      fail(std::string(what) + " is " + std::to_string(x) + ", not a whole number from " +
           std::to_string(lo) + " to " + std::to_string(hi));
      return 0;
    }
    return (long long)x;
  }
  // A list's length: each entry takes at least `per` numbers, so it cannot claim more than remain.
  size_t count(const char* what, size_t per) { return size_t(whole(what, 0, double((n_ - at_) / per))); }
  std::string str(const char* what) {
    const size_t len = count(what, 1);
    std::string s;
    for (size_t i = 0; i < len && error_.empty(); ++i) s.push_back(char(whole(what, 0, 255)));
    return s;
  }
  SpanShares shares() {
    SpanShares s;
    s.top_k = num();
    s.rest = num();
    s.never_lit = num();
    return s;
  }
  std::vector<DirectionTransfer> directions() {
    std::vector<DirectionTransfer> d(count("a direction count", 3));
    for (DirectionTransfer& x : d) {
      x.name = str("a direction's name");
      x.on_a = num();
      x.on_b = num();
    }
    return d;
  }
  OptimizerRun optimizer() {
    OptimizerRun r;
    r.name = str("an optimizer's name");
    r.accuracy = num();
    r.off_drift = num();
    r.median_radius = float(num());
    return r;
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

}  // namespace

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
  r.experiment = Experiment(in.whole("the experiment", 0, double(kExperimentCount - 1)));
  r.seed = uint64_t(in.whole("the seed", 0, 4294967295.0));
  r.source = int(in.whole("the source class", 0, 9));
  r.target = int(in.whole("the target class", 0, 9));
  r.a = make_model(Arch{}, 1);
  r.a.has_init = in.whole("the init flag", 0, 1) == 1;
  const size_t w = flat_size(Arch{});
  if (size_t(in.whole("the weight count", 0, 1e9)) != w)
    in.fail("its weight count is not " + std::to_string(w));
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

std::vector<double> encode_result(const ExperimentResult& r) {
  Writer w;
  w.num(kResultVersion);
  w.num(double(int(r.experiment)));
  w.num(r.done ? 1 : 0);
  w.num(r.progress);
  w.num(double(r.stage_times.size()));
  for (const Stages::StageTime& t : r.stage_times) {
    w.num(t.total_ms);
    w.num(t.longest_ms);
    w.num(double(t.calls));
  }
  switch (r.experiment) {
    case Experiment::kSpan: {
      const MinimalSpanReport& s = r.span;
      w.num(s.k);
      w.num(s.explained);
      w.shares(s.mean_shares);
      w.shares(s.random_shares);
      w.num(s.mean_tangent_share);
      w.num(s.random_tangent_share);
      w.num(double(s.images.size()));
      for (const MinimalSpanImage& im : s.images) {
        w.num(im.index);
        w.num(im.label);
        w.num(im.radius);
        w.shares(im.shares);
        w.num(im.tangent_share);
        w.num(im.tangent_rank);
        w.num(im.tangent_radius);
        w.num(im.complement_radius);
        w.num(im.linear_radius);
      }
      break;
    }
    case Experiment::kTransfer: {
      const TransferReport& t = r.transfer;
      w.num(t.k);
      w.num(t.count_a);
      w.num(t.count_b);
      w.num(r.transfer_epochs);
      w.directions(t.directions);
      w.num(double(t.cosine.size()));
      for (const CosinePoint& c : t.cosine) {
        w.num(double(c.step));
        w.num(c.in_span);
        w.num(c.off_span);
      }
      break;
    }
    case Experiment::kThinBook:
      w.num(double(r.thin.size()));
      for (const ThinBookRun& t : r.thin) {
        w.num(t.d);
        w.num(t.init_scale);
        w.num(t.accuracy_projected);
        w.num(t.accuracy_raw);
        w.num(t.off_share);
        w.num(t.init_off_share);
        w.num(t.off_change);
        w.num(t.radius_in);
        w.num(t.radius_off);
        w.num(t.found_in);
        w.num(t.found_off);
        w.num(t.attacked);
      }
      break;
    case Experiment::kOptimizers: {
      const OptimizersReport& o = r.optimizers;
      w.num(o.k);
      w.optimizer(o.sgd);
      w.optimizer(o.adam);
      w.num(o.correct_sgd);
      w.num(o.correct_adam);
      w.directions(o.sgd_to_adam);
      w.directions(o.adam_to_sgd);
      break;
    }
    case Experiment::kFeatures: {
      const FeaturesReport& f = r.features;
      w.num(f.k);
      w.num(double(f.images));
      w.num(double(f.variants.size()));
      for (const FeaturesVariant& v : f.variants) {
        w.str(v.name);
        w.num(v.target_rate);
        w.num(v.clean_test_accuracy);
      }
      break;
    }
  }
  return w.take();
}

Expected<ExperimentResult> decode_result(const double* v, size_t n) {
  Reader in(v, n);
  ExperimentResult r;
  if (in.num() != kResultVersion) in.fail("its version is not " + std::to_string(int(kResultVersion)));
  r.experiment = Experiment(in.whole("the experiment", 0, double(kExperimentCount - 1)));
  r.done = in.whole("the done flag", 0, 1) == 1;
  r.progress = in.num();
  r.stage_times.resize(in.count("the stage count", 3));
  for (Stages::StageTime& t : r.stage_times) {
    t.total_ms = in.num();
    t.longest_ms = in.num();
    t.calls = long(in.whole("a stage's unit count", 0, 1e15));
  }
  constexpr double kBig = 1e9;
  switch (r.experiment) {
    case Experiment::kSpan: {
      MinimalSpanReport& s = r.span;
      s.k = int(in.whole("k", 0, kPixels));
      s.explained = in.num();
      s.mean_shares = in.shares();
      s.random_shares = in.shares();
      s.mean_tangent_share = in.num();
      s.random_tangent_share = in.num();
      s.images.resize(in.count("the image count", 11));
      for (MinimalSpanImage& im : s.images) {
        im.index = uint32_t(in.whole("an image's index", 0, 4294967295.0));
        im.label = int(in.whole("an image's label", 0, 9));
        im.radius = float(in.num());
        im.shares = in.shares();
        im.tangent_share = in.num();
        im.tangent_rank = int(in.whole("a tangent rank", 0, kPixels));
        im.tangent_radius = float(in.num());
        im.complement_radius = float(in.num());
        im.linear_radius = float(in.num());
      }
      break;
    }
    case Experiment::kTransfer: {
      TransferReport& t = r.transfer;
      t.k = int(in.whole("k", 0, kPixels));
      t.count_a = int(in.whole("A's count", 0, kBig));
      t.count_b = int(in.whole("B's count", 0, kBig));
      r.transfer_epochs = int(in.whole("the epochs trained", 0, kBig));
      t.directions = in.directions();
      t.cosine.resize(in.count("the cosine point count", 3));
      for (CosinePoint& c : t.cosine) {
        c.step = long(in.whole("a cosine point's step", 0, 1e15));
        c.in_span = in.num();
        c.off_span = in.num();
      }
      break;
    }
    case Experiment::kThinBook:
      r.thin.resize(in.count("the model count", 12));
      for (ThinBookRun& t : r.thin) {
        t.d = int(in.whole("d", 0, kPixels));
        t.init_scale = float(in.num());
        t.accuracy_projected = in.num();
        t.accuracy_raw = in.num();
        t.off_share = in.num();
        t.init_off_share = in.num();
        t.off_change = in.num();
        t.radius_in = float(in.num());
        t.radius_off = float(in.num());
        t.found_in = int(in.whole("found in", 0, kBig));
        t.found_off = int(in.whole("found off", 0, kBig));
        t.attacked = int(in.whole("attacked", 0, kBig));
      }
      break;
    case Experiment::kOptimizers: {
      OptimizersReport& o = r.optimizers;
      o.k = int(in.whole("k", 0, kPixels));
      o.sgd = in.optimizer();
      o.adam = in.optimizer();
      o.correct_sgd = int(in.whole("SGD's count", 0, kBig));
      o.correct_adam = int(in.whole("Adam's count", 0, kBig));
      o.sgd_to_adam = in.directions();
      o.adam_to_sgd = in.directions();
      break;
    }
    case Experiment::kFeatures: {
      FeaturesReport& f = r.features;
      f.k = int(in.whole("k", 0, kPixels));
      f.images = size_t(in.whole("the image count", 0, kBig));
      f.variants.resize(in.count("the variant count", 3));
      for (FeaturesVariant& x : f.variants) {
        x.name = in.str("a variant's name");
        x.target_rate = in.num();
        x.clean_test_accuracy = in.num();
      }
      break;
    }
  }
  if (in.error().empty() && !in.at_end()) in.fail(std::to_string(n) + " numbers is more than it holds");
  if (!in.error().empty()) return Error{"an experiment's result cannot be read: " + in.error()};
  return r;
}

}  // namespace bs
