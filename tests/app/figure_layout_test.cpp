// The wheel and the finger over the figure: the figure takes the wheel only where something inside can still
// scroll that way, and a finger only on what is dragged (sliders, the Draw pad); everywhere else the article
// scrolls.
#include "app/figure_layout.h"

#include <gtest/gtest.h>
#include <imgui.h>

#include "app/field_widgets.h"
#include "tests/app/headless_ui.h"

namespace bs::app {
namespace {

constexpr float kDown = 100.0f, kUp = -100.0f;

// A 300x200 list of 100 lines at the top left of the figure, then `below` more lines in the figure itself.
void list_then_lines(int below, bool scroll_list_to_end = false) {
  ImGui::BeginChild("list", ImVec2(300, 200), true);
  for (int i = 0; i < 100; ++i) ImGui::Text("line %d", i);
  if (scroll_list_to_end) ImGui::SetScrollY(ImGui::GetScrollMaxY());
  ImGui::EndChild();
  for (int i = 0; i < below; ++i) ImGui::Text("figure line %d", i);
}

// Two frames: ImGui knows a window's scroll range only after it has been drawn once.
template <class F>
void draw_twice(Headless& ui, F draw) {
  ui.frame(draw);
  ui.frame(draw);
}

TEST(WheelTarget, AScrollableListUnderThePointerTakesTheWheel) {
  Headless ui;
  draw_twice(ui, [] { list_then_lines(0); });
  EXPECT_TRUE(wheel_scrolls_figure(100, 100, 0, kDown));
}

TEST(WheelTarget, AListAtItsTopLeavesAnUpwardWheelToThePage) {
  Headless ui;
  draw_twice(ui, [] { list_then_lines(0); });
  EXPECT_FALSE(wheel_scrolls_figure(100, 100, 0, kUp));
}

TEST(WheelTarget, AListAtItsEndLeavesADownwardWheelToThePage) {
  Headless ui;
  draw_twice(ui, [] { list_then_lines(0, true); });
  draw_twice(ui, [] { list_then_lines(0); });
  EXPECT_FALSE(wheel_scrolls_figure(100, 100, 0, kDown));
  EXPECT_TRUE(wheel_scrolls_figure(100, 100, 0, kUp));
}

TEST(WheelTarget, AFigureWhoseContentFitsLeavesTheWheelToThePage) {
  Headless ui;
  draw_twice(ui, [] { list_then_lines(3); });
  EXPECT_FALSE(wheel_scrolls_figure(600, 500, 0, kDown));
}

TEST(WheelTarget, AFigureTallerThanItsFrameScrollsUntilItsEnd) {
  Headless ui;
  draw_twice(ui, [] { list_then_lines(200); });
  EXPECT_TRUE(wheel_scrolls_figure(600, 500, 0, kDown));
  EXPECT_FALSE(wheel_scrolls_figure(600, 500, 0, kUp));
}

TEST(WheelTarget, AChildThatCannotScrollHandsTheWheelToItsParent) {
  Headless ui;
  auto draw = [] {
    ImGui::BeginChild("short", ImVec2(300, 200), true);
    ImGui::Text("one line");
    ImGui::EndChild();
    for (int i = 0; i < 200; ++i) ImGui::Text("figure line %d", i);
  };
  draw_twice(ui, draw);
  EXPECT_TRUE(wheel_scrolls_figure(100, 100, 0, kDown));
}

TEST(WheelTarget, APointOutsideEveryWindowLeavesTheWheelToThePage) {
  Headless ui;
  draw_twice(ui, [] { list_then_lines(200); });
  EXPECT_FALSE(wheel_scrolls_figure(5000, 5000, 0, kDown));
}

TEST(WheelTarget, ASidewaysWheelAsksAboutSidewaysScrolling) {
  Headless ui;
  draw_twice(ui, [] { list_then_lines(200); });
  EXPECT_FALSE(wheel_scrolls_figure(600, 500, kDown, 0)) << "the figure scrolls only vertically";
}

TEST(WheelTarget, WithoutAnInterfaceNothingTakesTheWheel) {
  EXPECT_FALSE(wheel_scrolls_figure(100, 100, 0, kDown));
}

// A slider of the state table, 200 px wide; returns its top left corner.
ImVec2 alpha_slider(AppState& s) {
  field_slider(s, "alpha", "alpha", float(s.attack.alpha), 200, "%.2f");
  return ImGui::GetItemRectMin();
}

TEST(TouchZones, ASliderTakesAFingerDragOnIt) {
  Headless ui;
  AppState s;
  ImVec2 lo;
  ui.frame([&] {
    begin_figure_layout();
    lo = alpha_slider(s);
  });
  EXPECT_TRUE(touch_drags_figure(lo.x + 50, lo.y + 5));
  EXPECT_FALSE(touch_drags_figure(lo.x + 50, lo.y + 300)) << "below the slider the page scrolls";
}

TEST(TouchZones, AFrameForgetsTheSlidersOfTheFrameBefore) {
  Headless ui;
  AppState s;
  ImVec2 lo;
  ui.frame([&] {
    begin_figure_layout();
    lo = alpha_slider(s);
  });
  ui.frame([&] {
    begin_figure_layout();
    ImGui::Text("no slider now");
  });
  EXPECT_FALSE(touch_drags_figure(lo.x + 50, lo.y + 5));
}

TEST(TouchZones, ASliderScrolledOutOfItsPanelTakesNoFinger) {
  Headless ui;
  AppState s;
  ImVec2 lo;
  ui.frame([&] {
    begin_figure_layout();
    ImGui::BeginChild("panel", ImVec2(300, 100), true);
    ImGui::Dummy(ImVec2(10, 400));  // pushes the slider below the panel's visible part
    lo = alpha_slider(s);
    ImGui::EndChild();
  });
  EXPECT_FALSE(touch_drags_figure(lo.x + 50, lo.y + 5));
}

}  // namespace
}  // namespace bs::app
