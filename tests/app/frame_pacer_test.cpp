// The frame pacer: the work budget falls while frames come late and comes back while they are on time.
#include "app/frame_pacer.h"

#include <gtest/gtest.h>

namespace bs::app {
namespace {

// Feeds `frames` frames `interval` ms apart, starting at *now.
double run(FramePacer& p, double* now, int frames, double interval) {
  double budget = 0;
  for (int i = 0; i < frames; ++i, *now += interval) budget = p.next(*now);
  return budget;
}

TEST(FramePacer, KeepsTheFullBudgetWhileFramesComeOnTime) {
  FramePacer p;
  double now = 0;
  EXPECT_EQ(run(p, &now, 300, 16.7), FramePacer::kMaxWorkMs);
  EXPECT_NEAR(p.period_ms(), 16.7, 0.01);
}

TEST(FramePacer, LowersTheBudgetWhenMostFramesComeLateAndGivesItBack) {
  FramePacer p;
  double now = 0;
  run(p, &now, 120, 16.7);                                                  // learns the display's period
  for (int i = 0; i < 200; ++i) run(p, &now, 1, i % 3 == 0 ? 16.7 : 33.4);  // two frames in three late
  EXPECT_EQ(p.work_ms(), FramePacer::kMinWorkMs);
  EXPECT_NEAR(p.period_ms(), 16.7, 0.01) << "late frames do not change the measured period";
  const double recovering = run(p, &now, 100, 16.7);
  EXPECT_GT(recovering, FramePacer::kMinWorkMs);
  EXPECT_EQ(run(p, &now, 300, 16.7), FramePacer::kMaxWorkMs);
}

TEST(FramePacer, OneLongPauseDoesNotCutTheBudget) {
  FramePacer p;
  double now = 0;
  run(p, &now, 120, 16.7);
  run(p, &now, 1, 2000);  // a hidden tab, a debugger
  EXPECT_GT(run(p, &now, 1, 16.7), 0.9 * FramePacer::kMaxWorkMs);
}

}  // namespace
}  // namespace bs::app
