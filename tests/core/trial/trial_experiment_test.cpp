// One experiment of the trial as an interface runs it (core/trial/experiment.h): the job's figures are the
// underlying experiment's, and they, like the request for them, cross to and from the training worker as
// numbers without loss; anything else arriving is refused with a reason.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/analysis/subspace.h"
#include "core/train/remote_run.h"
#include "core/trial/experiment.h"
#include "tests/core/mnist_data.h"
#include "tests/core/trial/filled_result.h"

namespace bs {
namespace {

const Subspace& head_subspace() {
  static Subspace s = data_subspace(test::train_head());
  return s;
}

TEST(ExperimentTable, NamesEachExperimentOnceAndFindsItByName) {
  std::vector<std::string> names = experiment_names();
  ASSERT_EQ(names.size(), kExperimentCount);
  for (size_t i = 0; i < kExperimentCount; ++i) {
    EXPECT_EQ(kExperiments[i].experiment, Experiment(i));
    EXPECT_EQ(find_experiment(names[i]), &kExperiments[i]) << names[i];
    EXPECT_EQ(std::count(names.begin(), names.end(), names[i]), 1) << names[i];
  }
  EXPECT_EQ(find_experiment("all"), nullptr) << "'all' is a request, not an experiment";
}

TEST(ExperimentResult, SurvivesEncodingAndDecodingForEveryExperiment) {
  for (size_t e = 0; e < kExperimentCount; ++e) {
    const ExperimentResult want = test::filled(Experiment(e));
    const std::vector<double> v = encode_result(want);
    auto got = decode_result(v.data(), v.size());
    ASSERT_TRUE(got.ok()) << got.error();
    EXPECT_EQ(got.value().experiment, want.experiment);
    EXPECT_EQ(got.value().done, want.done);
    EXPECT_EQ(got.value().progress, want.progress);
    EXPECT_EQ(got.value().seed, want.seed);
    EXPECT_EQ(got.value().source, want.source);
    EXPECT_EQ(got.value().target, want.target);
    ASSERT_EQ(got.value().stage_times.size(), 2u);
    EXPECT_EQ(got.value().stage_times[0].calls, 7);
    // Every field was read back into its own place: encoding the decoded result gives the same numbers.
    const std::vector<double> again = encode_result(got.value());
    ASSERT_EQ(again.size(), v.size()) << "experiment " << e;
    for (size_t i = 0; i < v.size(); ++i)  // NaN (no angle where no flip) reads back as NaN
      EXPECT_TRUE(again[i] == v[i] || (std::isnan(again[i]) && std::isnan(v[i]))) << e << " at " << i;
  }
}

TEST(ExperimentResult, KeepsNamesInfiniteRadiiAndCounts) {
  const std::vector<double> span = encode_result(test::filled(Experiment::kSpan));
  const ExperimentResult s = decode_result(span.data(), span.size()).value();
  ASSERT_EQ(s.span.images.size(), 3u);
  EXPECT_TRUE(std::isinf(s.span.images[2].radius));
  EXPECT_EQ(s.span.images[1].index, 101u);
  EXPECT_EQ(s.span.images[1].tangent_rank, 9);
  const std::vector<double> opt = encode_result(test::filled(Experiment::kOptimizers));
  const ExperimentResult o = decode_result(opt.data(), opt.size()).value();
  EXPECT_EQ(o.optimizers.adam.name, "adam");
  ASSERT_EQ(o.optimizers.adam_to_sgd.size(), 2u);
  EXPECT_EQ(o.optimizers.adam_to_sgd[1].name, "fgsm");
  EXPECT_EQ(o.optimizers.adam_to_sgd[1].on_b, 0.2);
}

TEST(ExperimentResult, RefusesTruncatedExtendedOrImpossibleNumbersWithAReason) {
  const std::vector<double> v = encode_result(test::filled(Experiment::kThinBook));
  auto shorter = decode_result(v.data(), v.size() - 1);
  ASSERT_FALSE(shorter.ok());
  EXPECT_NE(shorter.error().find("ends early"), std::string::npos) << shorter.error();
  std::vector<double> longer = v;
  longer.push_back(0);
  EXPECT_FALSE(decode_result(longer.data(), longer.size()).ok());
  std::vector<double> version = v;
  version[0] = 99;
  EXPECT_NE(decode_result(version.data(), version.size()).error().find("version"), std::string::npos);
  std::vector<double> experiment = v;
  experiment[1] = 5;
  EXPECT_NE(decode_result(experiment.data(), experiment.size()).error().find("experiment"),
            std::string::npos);
  std::vector<double> pair = v;
  pair[3] = 12;  // version, experiment, seed, then the source class
  EXPECT_NE(decode_result(pair.data(), pair.size()).error().find("source class"), std::string::npos);
  // The model count sits after the header and the two stage times (8 + 2 x 3 numbers).
  std::vector<double> count = v;
  ASSERT_EQ(count[14], 2.0);
  count[14] = 1e12;
  auto huge = decode_result(count.data(), count.size());
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.error().find("model count"), std::string::npos) << huge.error();
  count[14] = 1.5;
  EXPECT_FALSE(decode_result(count.data(), count.size()).ok());
  EXPECT_FALSE(decode_result(nullptr, 0).ok());
}

TEST(ExperimentRequest, CarriesTheModelItsInitialWeightsTheSeedAndThePairExactly) {
  ExperimentRequest q;
  q.experiment = Experiment::kOptimizers;
  q.seed = 4000000000u;
  q.source = 8;
  q.target = 3;
  q.a = test::small_trained_model();
  const std::vector<double> v = encode_experiment_request(q);
  auto got = decode_experiment_request(v.data(), v.size());
  ASSERT_TRUE(got.ok()) << got.error();
  EXPECT_EQ(got.value().experiment, Experiment::kOptimizers);
  EXPECT_EQ(got.value().seed, q.seed);
  EXPECT_EQ(got.value().source, 8);
  EXPECT_EQ(got.value().target, 3);
  std::vector<float> a(flat_size(Arch{})), b(a.size());
  params_to_flat(q.a.params, a.data());
  params_to_flat(got.value().a.params, b.data());
  EXPECT_EQ(a, b);
  params_to_flat(q.a.init, a.data());
  params_to_flat(got.value().a.init, b.data());
  EXPECT_EQ(a, b);
  EXPECT_NE(a, std::vector<float>(a.size(), 0.0f));
}

TEST(ExperimentRequest, RefusesAWeightThatIsNotFiniteOrAMissingOne) {
  ExperimentRequest q;
  q.a = test::small_trained_model();
  std::vector<double> v = encode_experiment_request(q);
  EXPECT_FALSE(decode_experiment_request(v.data(), v.size() - 1).ok());
  v[100] = std::nan("");
  auto bad = decode_experiment_request(v.data(), v.size());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("not finite"), std::string::npos) << bad.error();
}

