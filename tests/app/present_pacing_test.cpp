#include "app/present_pacing.h"

#include <gtest/gtest.h>

namespace bs::app {
namespace {

TEST(PresentPacing, PresentsTheFirstChangeAtOnce) {
  const PresentPacing p(50);
  EXPECT_TRUE(p.may_present(0));
}

TEST(PresentPacing, HoldsAChangeNobodyAskedForUntilTheIntervalHasPassed) {
  PresentPacing p(50);
  p.presented(1000);
  EXPECT_FALSE(p.may_present(1016.7));
  EXPECT_FALSE(p.may_present(1049.9));
  EXPECT_TRUE(p.may_present(1050));
}

TEST(PresentPacing, PresentsEveryChangeWhileTheReaderActs) {
  PresentPacing p(50);
  p.presented(1000);
  p.reader_acted(1010);
  EXPECT_TRUE(p.may_present(1016.7));
  p.presented(1016.7);
  EXPECT_TRUE(p.may_present(1033.4));
}

TEST(PresentPacing, HoldsChangesAgainOnceTheReaderWindowHasPassed) {
  PresentPacing p(50, 250);
  p.reader_acted(1000);
  p.presented(1240);
  EXPECT_TRUE(p.may_present(1249));
  EXPECT_FALSE(p.may_present(1251));
}

TEST(PresentPacing, ZeroIntervalPresentsEveryChange) {
  PresentPacing p(0);
  p.presented(1000);
  EXPECT_TRUE(p.may_present(1000));
}

}  // namespace
}  // namespace bs::app
