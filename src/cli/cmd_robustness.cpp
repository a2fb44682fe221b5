// booksmart robustness: for the first N correctly classified test images, the certified radius (IBP, CROWN)
// and the attacks' radii (DeepFool, minimal-radius PGD, Square for L-infinity), their medians, the certified
// and attacked accuracy against eps, and how the seed's overlay pattern compares. --out writes the
// adversarial images as safetensors.
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "cli/attack_strength.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/progress.h"
#include "core/io/file_bytes.h"
#include "core/model/safetensors.h"
#include "core/robust/overlay_compare.h"
#include "core/robust/verifier.h"
#include "core/util/median.h"

namespace bs::cli {
namespace {

struct RobustnessOptions {
  std::string model, data = default_data_dir(), out;
  AttackStrength attack;
  int count = 1000, curve_points = 21;
  double max_eps = -1;  // the curve's range; default: the largest attack radius found
  uint64_t seed = 1;
  bool json = false;
  bool exact = false;  // close each bracket with the complete verifier
  double exact_tolerance = 1e-3, budget = 30;
};

// JSON has no infinity: an attack that found nothing is null.
nlohmann::json radius_json(float r) {
  return std::isfinite(r) ? nlohmann::json(r) : nlohmann::json(nullptr);
}

nlohmann::json image_json(const ImageRobustness& r, Norm norm, const ExactRadius* e, double tolerance) {
  nlohmann::json attacks = {{"pgd", radius_json(r.pgd)}, {"deepfool", radius_json(r.deepfool)}};
  if (norm == Norm::kLinf) attacks["square"] = radius_json(r.square);
  attacks["best"] = radius_json(r.best);
  nlohmann::json j = {{"index", r.index},
                      {"label", r.label},
                      {"certified_radius", {{"ibp", r.ibp}, {"crown", r.crown}}},
                      {"attack_radius", attacks},
                      {"adversarial_prediction", r.adversarial_prediction}};
  if (e) {
    j["certified_radius"]["complete"] = e->certified;
    j["exact_radius"] = {
        {"value", e->closed ? nlohmann::json(e->attack) : nlohmann::json(nullptr)},
        {"lower", e->certified},
        {"upper", std::isfinite(e->attack) ? nlohmann::json(e->attack) : nlohmann::json(nullptr)},
        {"tolerance", tolerance},
        {"closed", e->closed},
        {"probes", e->probes},
        {"seconds", e->seconds}};
  }
  return j;
}

// The complete verifier on each image, from the bracket the bounds and attacks left.
std::vector<ExactRadius> exact_radii(const Model& model, const Dataset& test, const RobustnessReport& rep,
                                     const RobustnessOptions& o, Norm norm, Progress& progress) {
  Verifier v(model.params);
  VerifySettings s;
  s.seed = o.seed;
  std::vector<ExactRadius> out;
  std::vector<float> x(kPixels), point(kPixels);
  for (size_t i = 0; i < rep.images.size(); ++i) {
    progress.update("exact radius", long(i), long(rep.images.size()), "images");
    const ImageRobustness& r = rep.images[i];
    test.image_floats(r.index, x.data());
    std::copy(rep.adversarial.col(long(i)).data(), rep.adversarial.col(long(i)).data() + kPixels,
              point.begin());
    out.push_back(exact_radius(v, x.data(), r.label, norm, r.crown, r.best, point, float(o.exact_tolerance),
                               o.budget, s));
  }
  progress.clear();
  return out;
}

void write_adversarial(const std::string& dir, const RobustnessReport& rep, const Model& model) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) fail("cannot create " + dir + ": " + ec.message());
  const int64_t n = int64_t(rep.images.size());
  std::vector<int32_t> index, label;
  for (const ImageRobustness& r : rep.images) {
    index.push_back(int32_t(r.index));
    label.push_back(r.label);
  }
  // Mat is column-major with one image per column: its memory is already [N, 28, 28] row-major.
  std::map<std::string, std::string> meta = {
      {"norm", norm_name(rep.norm)}, {"content", "booksmart robustness: each image's best adversarial"}};
  if (model.metadata.count("seed")) meta["model_seed"] = model.metadata.at("seed");
  const std::string path = dir + "/adversarial-" + norm_name(rep.norm) + ".safetensors";
  check(write_file(path,
                   encode_safetensors({{"images", "F32", {n, kImageSide, kImageSide}, rep.adversarial.data()},
                                       {"index", "I32", {n}, index.data()},
                                       {"label", "I32", {n}, label.data()}},
                                      meta)));
  if (!stderr_is_terminal()) return;
  std::fprintf(stderr, "wrote %s\n", path.c_str());
}

