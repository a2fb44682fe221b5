// The matrix kernels compiled to WebAssembly SIMD, run under node: the same comparisons with the plain-loop
// reference as the native matmul_test.cpp, so the page's arithmetic is checked where it runs.
#include <cstdio>

#include "core/model/model.h"
#include "core/train/trainer.h"
#include "tests/core/nn/matmul_check.h"
#include "tests/core/test_util.h"

namespace {

// The growing epoch schedule in 32-bit WebAssembly: 4 << 30 wraps a 32-bit size_t, which once made every
// epoch after the 30th empty. Epoch sizes must be 4, 8, 16, 32, then the full 40 for good.
std::string check_schedule() {
  bs::TrainConfig cfg = bs::default_train_config();
  cfg.start_images = 4;
  cfg.batch = 8;
  bs::Trainer t(cfg, bs::Arch{});
  bs::Model m = bs::make_model(bs::Arch{}, 3);
  bs::Dataset d = bs::test::random_dataset(40, 2);
  d.declared = 40;
  long long before = 0;
  for (int e = 0; e < 40; ++e) {
    t.train_steps(m.params, d, 1000);
    const long long size = t.images_seen() - before, want = e < 4 ? 4LL << e : 40;
    before = t.images_seen();
    if (size != want)
      return "epoch " + std::to_string(e + 1) + " had " + std::to_string(size) + " images, not " +
             std::to_string(want);
  }
  return "";
}

}  // namespace

int main() {
  int failures = 0, checks = 0;
  for (const auto& s : bs::kernel_shapes()) {
    const std::string results[4] = {bs::check_forward(s), bs::check_backward_weights(s, false),
                                    bs::check_backward_weights(s, true), bs::check_backward_input(s)};
    const char* names[4] = {"forward", "backward_weights", "backward_weights(accumulate)", "backward_input"};
    for (int k = 0; k < 4; ++k, ++checks) {
      if (results[k].empty()) continue;
      ++failures;
      std::printf("FAIL %s %s: %s\n", names[k], bs::describe(s).c_str(), results[k].c_str());
    }
  }
  for (const std::string& e : {bs::check_elementwise(), check_schedule()}) {
    ++checks;
    if (!e.empty()) {
      ++failures;
      std::printf("FAIL %s\n", e.c_str());
    }
  }
  std::printf("%d of %d checks agree with the reference (WebAssembly SIMD: kernels, epoch schedule)\n",
              checks - failures, checks);
  return failures ? 1 : 0;
}
