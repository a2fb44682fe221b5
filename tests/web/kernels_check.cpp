// The matrix kernels compiled to WebAssembly SIMD, run under node: the same comparisons with the plain-loop
// reference as the native matmul_test.cpp, so the page's arithmetic is checked where it runs.
#include <cstdio>

#include "tests/unit/matmul_check.h"

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
  std::string e = bs::check_elementwise();
  ++checks;
  if (!e.empty()) {
    ++failures;
    std::printf("FAIL %s\n", e.c_str());
  }
  std::printf("%d of %d kernel checks agree with the reference (WebAssembly SIMD)\n", checks - failures, checks);
  return failures ? 1 : 0;
}
