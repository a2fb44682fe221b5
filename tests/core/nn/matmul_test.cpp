// The vectorised matrix kernels against the plain-loop reference, over shapes that exercise every block and
// every remainder path (rows, columns and the inner dimension not multiples of 4 or 16).
#include <gtest/gtest.h>

#include "tests/core/nn/matmul_check.h"

namespace bs {
namespace {

// Runs `check` with every kernel instruction set this CPU has, restoring the default afterwards.
template <class F>
void for_each_isa(F check) {
  const KernelIsa saved = kernel_isa();
  for (KernelIsa isa : {KernelIsa::kPortable, KernelIsa::kAvx2, KernelIsa::kAvx512}) {
    if (!use_kernel_isa(isa)) continue;
    SCOPED_TRACE(kernel_isa_name(isa));
    check();
  }
  use_kernel_isa(saved);
}

TEST(Matmul, ForwardMatchesTheReferenceForEveryBlockShape) {
  for_each_isa([] {
    for (const auto& s : kernel_shapes()) EXPECT_EQ(check_forward(s), "") << describe(s);
  });
}

TEST(Matmul, WeightGradientMatchesTheReferenceForEveryBlockShape) {
  for_each_isa([] {
    for (const auto& s : kernel_shapes()) EXPECT_EQ(check_backward_weights(s, false), "") << describe(s);
  });
}

TEST(Matmul, WeightGradientAccumulatesOntoWhatIsThere) {
  for_each_isa([] {
    for (const auto& s : kernel_shapes()) EXPECT_EQ(check_backward_weights(s, true), "") << describe(s);
  });
}

TEST(Matmul, ReluGateAndByteConversionAreExact) {
  for_each_isa([] { EXPECT_EQ(check_elementwise(), ""); });
}

TEST(Matmul, PortableKernelsAreAlwaysAvailableAndTheDefaultIsTheBest) {
  EXPECT_EQ(kernel_isa(), best_kernel_isa());
  const KernelIsa saved = kernel_isa();
  EXPECT_TRUE(use_kernel_isa(KernelIsa::kPortable));
  use_kernel_isa(saved);
}

TEST(Matmul, InputGradientMatchesTheReferenceForEveryBlockShape) {
  for_each_isa([] {
    for (const auto& s : kernel_shapes()) EXPECT_EQ(check_backward_input(s), "") << describe(s);
  });
}

}  // namespace
}  // namespace bs
