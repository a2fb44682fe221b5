// booksmart bench-pgd: the attack benchmark's workload (bench/README.md, "Attacks"), natively on one thread:
// untargeted PGD in L-infinity with the cross-entropy objective over the test images, every image running all
// steps (no early stop, as PyTorch users run it), in batches of 128. Prints the final iterate's success per
// image for validation against the peer, and the time per run (median, min, max).
#include <cstdio>

#include "cli/attack_bench.h"
#include "cli/commands.h"
#include "core/robust/pgd.h"

namespace bs::cli {
namespace {

struct BenchPgdOptions : AttackBenchOptions {
  int steps = 40;
};

int run(const BenchPgdOptions& o) {
  const AttackBench b = load_attack_bench(o);
  const Model& model = b.model;
  const Mat& x = b.x;
  const int n = b.n();
  const std::vector<Goal> goals = dataset_goals(b.test, b.indices);
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
    nlohmann::json j = attack_bench_json(o, n, t);
    j["steps"] = o.steps;
    j["success"] = success;
    print_json(j);
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
  o->eps = 0.05f;
  add_attack_bench_options(cmd, *o);
  cmd->add_option("--steps", o->steps, "PGD steps")->check(CLI::Range(1, 10000));
  cmd->callback([o, &action] { action = [o] { return run(*o); }; });
}

}  // namespace bs::cli
