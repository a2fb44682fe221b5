// The vectorised matrix kernels against the plain-loop reference, over shapes that exercise every block and
// every remainder path (rows, columns and the inner dimension not multiples of 4 or 16).
#include <gtest/gtest.h>

#include "tests/unit/matmul_check.h"

namespace bs {
namespace {

TEST(Matmul, ForwardMatchesTheReferenceForEveryBlockShape) {
  for (const auto& s : kernel_shapes()) EXPECT_EQ(check_forward(s), "") << describe(s);
}

TEST(Matmul, WeightGradientMatchesTheReferenceForEveryBlockShape) {
  for (const auto& s : kernel_shapes()) EXPECT_EQ(check_backward_weights(s, false), "") << describe(s);
}

TEST(Matmul, WeightGradientAccumulatesOntoWhatIsThere) {
  for (const auto& s : kernel_shapes()) EXPECT_EQ(check_backward_weights(s, true), "") << describe(s);
}

TEST(Matmul, InputGradientMatchesTheReferenceForEveryBlockShape) {
  for (const auto& s : kernel_shapes()) EXPECT_EQ(check_backward_input(s), "") << describe(s);
}

}  // namespace
}  // namespace bs
