#include "core/util/clock.h"

#include <gtest/gtest.h>

namespace bs::app {
namespace {

TEST(StepWithin, StopsAtTheStepThatFinishesTheWork) {
  int steps = 0;
  EXPECT_TRUE(step_within(now_ms(), 1e9, [&steps] { return ++steps == 5; }));
  EXPECT_EQ(steps, 5);
}

TEST(StepWithin, TakesNoStepOnceTheBudgetIsSpent) {
  int steps = 0;
  EXPECT_FALSE(step_within(now_ms() - 10, 5, [&steps] { return ++steps == 5; }));
  EXPECT_EQ(steps, 0);
}

TEST(StepWithin, TakesItsMinimumStepsWhateverTheClockSays) {
  int steps = 0;
  EXPECT_FALSE(step_within(
      now_ms() - 10, 5, [&steps] { return ++steps == 5; }, 2));
  EXPECT_EQ(steps, 2);
  steps = 0;
  EXPECT_TRUE(step_within(
      now_ms() - 10, 5, [&steps] { return ++steps == 1; }, 2))
      << "done at the first";
  EXPECT_EQ(steps, 1);
}

TEST(StepWithin, StopsWhenTheBudgetRunsOutMidWay) {
  int steps = 0;
  const double start = now_ms();
  EXPECT_FALSE(step_within(start, 20, [&steps] {
    ++steps;
    return false;
  }));
  EXPECT_GE(now_ms() - start, 20);
  EXPECT_GT(steps, 0);
}

}  // namespace
}  // namespace bs::app
