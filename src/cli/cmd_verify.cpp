// booksmart verify: complete verification of the first N test images at one radius. Each is robust (proved:
// no input within eps changes the class), attackable (a counterexample, rechecked in double) or unknown (the
// time budget ran out first). --out writes the counterexamples as safetensors.
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/progress.h"
#include "core/io/file_bytes.h"
#include "core/model/safetensors.h"
#include "core/robust/verifier.h"

namespace bs::cli {
namespace {

struct VerifyOptions {
  std::string model, data = default_data_dir(), out, norm = "linf";
  double eps = -1, budget = 30;
  int count = 100;
  uint64_t seed = 1;
  bool json = false;
};

void write_counterexamples(const std::string& dir, const std::vector<float>& images,
                           const std::vector<int64_t>& index, const VerifyOptions& o) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) fail("cannot create " + dir + ": " + ec.message());
  const int64_t k = int64_t(index.size());
  const std::string path = dir + "/counterexamples.safetensors";
  check(write_file(path,
                   encode_safetensors(
                       {{"images", "F32", {k, kPixels}, images.data()}, {"index", "I64", {k}, index.data()}},
                       {{"norm", o.norm},
                        {"eps", std::to_string(o.eps)},
                        {"content", "booksmart verify: inputs within eps that change the class"}})));
  if (stderr_is_terminal()) std::fprintf(stderr, "wrote %s\n", path.c_str());
}

int run(const VerifyOptions& o) {
  const Norm norm = take(parse_norm(o.norm));
  if (!(std::isfinite(o.eps) && o.eps >= 0 && o.eps <= max_radius(norm, kPixels)))
    fail("--eps " + std::to_string(o.eps) + " is not a radius in [0, " +
         std::to_string(max_radius(norm, kPixels)) + "] for " + norm_name(norm));
  if (!(std::isfinite(o.budget) && o.budget > 0))
    fail("--budget-s must be a positive number of seconds, not " + std::to_string(o.budget));
  const Model model = load_model_or_fail(o.model);
  if (model.params.w1.cols() != kPixels)
    fail(o.model + " takes " + std::to_string(model.params.w1.cols()) + " inputs, not the " +
         std::to_string(kPixels) + " pixels of a test image");
  const Dataset test = load_split(o.data, Split::kTest);
  const size_t n = std::min<size_t>(size_t(o.count), test.size());
  VerifySettings s;
  s.budget_seconds = o.budget;
  s.seed = o.seed;
  Verifier verifier(model.params);
  nlohmann::json images = nlohmann::json::array();
  std::vector<float> found;
  std::vector<int64_t> found_index;
  int counts[3] = {0, 0, 0};
  double total = 0;
  Progress progress(!o.json && stderr_is_terminal());
  std::vector<float> x(kPixels);
  for (size_t i = 0; i < n; ++i) {
    progress.update("verify", long(i), long(n), "images");
    test.image_floats(i, x.data());
    const VerifyResult r = verifier.verify(x.data(), test.label(i), norm, float(o.eps), s);
    ++counts[int(r.status)];
    total += r.seconds;
    nlohmann::json row = {{"index", i},
                          {"label", test.label(i)},
                          {"status", verify_status_name(r.status)},
                          {"seconds", r.seconds},
                          {"nodes", r.nodes}};
    if (r.status == VerifyStatus::kAttackable) {
      row["target"] = r.target;
      row["distance"] = r.counterexample_distance;
      found.insert(found.end(), r.counterexample.begin(), r.counterexample.end());
      found_index.push_back(int64_t(i));
    }
    images.push_back(row);
  }
  progress.clear();
  if (!o.out.empty()) write_counterexamples(o.out, found, found_index, o);
  const nlohmann::json summary = {{"count", n},
                                  {"robust", counts[0]},
                                  {"attackable", counts[1]},
                                  {"unknown", counts[2]},
                                  {"verified_accuracy", double(counts[0]) / double(n)},
                                  {"seconds", total}};
  if (o.json) {
    print_json({{"model", o.model},
                {"norm", norm_name(norm)},
                {"eps", o.eps},
                {"budget_s", o.budget},
                {"images", images},
                {"summary", summary}});
    return 0;
  }
  std::printf("%s eps %g, %s, first %zu test images (budget %g s each):\n", norm_name(norm), o.eps,
              o.model.c_str(), n, o.budget);
  std::printf("  robust %d   attackable %d   unknown %d   verified accuracy %.2f %%   %.1f s\n", counts[0],
              counts[1], counts[2], 100.0 * counts[0] / double(n), total);
  return 0;
}

}  // namespace

void add_verify_command(CLI::App& app, std::function<int()>& action) {
  auto o = std::make_shared<VerifyOptions>();
  CLI::App* cmd = app.add_subcommand(
      "verify", "Complete verification: robust, attackable or unknown for each of the first N test images");
  cmd->add_option("--model", o->model, "Model file (.safetensors)")->required();
  add_data_options(cmd, o->data);
  cmd->add_option("--norm", o->norm, "linf (default) or l2");
  cmd->add_option("--eps", o->eps, "The radius")->required();
  cmd->add_option("--count", o->count, "Images: the first N test images (default 100)")
      ->check(CLI::Range(1, 10000));
  cmd->add_option("--budget-s", o->budget, "Seconds per image before it is reported unknown (default 30)");
  cmd->add_option("--seed", o->seed, "Seed of the attack's random starts")->check(seed_check());
  cmd->add_option("--out", o->out, "Folder for counterexamples.safetensors");
  cmd->add_flag("--json", o->json, "Print one JSON object instead of prose");
  cmd->callback([o, &action] { action = [o] { return run(*o); }; });
}

}  // namespace bs::cli
