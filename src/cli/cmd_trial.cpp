// booksmart trial: the experiments that test the explanations of adversarial examples against each other
// (docs/trial.md): where minimal perturbations live, against the data's global span (`minimal_span`) and each
// image's tangent space (`manifold`), on model A (the pretrained model's recipe from --seed); whether A's
// attacks transfer to model B (the same recipe from --seed + 1) (`transfer`); the thin book (`thin_book`);
// SGD against Adam (`optimizers`); and models trained only on relabelled adversarial images (`features`).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/progress.h"
#include "core/io/file_bytes.h"
#include "core/io/model_files.h"
#include "core/model/safetensors.h"
#include "core/trial/experiment.h"
#include "core/trial/features.h"
#include "core/trial/minimal_span.h"
#include "core/trial/optimizers.h"
#include "core/trial/recipe.h"
#include "core/trial/thin_book.h"
#include "core/trial/transfer.h"
#include "core/trial/verdicts.h"
#include "core/util/median.h"

namespace bs::cli {
namespace {

struct TrialOptions {
  std::string data = default_data_dir(), out, kernels = "auto";
  std::string dataset =
      "mnist";  // --dataset: fashion attacks sneakers towards "Bag" instead of 7s towards "0"
  uint64_t seed = 1;
  bool quick = false, json = false;
  std::vector<std::string> only;  // experiments by the page's names; empty: all
  float push_eps = 0;             // experiment e's push radius; 0: its default
  int push_steps = 0;             // and its PGD steps
};

nlohmann::json finite_or_null(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

nlohmann::json shares_json(const SpanShares& s) {
  return {{"top_k", s.top_k}, {"rest", s.rest}, {"never_lit", s.never_lit}};
}

// Writes DIR/models/<name>.safetensors (nothing without --out), saying in its metadata how it was made.
void save_trial_model(const TrialOptions& o, const std::string& name, Model m, uint64_t seed,
                      const std::string& content) {
  if (o.out.empty()) return;
  m.metadata["seed"] = std::to_string(seed);
  m.metadata["content"] = "booksmart trial: " + content;
  check(save_model(o.out + "/models/" + name + ".safetensors", m));
}

void create_dir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) fail("cannot create " + dir + ": " + ec.message());
}

// Each image's minimal L2 adversarial point (image + perturbation), in the robustness command's format.
void write_minimal(const std::string& dir, const MinimalSpanReport& rep, const Dataset& test) {
  const int64_t n = int64_t(rep.images.size());
  Mat points(kPixels, n);
  std::vector<int32_t> index, label;
  for (int64_t i = 0; i < n; ++i) {
    const MinimalSpanImage& im = rep.images[size_t(i)];
    test.image_floats(im.index, points.col(long(i)).data());
    points.col(long(i)) += rep.perturbations.col(long(i));
    index.push_back(int32_t(im.index));
    label.push_back(im.label);
  }
  const std::string path = dir + "/minimal-l2.safetensors";
  check(write_file(
      path, encode_safetensors(
                {{"images", "F32", {n, kImageSide, kImageSide}, points.data()},
                 {"index", "I32", {n}, index.data()},
                 {"label", "I32", {n}, label.data()}},
                {{"norm", "l2"}, {"content", "booksmart trial: each image's minimal L2 adversarial"}})));
}

// What every experiment shares: the data, their span, model A and the transfer settings it was trained with.
struct Trial {
  Trial(const TrialOptions& options, Dataset tr, Dataset te)
      : o(options), train(std::move(tr)), test(std::move(te)) {}
  const TrialOptions& o;
  Dataset train, test;
  Subspace subspace;
  TransferSettings ts;
  Model a;
};

// The explanations' verdicts on one experiment (the page's rules): into JSON verdicts.<experiment>, and a
// line of prose.
void report_verdicts(const TrialOptions& o, Experiment e, const std::vector<Verdict>& verdicts,
                     nlohmann::json* out) {
  nlohmann::json& j = (*out)["verdicts"][experiment_info(e).name];
  for (const Verdict& v : verdicts) {
    j[explanation_name(v.explanation)] = {{"agreement", agreement_name(v.agreement)},
                                          {"measured", v.measured}};
  }
  if (o.json) return;
  std::printf("   verdicts:");
  for (const Verdict& v : verdicts)
    std::printf(" %s %s%s", explanation_title(v.explanation), agreement_name(v.agreement),
                &v == &verdicts.back() ? "\n" : ";");
}

// a. Where minimal perturbations live: JSON fields minimal_span and manifold.
std::vector<Verdict> run_span(const Trial& t, Progress& progress, nlohmann::json* out) {
  const TrialOptions& o = t.o;
  progress.update("trial: minimal perturbations", 0, 1, "");
  MinimalSpanSettings ms;
  ms.images = o.quick ? 100 : 500;
  ms.attack.seed = o.seed;
  if (o.quick) {
    ms.attack.steps = 20;
    ms.attack.restarts = 1;
  }
  const MinimalSpanReport span = minimal_span(t.a.params, t.train, t.test, t.subspace, ms);
  progress.clear();
  if (!o.out.empty()) write_minimal(o.out, span, t.test);

  std::vector<double> free, tangent, complement, ratio, linear, over_linear;
  int tangent_found = 0, complement_found = 0;
  for (const MinimalSpanImage& im : span.images) {
    free.push_back(im.radius);
    tangent.push_back(im.tangent_radius);
    complement.push_back(im.complement_radius);
    tangent_found += std::isfinite(im.tangent_radius);
    complement_found += std::isfinite(im.complement_radius);
    if (std::isfinite(im.radius) && im.radius > 0) ratio.push_back(double(im.complement_radius) / im.radius);
    linear.push_back(im.linear_radius);
    if (std::isfinite(im.radius) && im.linear_radius > 0) over_linear.push_back(im.radius / im.linear_radius);
  }
  (*out)["minimal_span"] = {{"images", span.images.size()},
                            {"k", span.k},
                            {"explained_variance", span.explained},
                            {"median_radius", finite_or_null(median(free))},
                            {"median_linear_radius", finite_or_null(median(linear))},
                            {"median_radius_over_linear", finite_or_null(median(over_linear))},
                            {"mean_shares", shares_json(span.mean_shares)},
                            {"random_direction_shares", shares_json(span.random_shares)}};
  (*out)["manifold"] = {{"neighbours", ms.neighbours},
                        {"tangent_dims", ms.tangent_dims},
                        {"mean_tangent_share", span.mean_tangent_share},
                        {"random_tangent_share", span.random_tangent_share},
                        {"median_radius",
                         {{"free", finite_or_null(median(free))},
                          {"tangent", finite_or_null(median(tangent))},
                          {"complement", finite_or_null(median(complement))}}},
                        {"found", {{"tangent", tangent_found}, {"complement", complement_found}}},
                        {"median_complement_over_free", finite_or_null(median(ratio))}};
  if (o.json) return span_verdicts(&span);
  const SpanShares& m = span.mean_shares;
  const SpanShares& r = span.random_shares;
  std::printf(
      "a. minimal L2 perturbations of %zu correctly classified test images (median radius %.3f) against the "
      "top %d directions (%.1f %% of the variance):\n",
      span.images.size(), median(free), span.k, 100 * span.explained);
  std::printf("   share in the top %d   %5.1f %%   (a random direction: %5.1f %%)\n", span.k, 100 * m.top_k,
              100 * r.top_k);
  std::printf("   share in the rest     %5.1f %%   (%5.1f %%)\n", 100 * m.rest, 100 * r.rest);
  std::printf("   share on never-lit    %5.1f %%   (%5.1f %%)\n", 100 * m.never_lit, 100 * r.never_lit);
  std::printf(
      "   against each image's tangent space (%d nearest same-class training images, %d directions): "
      "share %.1f %% (random %.1f %%)\n",
      ms.neighbours, ms.tangent_dims, 100 * span.mean_tangent_share, 100 * span.random_tangent_share);
  std::printf(
      "   minimal radius, median: free %.3f, in the tangent space %.3f (%d of %zu found), in its "
      "complement %.3f (%d found)\n",
      median(free), median(tangent), tangent_found, span.images.size(), median(complement), complement_found);
  std::printf("   the linear estimate (margin / gradient norm), median %.3f; radius over it, median %.3f\n",
              median(linear), median(over_linear));
  return span_verdicts(&span);
}

// b. Two seeds: JSON field transfer. `tr` holds models A and B, trained in lockstep.
std::vector<Verdict> report_transfer(const Trial& t, const TransferReport& tr, uint64_t seed_b,
                                     nlohmann::json* out) {
  const TrialOptions& o = t.o;
  const TransferSettings& ts = t.ts;
  nlohmann::json directions = nlohmann::json::object(), cosine = nlohmann::json::array();
  for (const DirectionTransfer& d : tr.directions) directions[d.name] = {{"on_a", d.on_a}, {"on_b", d.on_b}};
  for (const CosinePoint& c : tr.cosine)
    cosine.push_back({{"step", c.step}, {"in_span", c.in_span}, {"off_span", c.off_span}});
  (*out)["transfer"] = {{"seed_a", o.seed},
                        {"seed_b", seed_b},
                        {"source", ts.source},
                        {"target", ts.target},
                        {"k", tr.k},
                        {"correct_a", tr.count_a},
                        {"correct_b", tr.count_b},
                        {"pgd_scale", ts.pgd_scale},
                        {"directions", directions},
                        {"cosine", cosine}};
  if (o.json) return transfer_verdicts(&tr);
  std::printf(
      "b. transfer: directions made on A (seed %llu) blended into test %ds at alpha 1; share turned "
      "into %d\n",
      (unsigned long long)o.seed, ts.source, ts.target);
  std::printf("   %-9s %8s %8s   (of %d and %d correctly classified)\n", "", "on A", "on B", tr.count_a,
              tr.count_b);
  for (const DirectionTransfer& d : tr.directions)
    std::printf("   %-9s %7.1f %% %7.1f %%\n", d.name.c_str(), 100 * d.on_a, 100 * d.on_b);
  const CosinePoint& last = tr.cosine.back();
  std::printf("   cosine of A's and B's output patterns after training: in-span %.3f, off-span %.3f\n",
              last.in_span, last.off_span);
  return transfer_verdicts(&tr);
}

// c. The thin book: JSON field thin_book.
std::vector<Verdict> run_thin(const Trial& t, Progress& progress, nlohmann::json* out) {
  const TrialOptions& o = t.o;
  progress.update("trial: the thin book", 0, 1, "");
  ThinBookSettings tb;
  tb.attack.seed = o.seed;
  if (o.quick) {
    tb.epochs = 1;
    tb.images = 20;
    tb.attack.steps = 10;
  }
  // --quick trains the thin book's eight models one epoch on the first 10,000 training images.
  const std::vector<ThinBookRun> thin =
      thin_book(o.quick ? t.train.first(10000) : t.train, t.test, t.subspace, o.seed, tb);
  progress.clear();
  nlohmann::json& thin_json = (*out)["thin_book"] = nlohmann::json::array();
  for (const ThinBookRun& r : thin) {
    thin_json.push_back({{"d", r.d},
                         {"init_scale", r.init_scale},
                         {"accuracy_projected", r.accuracy_projected},
                         {"accuracy_raw", r.accuracy_raw},
                         {"off_share", r.off_share},
                         {"init_off_share", r.init_off_share},
                         {"off_change", r.off_change},
                         {"attacked", r.attacked},
                         {"median_radius_in_span", finite_or_null(r.radius_in)},
                         {"median_radius_off_span", finite_or_null(r.radius_off)},
                         {"found_in_span", r.found_in},
                         {"found_off_span", r.found_off}});
    char name[32];
    std::snprintf(name, sizeof name, "thin-d%d-s%g", r.d, double(r.init_scale));
    save_trial_model(o, name, r.model, o.seed, "the thin book, d " + std::to_string(r.d));
  }
  if (o.json) return thin_verdicts(&thin, true);
  std::printf("c. the thin book: trained on images confined to the top d directions (+ the mean)\n");
  std::printf("   %4s %5s %9s %9s %9s %9s %10s %12s %12s\n", "d", "init", "acc proj", "acc raw", "W1 off",
              "init off", "off change", "radius in", "radius off");
  for (const ThinBookRun& r : thin)
    std::printf("   %4d %5.2f %8.2f%% %8.2f%% %9.3f %9.3f %10.2e %12.3f %12.3f\n", r.d, double(r.init_scale),
                100 * r.accuracy_projected, 100 * r.accuracy_raw, r.off_share, r.init_off_share, r.off_change,
                double(r.radius_in), double(r.radius_off));
  return thin_verdicts(&thin, true);
}

// d. SGD against Adam: JSON field optimizers.
std::vector<Verdict> run_optimizers(const Trial& t, Progress& progress, nlohmann::json* out) {
  const TrialOptions& o = t.o;
  progress.update("trial: SGD and Adam", 0, 1, "");
  const OptimizersReport opt =
      optimizers_experiment(t.a, t.train, t.test, t.subspace, o.seed, o.quick ? 30 : 200, t.ts);
  progress.clear();
  save_trial_model(o, "adam", opt.adam.model, o.seed, "the recipe with Adam (lr 0.001)");
  auto run_json = [](const OptimizerRun& r) {
    return nlohmann::json{{"accuracy", r.accuracy},
                          {"off_drift", r.off_drift},
                          {"median_minimal_radius", finite_or_null(r.median_radius)}};
  };
  auto pair_json = [](const std::vector<DirectionTransfer>& v, const char* maker, const char* other) {
    nlohmann::json j = nlohmann::json::object();
    for (const DirectionTransfer& d : v)
      j[d.name] = {{std::string("on_") + maker, d.on_a}, {std::string("on_") + other, d.on_b}};
    return j;
  };
  (*out)["optimizers"] = {{"k", opt.k},
                          {"sgd", run_json(opt.sgd)},
                          {"adam", run_json(opt.adam)},
                          {"correct_7s", {{"sgd", opt.correct_sgd}, {"adam", opt.correct_adam}}},
                          {"transfer",
                           {{"sgd_to_adam", pair_json(opt.sgd_to_adam, "sgd", "adam")},
                            {"adam_to_sgd", pair_json(opt.adam_to_sgd, "adam", "sgd")}}}};
  if (o.json) return optimizer_verdicts(&opt);
  std::printf("d. optimizers, the same seed: SGD (momentum) against Adam\n");
  for (const OptimizerRun* r : {&opt.sgd, &opt.adam})
    std::printf("   %-5s accuracy %.2f %%, off-span drift of W1 %.3f, median minimal L2 radius %.3f\n",
                r->name.c_str(), 100 * r->accuracy, r->off_drift, double(r->median_radius));
  std::printf("   %-9s %12s %12s\n", "", "SGD -> Adam", "Adam -> SGD");
  for (size_t i = 0; i < opt.sgd_to_adam.size(); ++i)
    std::printf("   %-9s %11.1f%% %11.1f%%\n", opt.sgd_to_adam[i].name.c_str(), 100 * opt.sgd_to_adam[i].on_b,
                100 * opt.adam_to_sgd[i].on_b);
  return optimizer_verdicts(&opt);
}

// e. Bugs or features: JSON field features.
std::vector<Verdict> run_features(const Trial& t, Progress& progress, nlohmann::json* out) {
  const TrialOptions& o = t.o;
  progress.update("trial: bugs or features", 0, 1, "");
  FeaturesSettings fs;
  if (o.quick) {
    fs.images = 2000;
    fs.steps = 10;
    fs.epochs = 2;
  }
  if (o.push_eps > 0) fs.eps = o.push_eps;
  if (o.push_steps > 0) fs.steps = o.push_steps;
  const uint64_t seed_fresh = o.seed + 2;
  const FeaturesReport feat = features_experiment(t.a.params, t.train, t.test, t.subspace, seed_fresh, fs);
  progress.clear();
  nlohmann::json& j = (*out)["features"];
  j = {{"images", feat.images}, {"eps", fs.eps},      {"steps", fs.steps},
       {"k", feat.k},           {"seed", seed_fresh}, {"chance", 0.1}};
  // Each variant under its own name: features.<variant>.clean_test_accuracy.
  for (const FeaturesVariant& v : feat.variants) {
    j[v.name] = {{"clean_test_accuracy", v.clean_test_accuracy}, {"target_rate_on_a", v.target_rate}};
    save_trial_model(o, "features-" + v.name, v.model, seed_fresh,
                     "trained only on relabelled images (" + v.name + ")");
  }
  if (o.json) return feature_verdicts(&feat);
  std::printf(
      "e. bugs or features: %zu training images pushed towards (y + 1) mod 10 (L2 PGD, eps %.1f, %d steps) "
      "and relabelled; a fresh model trained on each set alone\n",
      feat.images, double(fs.eps), fs.steps);
  for (const FeaturesVariant& v : feat.variants)
    std::printf("   %-9s A reads the new label on %5.1f %%; clean test accuracy %5.1f %% (chance 10 %%)\n",
                v.name.c_str(), 100 * v.target_rate, 100 * v.clean_test_accuracy);
  return feature_verdicts(&feat);
}

bool wants(const TrialOptions& o, Experiment e) {
  const std::string name = experiment_info(e).name;
  return o.only.empty() || std::find(o.only.begin(), o.only.end(), name) != o.only.end();
}

int run(const TrialOptions& o) {
  select_kernels(o.kernels);
  if (!o.out.empty()) {
    create_dir(o.out + "/models");
    check(check_writable(o.out + "/models/seed-a.safetensors"));
  }
  const auto start = std::chrono::steady_clock::now();
  auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  Progress progress(!o.json && stderr_is_terminal());
  Trial t(o, load_split(o.data, Split::kTrain), load_split(o.data, Split::kTest));
  progress.update("trial: the data's span", 0, 1, "");
  t.subspace = data_subspace(t.train);
  t.ts.epochs = kRecipeEpochs;
  t.ts.attack.seed = o.seed;
  // The overlay's pair of the book (the page's default, src/app/books.cpp): Sneaker -> Bag on clothes.
  if (o.dataset == "fashion") t.ts.target = 8;
  if (o.quick) {
    t.ts.epochs = 2;
    t.ts.max_images = 100;
    t.ts.attack.steps = 20;
    t.ts.attack.restarts = 1;
  }
  nlohmann::json report = {{"seed", o.seed}, {"quick", o.quick}};
  if (!o.json)
    std::printf("trial, seed %llu%s: model A is the pretrained model's recipe, %d epochs\n",
                (unsigned long long)o.seed, o.quick ? " (quick)" : "", t.ts.epochs);
  const uint64_t seed_b = o.seed + 1;
  std::optional<TransferReport> tr;
  if (wants(o, Experiment::kTransfer)) {
    // A and B train in lockstep here (A is the same model train_recipe makes: a unit test checks it).
    progress.update("trial: models A and B, transfer", 0, 1, "");
    tr = transfer_experiment(t.train, t.test, t.subspace, o.seed, seed_b, t.ts);
    progress.clear();
    t.a = tr->a;
  } else {
    progress.update("trial: model A", 0, 1, "");
    t.a = train_recipe(t.train, o.seed, t.ts.epochs);
    progress.clear();
  }
  t.a.metadata["epochs"] = std::to_string(t.ts.epochs);
  save_trial_model(o, "seed-a", t.a, o.seed, "model a (the pretrained model's recipe)");
  if (tr) {
    tr->b.metadata["epochs"] = std::to_string(t.ts.epochs);
    save_trial_model(o, "seed-b", tr->b, seed_b, "model b (the pretrained model's recipe)");
  }
  if (wants(o, Experiment::kSpan))
    report_verdicts(o, Experiment::kSpan, run_span(t, progress, &report), &report);
  if (tr) report_verdicts(o, Experiment::kTransfer, report_transfer(t, *tr, seed_b, &report), &report);
  if (wants(o, Experiment::kThinBook))
    report_verdicts(o, Experiment::kThinBook, run_thin(t, progress, &report), &report);
  if (wants(o, Experiment::kOptimizers))
    report_verdicts(o, Experiment::kOptimizers, run_optimizers(t, progress, &report), &report);
  if (wants(o, Experiment::kFeatures))
    report_verdicts(o, Experiment::kFeatures, run_features(t, progress, &report), &report);
  report["seconds"] = seconds();
  if (o.json) {
    print_json(report);
  } else {
    std::printf("%.1f s\n", seconds());
  }
  return 0;
}

}  // namespace

