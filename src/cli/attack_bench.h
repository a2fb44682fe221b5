// What the attack benchmarks (bench-pgd, bench-crown) share: their options, and the first test images as
// float columns under a model, loaded with one-line errors.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/common.h"
#include "core/robust/robustness.h"

namespace bs::cli {

struct AttackBenchOptions {
  std::string model, data = default_data_dir(), kernels = "auto";
  float eps = 0;
  int repeat = 3, count = 10000;
  bool json = false;
};

// --model, --data, --eps, --count, --repeat, --kernels, --json.
void add_attack_bench_options(CLI::App* cmd, AttackBenchOptions& o);

struct AttackBench {
  Model model;
  Dataset test;
  std::vector<uint32_t> indices;  // the first --count test images
  Mat x;                          // (784, n) those images in [0, 1]
  int n() const { return int(indices.size()); }
};

// Selects the kernels, checks --eps and loads the model and the images; fails with a one-line error.
AttackBench load_attack_bench(const AttackBenchOptions& o);

// The --json fields both benchmarks print: who ran (kernels, one thread), over how many images, at which eps,
// and how long it took.
nlohmann::json attack_bench_json(const AttackBenchOptions& o, int images, const RunTimes& t);

}  // namespace bs::cli
