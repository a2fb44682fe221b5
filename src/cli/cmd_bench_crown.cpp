// booksmart bench-crown: the bound benchmark's workload (bench/README.md, "Attacks"), natively on one thread:
// CROWN certified margins at one L-infinity radius for each of the first test images, as BoundComputer makes
// them for the page's Robustness view and `booksmart robustness`. Prints each image's smallest margin for
// validation against the PyTorch peer (bench/crown_peer.py), and the time per run (median, min, max).
#include <algorithm>
#include <cstdio>

#include "cli/attack_bench.h"
#include "cli/commands.h"
#include "core/robust/bounds.h"

namespace bs::cli {
namespace {

int run(const AttackBenchOptions& o) {
  const AttackBench b = load_attack_bench(o);
  const Dataset& test = b.test;
  const Mat& x = b.x;
  const int n = b.n();
  BoundComputer bc(b.model.params);
  std::vector<float> margins(static_cast<size_t>(n));
  const RunTimes t = time_runs(o.repeat, [&] {
    for (int i = 0; i < n; ++i) {
      margins[size_t(i)] =
          bc.compute(x.col(i).data(), test.label(size_t(i)), Norm::kLinf, o.eps, BoundMethod::kCrown)
              .margin.minCoeff();
    }
  });
  const long certified = std::count_if(margins.begin(), margins.end(), [](float m) { return m > 0; });
  if (o.json) {
    nlohmann::json j = attack_bench_json(o, n, t);
    j["certified"] = certified;
    j["margins"] = margins;
    print_json(j);
    return 0;
  }
  std::printf(
      "CROWN L-inf eps %.3f over %d test images: %.2f s (min %.2f, max %.2f), %.0f images/s, %ld certified\n",
      double(o.eps), n, t.median, t.min, t.max, n / t.median, certified);
  return 0;
}

}  // namespace

void add_bench_crown_command(CLI::App& app, std::function<int()>& action) {
  auto o = std::make_shared<AttackBenchOptions>();
  CLI::App* cmd =
      app.add_subcommand("bench-crown", "CROWN certified-bound throughput over the test set, single thread");
  o->eps = 0.02f;
  add_attack_bench_options(cmd, *o);
  cmd->callback([o, &action] { action = [o] { return run(*o); }; });
}

}  // namespace bs::cli