int run(const RobustnessOptions& o) {
  const RobustnessSettings s = robustness_settings(o.attack);
  const Norm norm = s.norm;
  if (!(o.max_eps == -1 || (std::isfinite(o.max_eps) && o.max_eps > 0)))
    fail("--max-eps must be a positive number, not " + std::to_string(o.max_eps));
  if (!(std::isfinite(o.exact_tolerance) && o.exact_tolerance > 0))
    fail("--exact-tolerance must be a positive number, not " + std::to_string(o.exact_tolerance));
  if (!(std::isfinite(o.budget) && o.budget > 0))
    fail("--budget-s must be a positive number of seconds, not " + std::to_string(o.budget));
  const Model model = load_model_or_fail(o.model);
  const Dataset test = load_split(o.data, Split::kTest);
  const std::vector<uint32_t> indices = first_correct_images(model.params, test, size_t(o.count));
  if (indices.empty()) fail(o.model + " classifies no test image correctly");

  // In chunks, for the progress bar; every image's result depends only on the image and the seed.
  RobustnessReport rep;
  rep.norm = norm;
  rep.adversarial.resize(kPixels, long(indices.size()));
  Progress progress(stderr_is_terminal());
  const size_t chunk = 50;
  for (size_t first = 0; first < indices.size(); first += chunk) {
    progress.update("robustness", long(first), long(indices.size()), "images");
    const std::vector<uint32_t> part(indices.begin() + long(first),
                                     indices.begin() + long(std::min(indices.size(), first + chunk)));
    RobustnessReport r = measure_robustness(model.params, test, part, s);
    rep.adversarial.middleCols(long(first), long(part.size())) = r.adversarial;
    rep.images.insert(rep.images.end(), r.images.begin(), r.images.end());
  }
  progress.clear();
  const float top = largest_attack_radius(rep.images);
  const float max_eps = o.max_eps > 0 ? float(o.max_eps) : top;
  const std::vector<RobustnessPoint> curve = robustness_curve(rep.images, max_eps, o.curve_points);
  const OverlayComparison ov = compare_overlay(model.params, test, rep, s);
  std::vector<ExactRadius> exact;
  if (o.exact) exact = exact_radii(model, test, rep, o, norm, progress);
  int closed = 0;
  double exact_seconds = 0;
  std::vector<double> exact_values;
  for (const ExactRadius& e : exact) {
    closed += e.closed;
    exact_seconds += e.seconds;
    if (e.closed) exact_values.push_back(e.attack);
  }
  if (!o.out.empty()) write_adversarial(o.out, rep, model);

  auto med = [&](float ImageRobustness::*f) { return median_of(rep.images, f); };
  if (o.json) {
    nlohmann::json images = nlohmann::json::array(), points = nlohmann::json::array();
    for (size_t i = 0; i < rep.images.size(); ++i)
      images.push_back(image_json(rep.images[i], norm, o.exact ? &exact[i] : nullptr, o.exact_tolerance));
    for (const RobustnessPoint& p : curve)
      points.push_back(
          {{"eps", p.eps}, {"certified_accuracy", p.certified}, {"attacked_accuracy", p.attacked}});
    nlohmann::json medians = {{"ibp", med(&ImageRobustness::ibp)},
                              {"crown", med(&ImageRobustness::crown)},
                              {"pgd", radius_json(med(&ImageRobustness::pgd))},
                              {"deepfool", radius_json(med(&ImageRobustness::deepfool))}};
    if (norm == Norm::kLinf) medians["square"] = radius_json(med(&ImageRobustness::square));
    nlohmann::json out = {{"norm", norm_name(norm)},
                          {"model", o.model},
                          {"settings", settings_json(o.attack)},
                          {"images", images},
                          {"summary",
                           {{"count", rep.images.size()},
                            {"median_certified", med(&ImageRobustness::crown)},
                            {"median_attack", radius_json(med(&ImageRobustness::best))},
                            {"medians", medians},
                            {"overlay",
                             {{"digit", ov.digit},
                              {"target", ov.target},
                              {"images", ov.images},
                              {"flipped", ov.flipped},
                              {"median_overlay", radius_json(ov.median_overlay)},
                              {"median_targeted_attack", radius_json(ov.median_targeted)},
                              {"median_best_attack", radius_json(ov.median_best)},
                              {"median_ratio", radius_json(ov.median_ratio)}}},
                            {"curve", points}}}};
    if (o.exact) {
      std::vector<double> complete;
      for (const ExactRadius& e : exact) complete.push_back(e.certified);
      out["summary"]["exact"] = {
          {"closed", closed},
          {"tolerance", o.exact_tolerance},
          {"budget_s", o.budget},
          {"median_exact",
           exact_values.empty() ? nlohmann::json(nullptr) : nlohmann::json(median(exact_values))},
          {"median_complete", median(complete)},
          {"seconds", exact_seconds}};
    }
    print_json(out);
    return 0;
  }
  std::printf("%s robustness of %s: %zu correctly classified test images\n", norm_name(norm), o.model.c_str(),
              rep.images.size());
  std::printf("  median certified radius   IBP %.4f   CROWN %.4f\n", med(&ImageRobustness::ibp),
              med(&ImageRobustness::crown));
  std::printf("  median attack radius      PGD %.4f   DeepFool %.4f", med(&ImageRobustness::pgd),
              med(&ImageRobustness::deepfool));
  if (norm == Norm::kLinf && s.square_queries > 0)
    std::printf("   Square %.4f", med(&ImageRobustness::square));
  std::printf("   best %.4f\n", med(&ImageRobustness::best));
  std::printf("  the truth lies between: median gap (best attack - CROWN) %.4f\n",
              med(&ImageRobustness::best) - med(&ImageRobustness::crown));
  if (o.exact)
    std::printf(
        "  exact radius (complete verifier, to %g): closed for %d of %zu images, median %.4f (%.1f s)\n",
        o.exact_tolerance, closed, rep.images.size(), exact_values.empty() ? NAN : median(exact_values),
        exact_seconds);
  std::printf(
      "  overlay pattern (%d -> %d, %d of %d images flipped): median change %.4f, targeted PGD %.4f "
      "(%.2fx)\n",
      ov.digit, ov.target, ov.flipped, ov.images, ov.median_overlay, ov.median_targeted, ov.median_ratio);
  std::printf("  eps      certified  attacked\n");
  for (const RobustnessPoint& p : curve)
    std::printf("  %.4f   %6.1f %%   %6.1f %%\n", p.eps, 100 * p.certified, 100 * p.attacked);
  if (!o.out.empty()) std::printf("wrote %s/adversarial-%s.safetensors\n", o.out.c_str(), norm_name(norm));
  return 0;
}

}  // namespace