void add_trial_command(CLI::App& app, std::function<int()>& action) {
  auto o = std::make_shared<TrialOptions>();
  CLI::App* cmd = app.add_subcommand(
      "trial", "Experiments that test the explanations of adversarial examples against each other");
  add_data_options(cmd, o->data, &o->dataset);
  cmd->add_option("--seed", o->seed, "Seed of model A and of the attacks")->check(seed_check());
  cmd->add_flag("--quick", o->quick, "Fewer images and attack steps (every experiment still runs)");
  cmd->add_option("--out", o->out, "Folder for models/*.safetensors and minimal-l2.safetensors");
  cmd->add_option("--kernels", o->kernels, "Matrix kernels: auto, portable, avx2, avx512");
  cmd->add_flag("--json", o->json, "Print one JSON object instead of prose");
  std::string names;
  for (const std::string& n : experiment_names()) names += (names.empty() ? "" : ", ") + n;
  cmd->add_option("--only", o->only, "Run only these experiments: " + names)
      ->delimiter(',')
      ->check(CLI::IsMember(experiment_names()));
  cmd->add_option("--push-eps", o->push_eps, "Experiment e: L2 radius of the push (default 2)")
      ->check(CLI::Range(0.01f, 28.0f));
  cmd->add_option("--push-steps", o->push_steps, "Experiment e: PGD steps of the push (default 20, 10 quick)")
      ->check(CLI::Range(1, 1000));
  cmd->callback([o, &action] { action = [o] { return run(*o); }; });
}

}  // namespace bs::cli
