// booksmart bench-pgd: the attack benchmark's workload (bench/README.md, "Attacks"), natively on one thread:
// untargeted PGD in L-infinity with the cross-entropy objective over the test images, every image running all
// steps (no early stop, as PyTorch users run it), in batches of 128. Prints the final iterate's success per
// image for validation against the peer, and the time per run (median, min, max).
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "cli/commands.h"
#include "cli/common.h"
#include "core/nn/matmul.h"
#include "core/robust/pgd.h"

namespace bs::cli {
namespace {

struct BenchPgdOptions {
  std::string model, data = default_data_dir(), kernels = "auto";
  float eps = 0.05f;
  int steps = 40, repeat = 3, count = 10000;
  bool json = false;
};

int run(const BenchPgdOptions& o) {
  select_kernels(o.kernels);
  if (!(o.eps > 0 && o.eps <= 1)) fail("--eps must be in (0, 1], not " + std::to_string(o.eps));
  const Model model = load_model_or_fail(o.model);
  const Dataset test = load_split(o.data, Split::kTest);
  const int n = int(std::min<size_t>(size_t(o.count), test.size()));
  Mat x(kPixels, n);
  std::vector<Goal> goals;
  for (int i = 0; i < n; ++i) {
    test.image_floats(size_t(i), x.col(i).data());
    goals.push_back({test.label(size_t(i)), -1, uint32_t(i)});
  }
  PgdSettings s;
  s.steps = o.steps;
  s.early_stop = false;
  std::vector<uint8_t> success;
  const RunTimes t = time_runs(o.repeat, [&] {
    success = pgd_attack(model.params, x, goals, std::vector<float>(size_t(n), o.eps), s).success;
  });
  int found = 0;
  for (uint8_t v : success) found += v;
  if (o.json) {
    print_json({{"name", "booksmart-native"},
                {"kernels", kernel_isa_name(kernel_isa())},
                {"threads", 1},
                {"images", n},
                {"eps", o.eps},
                {"steps", o.steps},
                {"seconds", t.json()},
                {"images_per_s", n / t.median},
                {"success", success}});
    return 0;
  }
  std::printf(
      "PGD-%d L-inf eps %.3f over %d test images: %.2f s (min %.2f, max %.2f), %.0f images/s, %d flipped\n",
      o.steps, double(o.eps), n, t.median, t.min, t.max, n / t.median, found);
  return 0;
}

}  // namespace

void add_bench_pgd_command(CLI::App& app, std::function<int()>& action) {
  auto o = std::make_shared<BenchPgdOptions>();
  CLI::App* cmd = app.add_subcommand("bench-pgd", "PGD attack throughput over the test set, single thread");
  cmd->add_option("--model", o->model, "Model file (.safetensors)")->required();
  cmd->add_option("--data", o->data, "Folder with the four MNIST files (raw or .gz)");
  cmd->add_option("--eps", o->eps, "L-infinity radius");
  cmd->add_option("--steps", o->steps, "PGD steps")->check(CLI::Range(1, 10000));
  cmd->add_option("--count", o->count, "Test images (the first N)")->check(CLI::Range(1, 10000));
  cmd->add_option("--repeat", o->repeat, "Timed repetitions (median, min, max)")->check(CLI::Range(1, 100));
  cmd->add_option("--kernels", o->kernels, kKernelsHelp);
  cmd->add_flag("--json", o->json, "Print one JSON object instead of prose");
  cmd->callback([o, &action] { action = [o] { return run(*o); }; });
}

}  // namespace bs::cli