TEST(ExperimentJob, SpanFiguresAreTheExperimentsOwnWithoutItsPerturbations) {
  const Model& m = test::small_trained_model();
  TrialSettings p = page_trial_settings();
  p.span.images = 4;
  p.span.attack.steps = 5;
  ExperimentInputs in;
  in.train = &test::train_head();
  in.test = &test::mnist(Split::kTest);
  in.subspace = &head_subspace();
  in.a = m;
  ExperimentJob job(Experiment::kSpan, in, p, Slicing::frame());
  double progress = 0;
  int steps = 0;
  while (!job.done()) {
    job.step();
    ++steps;
    const double now = job.result().progress;
    EXPECT_GE(now, progress);
    progress = now;
  }
  const ExperimentResult r = job.result();
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.progress, 1.0);
  EXPECT_FALSE(r.stage_times.empty());
  EXPECT_GT(steps, 4);
  // The same job run directly, with the same slicing (a different slicing rounds differently).
  MinimalSpanJob own(m.params, test::train_head(), test::mnist(Split::kTest), head_subspace(), p.span,
                     Slicing::frame());
  while (!own.done()) own.step();
  const MinimalSpanReport& direct = own.report();
  ASSERT_EQ(r.span.images.size(), direct.images.size());
  for (size_t i = 0; i < direct.images.size(); ++i) {
    EXPECT_EQ(r.span.images[i].index, direct.images[i].index);
    EXPECT_EQ(r.span.images[i].radius, direct.images[i].radius);
    EXPECT_EQ(r.span.images[i].complement_radius, direct.images[i].complement_radius);
  }
  EXPECT_EQ(r.span.mean_shares.top_k, direct.mean_shares.top_k);
  EXPECT_EQ(r.span.perturbations.size(), 0) << "the matrix stays with the job";
}

TEST(ExperimentJob, ThinBookFiguresCarryNoModels) {
  TrialSettings p = page_trial_settings();
  p.thin.dims = {10};
  p.thin.init_scales = {1.0f};
  p.thin.images = 2;
  p.thin.attack.steps = 3;
  p.thin_train_images = 500;
  ExperimentInputs in;
  in.train = &test::train_head();
  in.test = &test::mnist(Split::kTest);
  in.subspace = &head_subspace();
  in.a = test::small_trained_model();
  ExperimentJob job(Experiment::kThinBook, in, p, Slicing{});
  while (!job.done()) job.step();
  const ExperimentResult r = job.result();
  ASSERT_EQ(r.thin.size(), 1u);
  EXPECT_EQ(r.thin[0].d, 10);
  EXPECT_GT(r.thin[0].accuracy_raw, 0.1);
  EXPECT_TRUE(r.thin[0].model.params.w1.isZero()) << "the trained model stays with the job";
}

}  // namespace
}  // namespace bs
