// The trial's one report schema (core/trial/report_json.h): what the CLI prints, the page's state().trial
// holds and the article's assets/trial.json keeps. The worker's copy of a result reads the same as the
// original, every key is camelCase, no radius is infinite, and an entry says nothing before it has figures.
#include "core/trial/report_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>

#include "tests/core/trial/filled_result.h"

namespace bs {
namespace {

using json = nlohmann::json;

// Calls f(path, key) for every object key in j, and g(path, value) for every number.
void walk(const json& j, const std::string& path, const std::function<void(const std::string&)>& key,
          const std::function<void(const std::string&, const json&)>& number) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      key(path + "." + it.key());
      walk(it.value(), path + "." + it.key(), key, number);
    }
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) walk(j[i], path + "." + std::to_string(i), key, number);
  } else if (j.is_number()) {
    number(path, j);
  }
}

json entry(Experiment e, const ExperimentResult* r, bool done) {
  return experiment_json(e, r, done, page_trial_settings(), experiment_verdicts(e, r, done));
}

TEST(TrialReport, ReadsTheSameFromTheWorkersCopyOfAResult) {
  for (size_t e = 0; e < kExperimentCount; ++e) {
    const ExperimentResult r = test::filled(Experiment(e));
    const std::vector<double> v = encode_result(r);
    const ExperimentResult copy = decode_result(v.data(), v.size()).value();
    EXPECT_EQ(entry(Experiment(e), &copy, true), entry(Experiment(e), &r, true))
        << experiment_info(Experiment(e)).name;
  }
}

TEST(TrialReport, NamesEveryFieldInCamelCase) {
  for (size_t e = 0; e < kExperimentCount; ++e) {
    const ExperimentResult r = test::filled(Experiment(e));
    const json j = entry(Experiment(e), &r, true);
    ASSERT_FALSE(j["result"].is_null()) << e;
    walk(
        j, experiment_info(Experiment(e)).name,
        [](const std::string& path) {
          const std::string key = path.substr(path.rfind('.') + 1);
          EXPECT_EQ(key.find('_'), std::string::npos) << path;
          const unsigned char first = static_cast<unsigned char>(key[0]);  // or a number: a decay, a run
          EXPECT_TRUE(std::islower(first) || std::isdigit(first)) << path;
        },
        [](const std::string&, const json&) {});
  }
}

TEST(TrialReport, WritesNullWhereNoFlipWasFoundAndNoOtherNumberIsInfinite) {
  const ExperimentResult thin = test::filled(Experiment::kThinBook);  // d 784: no off-span flip (+inf)
  const json j = result_json(thin, page_trial_settings());
  EXPECT_TRUE(j["runs"][1]["medianRadiusOffSpan"].is_null());
  EXPECT_EQ(j["runs"][0]["medianRadiusOffSpan"], 3.0);
  for (size_t e = 0; e < kExperimentCount; ++e) {
    const ExperimentResult r = test::filled(Experiment(e));
    walk(
        result_json(r, page_trial_settings()), "result", [](const std::string&) {},
        [](const std::string& path, const json& v) { EXPECT_TRUE(std::isfinite(v.get<double>())) << path; });
  }
}

TEST(TrialReport, CarriesTheSeedsAndThePairTheResultWasRunWith) {
  const ExperimentResult r = test::filled(Experiment::kTransfer);  // seed 4, pair 3 -> 5
  const json j = result_json(r, page_trial_settings());
  EXPECT_EQ(j["seedA"], 4);
  EXPECT_EQ(j["seedB"], 5);
  EXPECT_EQ(j["source"], 3);
  EXPECT_EQ(j["target"], 5);
  EXPECT_EQ(result_json(test::filled(Experiment::kFeatures), page_trial_settings())["seed"], 6);
}

TEST(TrialReport, HasNoResultBeforeThereAreFiguresButAlwaysThePredictions) {
  ExperimentResult span = test::filled(Experiment::kSpan);
  span.span.images.clear();
  const json a = entry(Experiment::kSpan, &span, false);
  EXPECT_TRUE(a["result"].is_null());
  const ExperimentResult opt = test::filled(Experiment::kOptimizers);
  EXPECT_TRUE(entry(Experiment::kOptimizers, &opt, false)["result"].is_null())
      << "d's figures read only once whole";
  const json none = entry(Experiment::kFeatures, nullptr, false);
  EXPECT_TRUE(none["result"].is_null());
  ASSERT_EQ(none["verdicts"].size(), kExplanationCount);
  int pending = 0;
  for (const auto& v : none["verdicts"]) {
    EXPECT_FALSE(v["prediction"].get<std::string>().empty());
    EXPECT_TRUE(v["agreement"] == "pending" || v["agreement"] == "silent") << v;
    pending += v["agreement"] == "pending";
  }
  EXPECT_GT(pending, 0) << "an account that speaks to e waits for its figures";
}

}  // namespace
}  // namespace bs
