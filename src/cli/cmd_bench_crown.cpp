// booksmart bench-crown: the bound benchmark's workload (bench/README.md, "Attacks"), natively on one thread:
// CROWN certified margins at one L-infinity radius for each of the first test images, as BoundComputer makes
// them for the page's Robustness view and `booksmart robustness`. Prints each image's smallest margin for
// validation against the PyTorch peer (bench/crown_peer.py), and the time per run (median, min, max).
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "cli/commands.h"
#include "cli/common.h"
#include "core/nn/matmul.h"
#include "core/robust/bounds.h"

namespace bs::cli {
namespace {

struct BenchCrownOptions {
  std::string model, data = default_data_dir(), kernels = "auto";
  float eps = 0.02f;
  int repeat = 3, count = 10000;
  bool json = false;
};

int run(const BenchCrownOptions& o) {
  select_kernels(o.kernels);
  if (!(o.eps > 0 && o.eps <= 1)) fail("--eps must be in (0, 1], not " + std::to_string(o.eps));
  const Model model = load_model_or_fail(o.model);
  const Dataset test = load_split(o.data, Split::kTest);
  const int n = int(std::min<size_t>(size_t(o.count), test.size()));
  Mat x(kPixels, n);
  for (int i = 0; i < n; ++i) test.image_floats(size_t(i), x.col(i).data());
  BoundComputer bc(model.params);
  std::vector<float> margins(static_cast<size_t>(n));
  const RunTimes t = time_runs(o.repeat, [&] {
    for (int i = 0; i < n; ++i) {
      const NetworkBounds& b =
          bc.compute(x.col(i).data(), test.label(size_t(i)), Norm::kLinf, o.eps, BoundMethod::kCrown);
      margins[size_t(i)] = b.margin.minCoeff();
    }
  });
  const long certified = std::count_if(margins.begin(), margins.end(), [](float m) { return m > 0; });
  if (o.json) {
    print_json({{"name", "booksmart-native"},
                {"kernels", kernel_isa_name(kernel_isa())},
                {"threads", 1},
                {"images", n},
                {"eps", o.eps},
                {"seconds", t.json()},
                {"images_per_s", n / t.median},
                {"certified", certified},
                {"margins", margins}});
    return 0;
  }
  std::printf(
      "CROWN L-inf eps %.3f over %d test images: %.2f s (min %.2f, max %.2f), %.0f images/s, %ld certified\n",
      double(o.eps), n, t.median, t.min, t.max, n / t.median, certified);
  return 0;
}

}  // namespace

void add_bench_crown_command(CLI::App& app, std::function<int()>& action) {
  auto o = std::make_shared<BenchCrownOptions>();
  CLI::App* cmd =
      app.add_subcommand("bench-crown", "CROWN certified-bound throughput over the test set, single thread");
  cmd->add_option("--model", o->model, "Model file (.safetensors)")->required();
  cmd->add_option("--data", o->data, "Folder with the four MNIST files (raw or .gz)");
  cmd->add_option("--eps", o->eps, "L-infinity radius");
  cmd->add_option("--count", o->count, "Test images (the first N)")->check(CLI::Range(1, 10000));
  cmd->add_option("--repeat", o->repeat, "Timed repetitions (median, min, max)")->check(CLI::Range(1, 100));
  cmd->add_option("--kernels", o->kernels, kKernelsHelp);
  cmd->add_flag("--json", o->json, "Print one JSON object instead of prose");
  cmd->callback([o, &action] { action = [o] { return run(*o); }; });
}

}  // namespace bs::cli