void add_robustness_command(CLI::App& app, std::function<int()>& action) {
  auto o = std::make_shared<RobustnessOptions>();
  CLI::App* cmd = app.add_subcommand(
      "robustness",
      "Certified radii (IBP, CROWN) and minimal attacks (PGD, DeepFool, Square) per test image");
  cmd->add_option("--model", o->model, "Model file (.safetensors)")->required();
  add_data_options(cmd, o->data);
  cmd->add_option("--count", o->count, "Images: the first N correctly classified test images")
      ->check(CLI::Range(1, 10000));
  add_attack_strength_options(cmd, o->attack, " per radius probe");
  cmd->add_option("--max-eps", o->max_eps,
                  "Largest radius of the accuracy curve (default: the largest attack radius)");
  cmd->add_option("--curve-points", o->curve_points, "Radii on the accuracy curve")
      ->check(CLI::Range(2, 1000));
  cmd->add_option("--out", o->out, "Folder for adversarial-<norm>.safetensors (images, index, label)");
  cmd->add_flag("--exact", o->exact,
                "Close each bracket with the complete verifier: certified_radius.complete and exact_radius");
  cmd->add_option("--exact-tolerance", o->exact_tolerance,
                  "Width at which a bracket counts as closed (default 1e-3)");
  cmd->add_option("--budget-s", o->budget, "With --exact: seconds per image (default 30)");
  cmd->add_flag("--json", o->json, "Print one JSON object instead of prose");
  cmd->callback([o, &action] { action = [o] { return run(*o); }; });
}

}  // namespace bs::cli
