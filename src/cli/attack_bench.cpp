#include "cli/attack_bench.h"

#include <algorithm>
#include <numeric>

#include "core/nn/matmul.h"

namespace bs::cli {

void add_attack_bench_options(CLI::App* cmd, AttackBenchOptions& o) {
  cmd->add_option("--model", o.model, "Model file (.safetensors)")->required();
  add_data_options(cmd, o.data);
  cmd->add_option("--eps", o.eps, "L-infinity radius");
  cmd->add_option("--count", o.count, "Test images (the first N)")->check(CLI::Range(1, 10000));
  cmd->add_option("--repeat", o.repeat, "Timed repetitions (median, min, max)")->check(CLI::Range(1, 100));
  cmd->add_option("--kernels", o.kernels, kKernelsHelp);
  cmd->add_flag("--json", o.json, "Print one JSON object instead of prose");
}

nlohmann::json attack_bench_json(const AttackBenchOptions& o, int images, const RunTimes& t) {
  return {{"name", "booksmart-native"},
          {"kernels", kernel_isa_name(kernel_isa())},
          {"threads", 1},
          {"images", images},
          {"eps", o.eps},
          {"seconds", t.json()},
          {"images_per_s", images / t.median}};
}

AttackBench load_attack_bench(const AttackBenchOptions& o) {
  select_kernels(o.kernels);
  if (!(o.eps > 0 && o.eps <= 1)) fail("--eps must be in (0, 1], not " + std::to_string(o.eps));
  AttackBench b{load_model_or_fail(o.model), load_split(o.data, Split::kTest), {}, {}};
  b.indices.resize(std::min<size_t>(size_t(o.count), b.test.size()));
  std::iota(b.indices.begin(), b.indices.end(), 0u);
  b.x = dataset_columns(b.test, b.indices);
  return b;
}

}  // namespace bs::cli
