// booksmart bench: the benchmark workload of bench/README.md natively, single thread. Validation first (the
// losses of the first steps from a given initial model, for comparison with the peers), then the timed epoch
// and inference, repeated; medians with min and max.
#include <algorithm>
#include <cstdio>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/peak_flops.h"
#include "core/io/model_files.h"
#include "core/nn/matmul.h"
#include "core/train/bench.h"

namespace bs::cli {
namespace {

struct BenchOptions {
  std::string kernels = "auto";
  std::string data = default_data_dir(), init, write_init;
  uint64_t seed = 1;
  int repeat = 3, validate_steps = 20;
  bool json = false;
};

struct Stats {
  double median, min, max;
};

Stats stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v[v.size() / 2], v.front(), v.back()};
}

nlohmann::json to_json(const Stats& s) {
  return {{"median", s.median}, {"min", s.min}, {"max", s.max}};
}

int run(const BenchOptions& o) {
  select_kernels(o.kernels);
  Model init = o.init.empty() ? make_model(Arch{}, o.seed) : load_model_or_fail(o.init);
  if (!o.write_init.empty()) check(save_model(o.write_init, init));
  Dataset train = load_split(o.data, Split::kTrain);
  Dataset test = load_split(o.data, Split::kTest);
  const Arch a = init.params.arch();

  std::vector<float> losses = bench_validation_losses(init, train, o.validate_steps);
  std::vector<double> train_rate, infer_rate;
  BenchTiming last;
  for (int r = 0; r < o.repeat; ++r) {
    last = bench_throughput(init, train, test);
    train_rate.push_back(double(last.train_samples) / last.train_seconds);
    infer_rate.push_back(double(last.infer_samples) / last.infer_seconds);
  }
  // PGD-5 adversarial training (the Compare view's street-smart option) on 10,000 images.
  const double pgd5 = bench_pgd_training(init, train, 5, 10000);
  Stats tr = stats(train_rate), in = stats(infer_rate);
  const double gflops = tr.median * train_flops_per_sample(a) / 1e9;
  std::vector<Peak> peaks = measure_peaks();
  double best_peak = 0;
  for (const auto& p : peaks) best_peak = std::max(best_peak, p.gflops);

  if (o.json) {
    nlohmann::json pk = nlohmann::json::object();
    for (const auto& p : peaks) pk[p.name] = p.gflops;
    print_json({{"name", "booksmart-native"},
                {"kernels", kernel_isa_name(kernel_isa())},
                {"threads", 1},
                {"batch", kBenchBatch},
                {"lr", kBenchLr},
                {"validation_losses", losses},
                {"train_samples_per_s", tr.median},
                {"train", to_json(tr)},
                {"infer_samples_per_s", in.median},
                {"infer", to_json(in)},
                {"gflops", gflops},
                {"flops_per_train_sample", train_flops_per_sample(a)},
                {"peak_gflops", pk},
                {"share_of_peak", gflops / best_peak},
                {"epoch_loss", last.final_loss},
                {"test_accuracy_after_epoch", last.test_accuracy},
                {"pgd5_train_samples_per_s", pgd5},
                {"repeat", o.repeat}});
    return 0;
  }
  std::printf("validation: %zu steps, loss %.4f -> %.4f\n", losses.size(),
              losses.empty() ? 0.0 : losses.front(), losses.empty() ? 0.0 : losses.back());
  std::printf("kernels: %s\n", kernel_isa_name(kernel_isa()));
  std::printf(
      "train: %.0f samples/s (min %.0f, max %.0f; %d runs of one epoch, batch %d, plain SGD lr %.1f)\n",
      tr.median, tr.min, tr.max, o.repeat, kBenchBatch, double(kBenchLr));
  std::printf("infer: %.0f samples/s (min %.0f, max %.0f)\n", in.median, in.min, in.max);
  std::printf(
      "achieved %.1f GFLOP/s (%.0f flop per training sample), %.1f%% of this core's best measured peak\n",
      gflops, train_flops_per_sample(a), 100 * gflops / best_peak);
  for (const auto& p : peaks) std::printf("  peak %-12s %.1f GFLOP/s\n", p.name.c_str(), p.gflops);
  std::printf("after the epoch: loss %.4f, test accuracy %.2f%%\n", last.final_loss,
              100 * last.test_accuracy);
  return 0;
}

}  // namespace

void add_bench_command(CLI::App& app, std::function<int()>& action) {
  auto o = std::make_shared<BenchOptions>();
  CLI::App* cmd =
      app.add_subcommand("bench", "Training and inference throughput, single thread (bench/README.md)");
  add_data_options(cmd, o->data);
  cmd->add_option("--init", o->init, "Initial model (safetensors); default: a fresh one from --seed");
  cmd->add_option("--seed", o->seed, "Seed of the fresh initial model")->check(seed_check());
  cmd->add_option("--write-init", o->write_init,
                  "Also save the initial model here (for the peers' validation)");
  cmd->add_option("--repeat", o->repeat, "Timed repetitions (median, min, max)")->check(CLI::Range(1, 100));
  cmd->add_option("--validate-steps", o->validate_steps, "Steps whose losses are reported for validation")
      ->check(CLI::Range(0, 900));
  cmd->add_option("--kernels", o->kernels, kKernelsHelp);
  cmd->add_flag("--json", o->json, "Print one JSON object instead of prose");
  cmd->callback([o, &action] { action = [o] { return run(*o); }; });
}

}  // namespace bs::cli
