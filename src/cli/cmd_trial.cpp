// booksmart trial: the experiments that test the explanations of adversarial examples against each other
// (docs/trial.md), in the order of the experiment table (core/trial/experiment.h): where minimal
// perturbations live, against the data's global span and each image's tangent space, on model A (the
// pretrained model's recipe from --seed); whether A's attacks transfer to model B (the same recipe from
// --seed + 1); the thin book; SGD against Adam; and models trained only on relabelled adversarial images.
// With --json, one object whose "experiments" hold the trial's one report schema (core/trial/report_json.h),
// keyed by the table's names.
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
#include "core/trial/report_json.h"
#include "core/trial/thin_book.h"
#include "core/trial/tilt.h"
#include "core/trial/transfer.h"
#include "core/util/median.h"

namespace bs::cli {
namespace {

struct TrialOptions {
  std::string data = default_data_dir(), out, kernels = "auto";
  std::string dataset =
      "mnist";  // --dataset: fashion attacks sneakers towards "Bag" instead of 7s towards "0"
  uint64_t seed = 1;
  bool quick = false, json = false;
  bool without_measures = false;  // --without-measures: the page's asset, which does not read them
  std::vector<std::string> only;  // experiments by the page's names; empty: all
  float push_eps = 0;             // experiment e's largest push radius; 0: its default
  int push_steps = 0;             // and its PGD steps at each radius
};

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
  TrialSettings settings;  // cli_trial_settings, with the book's pair
  Model a;
  SeedMeasures measures;  // every experiment's, by the rules' names
};

// One experiment's entry in the report (core/trial/report_json.h: the page's fields for the same result), and
// its verdicts as a line of prose.
// Its measures by the second trial's rules join the run's (JSON "measures": what `booksmart trial-summary`
// reads from each seed's file).
void report_experiment(Trial& t, ExperimentResult r, nlohmann::json* out) {
  r.done = true;
  r.progress = 1;
  r.seed = t.o.seed;
  r.source = t.settings.transfer.source;
  r.target = t.settings.transfer.target;
  const std::vector<Verdict> verdicts = experiment_verdicts(r.experiment, &r, true);
  (*out)["experiments"][experiment_info(r.experiment).name] =
      experiment_json(r.experiment, &r, true, t.settings, verdicts);
  const SeedMeasures m = experiment_measures(r);
  t.measures.quantities.insert(m.quantities.begin(), m.quantities.end());
  t.measures.checks.insert(m.checks.begin(), m.checks.end());
  if (t.o.json) return;
  std::printf("   verdicts:");
  for (const Verdict& v : verdicts)
    std::printf(" %s %s%s", explanation_title(v.explanation), agreement_name(v.agreement),
                &v == &verdicts.back() ? "\n" : ";");
}

// a. Where minimal perturbations live: against the data's global span and each image's tangent space.
void run_span(Trial& t, Progress& progress, nlohmann::json* out) {
  const TrialOptions& o = t.o;
  progress.update("trial: minimal perturbations", 0, 1, "");
  const MinimalSpanSettings& ms = t.settings.span;
  ExperimentResult r;
  r.experiment = Experiment::kSpan;
  r.span = minimal_span(t.a.params, t.train, t.test, t.subspace, ms);
  progress.clear();
  const MinimalSpanReport& span = r.span;
  if (!o.out.empty()) write_minimal(o.out, span, t.test);
  if (!o.json) {
    std::vector<double> free, tangent, complement, linear, over_linear;
    int tangent_found = 0, complement_found = 0;
    for (const MinimalSpanImage& im : span.images) {
      free.push_back(im.radius);
      tangent.push_back(im.tangent_radius);
      complement.push_back(im.complement_radius);
      tangent_found += std::isfinite(im.tangent_radius);
      complement_found += std::isfinite(im.complement_radius);
      linear.push_back(im.linear_radius);
      if (std::isfinite(im.radius) && im.linear_radius > 0)
        over_linear.push_back(im.radius / im.linear_radius);
    }
    const SpanShares& m = span.mean_shares;
    const SpanShares& rs = span.random_shares;
    std::printf(
        "a. minimal L2 perturbations of %zu correctly classified test images (median radius %.3f) against "
        "the "
        "top %d directions (%.1f %% of the variance):\n",
        span.images.size(), median(free), span.k, 100 * span.explained);
    std::printf("   share in the top %d   %5.1f %%   (a random direction: %5.1f %%)\n", span.k, 100 * m.top_k,
                100 * rs.top_k);
    std::printf("   share in the rest     %5.1f %%   (%5.1f %%)\n", 100 * m.rest, 100 * rs.rest);
    std::printf("   share on never-lit    %5.1f %%   (%5.1f %%)\n", 100 * m.never_lit, 100 * rs.never_lit);
    std::printf(
        "   against each image's tangent space (%d nearest same-class training images, %d directions): "
        "share %.1f %% (random %.1f %%)\n",
        ms.neighbours, ms.tangent_dims, 100 * span.mean_tangent_share, 100 * span.random_tangent_share);
    std::printf(
        "   minimal radius, median: free %.3f, in the tangent space %.3f (%d of %zu found), in its "
        "complement %.3f (%d found)\n",
        median(free), median(tangent), tangent_found, span.images.size(), median(complement),
        complement_found);
    std::printf("   the linear estimate (margin / gradient norm), median %.3f; radius over it, median %.3f\n",
                median(linear), median(over_linear));
  }
  report_experiment(t, std::move(r), out);
}

// b. Two seeds: `tr` holds models A and B, trained in lockstep.
void report_transfer(Trial& t, const TransferReport& tr, nlohmann::json* out) {
  const TrialOptions& o = t.o;
  const TransferSettings& ts = t.settings.transfer;
  if (!o.json) {
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
  }
  ExperimentResult r;
  r.experiment = Experiment::kTransfer;
  r.transfer.k = tr.k;
  r.transfer.count_a = tr.count_a;
  r.transfer.count_b = tr.count_b;
  r.transfer.directions = tr.directions;
  r.transfer.cosine = tr.cosine;
  r.transfer.common_norm = tr.common_norm;
  r.transfer.fgsm_eps = tr.fgsm_eps;
  r.transfer.images = tr.images;
  r.transfer_epochs = ts.epochs;
  report_experiment(t, std::move(r), out);
}

// c. The thin book.
void run_thin(Trial& t, Progress& progress, nlohmann::json* out) {
  const TrialOptions& o = t.o;
  const TrialSettings& s = t.settings;
  progress.update("trial: the thin book", 0, 1, "");
  ExperimentResult r;
  r.experiment = Experiment::kThinBook;
  Dataset first;  // --quick trains the thin book's models on the first training images only
  if (s.thin_train_images) first = t.train.first(s.thin_train_images);
  r.thin = thin_book(s.thin_train_images ? first : t.train, t.test, t.subspace, o.seed, s.thin);
  progress.clear();
  for (const ThinBookRun& run : r.thin) {
    char name[32];
    std::snprintf(name, sizeof name, "thin-d%d-s%g", run.d, double(run.init_scale));
    save_trial_model(o, name, run.model, o.seed, "the thin book, d " + std::to_string(run.d));
  }
  if (!o.json) {
    std::printf("c. the thin book: trained on images confined to the top d directions (+ the mean)\n");
    std::printf("   %4s %5s %9s %9s %9s %9s %10s %12s %12s\n", "d", "init", "acc proj", "acc raw", "W1 off",
                "init off", "off change", "radius in", "radius off");
    for (const ThinBookRun& x : r.thin)
      std::printf("   %4d %5.2f %8.2f%% %8.2f%% %9.3f %9.3f %10.2e %12.3f %12.3f\n", x.d,
                  double(x.init_scale), 100 * x.accuracy_projected, 100 * x.accuracy_raw, x.off_share,
                  x.init_off_share, x.off_change, double(x.radius_in), double(x.radius_off));
  }
  report_experiment(t, std::move(r), out);
}

// d. SGD against Adam.
void run_optimizers(Trial& t, Progress& progress, nlohmann::json* out) {
  const TrialOptions& o = t.o;
  progress.update("trial: SGD and Adam", 0, 1, "");
  ExperimentResult r;
  r.experiment = Experiment::kOptimizers;
  r.optimizers = optimizers_experiment(t.a, t.train, t.test, t.subspace, o.seed, t.settings.optimizer_images,
                                       t.settings.transfer);
  progress.clear();
  OptimizersReport& opt = r.optimizers;
  save_trial_model(o, "adam", opt.adam.model, o.seed, "the recipe with Adam (lr 0.001)");
  if (!o.json) {
    std::printf("d. optimizers, the same seed: SGD (momentum) against Adam\n");
    for (const OptimizerRun* x : {&opt.sgd, &opt.adam})
      std::printf("   %-5s accuracy %.2f %%, off-span drift of W1 %.3f, median minimal L2 radius %.3f\n",
                  x->name.c_str(), 100 * x->accuracy, x->off_drift, double(x->median_radius));
    std::printf("   %-9s %12s %12s\n", "", "SGD -> Adam", "Adam -> SGD");
    for (size_t i = 0; i < opt.sgd_to_adam.size(); ++i)
      std::printf("   %-9s %11.1f%% %11.1f%%\n", opt.sgd_to_adam[i].name.c_str(),
                  100 * opt.sgd_to_adam[i].on_b, 100 * opt.adam_to_sgd[i].on_b);
  }
  report_experiment(t, std::move(r), out);
}

// f. Regularisation and tilt: the recipe with each weight decay from the same seed, against model A (decay
// 0).
void run_tilt(Trial& t, Progress& progress, nlohmann::json* out) {
  const TrialOptions& o = t.o;
  progress.update("trial: weight decay and tilt", 0, 1, "");
  ExperimentResult r;
  r.experiment = Experiment::kTilt;
  r.tilt = tilt_experiment(t.a, t.train, t.test, t.subspace, o.seed, t.settings.tilt);
  progress.clear();
  for (const DecayRun& run : r.tilt.runs) {
    if (run.decay == 0.0f) continue;  // model A, written as seed-a
    char name[32];
    std::snprintf(name, sizeof name, "decay-%g", double(run.decay));
    save_trial_model(o, name, run.model, o.seed, std::string("the recipe with weight decay ") + (name + 6));
  }
  if (!o.json) {
    std::printf("f. weight decay: the recipe with decay lambda, the same seed; %d directions in the span\n",
                r.tilt.k);
    std::printf("   %8s %9s %12s %12s %14s %12s\n", "lambda", "accuracy", "W1 off span", "median L2",
                "angle (deg)", "top-k share");
    for (const DecayRun& x : r.tilt.runs)
      std::printf("   %8g %8.2f%% %12.3f %12.3f %14.1f %12.3f\n", double(x.decay), 100 * x.clean_accuracy,
                  x.off_span_norm, x.median_radius, x.median_angle_deg, x.mean_top_k_share);
  }
  report_experiment(t, std::move(r), out);
}

// Experiment e's set `v` as DIR/features-<name>-data.safetensors: images [N, 784] float32 in [0, 1], labels
// (the new ones) and source_labels (the true ones) [N] int64.
void write_push_set(const std::string& dir, const FeaturesVariant& v) {
  const int64_t n = int64_t(v.set.size());
  std::vector<float> images(size_t(n) * kPixels);
  for (size_t i = 0; i < size_t(n); ++i) v.set.image_floats(i, images.data() + i * kPixels);
  std::vector<int64_t> labels(v.set.labels.begin(), v.set.labels.begin() + n),
      source(v.source_labels.begin(), v.source_labels.begin() + n);
  check(write_file(dir + "/features-" + v.name + "-data.safetensors",
                   encode_safetensors({{"images", "F32", {n, kPixels}, images.data()},
                                       {"labels", "I64", {n}, labels.data()},
                                       {"source_labels", "I64", {n}, source.data()}},
                                      {{"content", "booksmart trial: experiment e's set " + v.name}})));
}

// e. Bugs or features: each fresh model starts from seed + 2.
void run_features(Trial& t, Progress& progress, nlohmann::json* out) {
  const TrialOptions& o = t.o;
  FeaturesSettings fs = t.settings.features;
  fs.keep_sets = !o.out.empty();
  progress.update("trial: bugs or features", 0, 1, "");
  const uint64_t seed_fresh = o.seed + 2;
  ExperimentResult r;
  r.experiment = Experiment::kFeatures;
  r.features = features_experiment(t.a.params, t.train, t.test, t.subspace, seed_fresh, fs);
  progress.clear();
  for (FeaturesVariant& v : r.features.variants) {
    save_trial_model(o, "features-" + v.name, v.model, seed_fresh,
                     "trained only on experiment e's set " + v.name);
    if (!o.out.empty()) write_push_set(o.out, v);
    v.set = Dataset();  // the exports are written; the report does not carry the sets
    v.source_labels.clear();
  }
  if (!o.json) {
    std::printf(
        "e. bugs or features: %zu training images pushed (L2 PGD on A, radius %.1f growing by %.1f every %d "
        "steps to %.1f) until A reads the target; a fresh model trained on each set alone\n",
        r.features.images, double(fs.eps_start), double(fs.eps_grow), fs.steps, double(fs.eps_max));
    for (const FeaturesVariant& v : r.features.variants)
      std::printf(
          "   %-13s %6zu of %6zu kept (A reads the target), median push %.2f; clean test accuracy "
          "%5.1f %%\n",
          v.name.c_str(), v.kept, v.attempted, v.median_push_l2, 100 * v.clean_test_accuracy);
  }
  report_experiment(t, std::move(r), out);
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
  t.settings = cli_trial_settings(o.quick, o.seed);
  // The overlay's pair of the book (the page's default, src/app/books.cpp): Sneaker -> Bag on clothes.
  if (o.dataset == "fashion") t.settings.transfer.target = 8;
  if (o.push_eps > 0) t.settings.features.eps_max = o.push_eps;
  if (o.push_steps > 0) t.settings.features.steps = o.push_steps;
  const TransferSettings& ts = t.settings.transfer;
  nlohmann::json report = {{"seed", o.seed},
                           {"quick", o.quick},
                           {"dataset", o.dataset},
                           {"experiments", nlohmann::json::object()}};
  if (!o.json)
    std::printf("trial, seed %llu%s: model A is the pretrained model's recipe, %d epochs\n",
                (unsigned long long)o.seed, o.quick ? " (quick)" : "", ts.epochs);
  const uint64_t seed_b = o.seed + 1;
  std::optional<TransferReport> tr;
  if (wants(o, Experiment::kTransfer)) {
    // A and B train in lockstep here (A is the same model train_recipe makes: a unit test checks it).
    progress.update("trial: models A and B, transfer", 0, 1, "");
    tr = transfer_experiment(t.train, t.test, t.subspace, o.seed, seed_b, ts);
    progress.clear();
    t.a = tr->a;
  } else {
    progress.update("trial: model A", 0, 1, "");
    t.a = train_recipe(t.train, o.seed, ts.epochs);
    progress.clear();
  }
  t.a.metadata["epochs"] = std::to_string(ts.epochs);
  save_trial_model(o, "seed-a", t.a, o.seed, "model a (the pretrained model's recipe)");
  if (tr) {
    tr->b.metadata["epochs"] = std::to_string(ts.epochs);
    save_trial_model(o, "seed-b", tr->b, seed_b, "model b (the pretrained model's recipe)");
  }
  if (wants(o, Experiment::kSpan)) run_span(t, progress, &report);
  if (tr) report_transfer(t, *tr, &report);
  if (wants(o, Experiment::kThinBook)) run_thin(t, progress, &report);
  if (wants(o, Experiment::kOptimizers)) run_optimizers(t, progress, &report);
  if (wants(o, Experiment::kFeatures)) run_features(t, progress, &report);
  if (wants(o, Experiment::kTilt)) run_tilt(t, progress, &report);
  t.measures.seed = o.seed;
  if (!o.without_measures) report["measures"] = measures_json(t.measures);
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
  cmd->add_flag("--without-measures", o->without_measures,
                "Leave the per-image measures out of the JSON (what the page ships as assets/trial.json)");
  std::string names;
  for (const std::string& n : experiment_names()) names += (names.empty() ? "" : ", ") + n;
  cmd->add_option("--only", o->only, "Run only these experiments: " + names)
      ->delimiter(',')
      ->check(CLI::IsMember(experiment_names()));
  cmd->add_option("--push-eps", o->push_eps,
                  "Experiment e: the largest L2 radius a push may grow to (default 8)")
      ->check(CLI::Range(0.5f, 28.0f));
  cmd->add_option("--push-steps", o->push_steps,
                  "Experiment e: PGD steps at each radius of the push (default 10)")
      ->check(CLI::Range(1, 1000));
  cmd->callback([o, &action] { action = [o] { return run(*o); }; });
}

}  // namespace bs::cli
