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

// Each test draws into a headless interface; a wheel is asked about after two frames (ImGui knows a window's
// scroll range only once it has been drawn).
class WheelTarget : public testing::Test {
 protected:
  template <class F>
  void draw(F f) {
    ui.frame(f);
    ui.frame(f);
  }
  void list_then(int below, bool scroll_list_to_end = false) {
    draw([=] { list_then_lines(below, scroll_list_to_end); });
  }
  Headless ui;
};

TEST_F(WheelTarget, AScrollableListUnderThePointerTakesTheWheel) {
  list_then(0);
  EXPECT_TRUE(wheel_scrolls_figure(100, 100, 0, kDown));
}

TEST_F(WheelTarget, AListAtItsTopLeavesAnUpwardWheelToThePage) {
  list_then(0);
  EXPECT_FALSE(wheel_scrolls_figure(100, 100, 0, kUp));
}

TEST_F(WheelTarget, AListAtItsEndLeavesADownwardWheelToThePage) {
  list_then(0, true);
  list_then(0);
  EXPECT_FALSE(wheel_scrolls_figure(100, 100, 0, kDown));
  EXPECT_TRUE(wheel_scrolls_figure(100, 100, 0, kUp));
}

TEST_F(WheelTarget, AFigureWhoseContentFitsLeavesTheWheelToThePage) {
  list_then(3);
  EXPECT_FALSE(wheel_scrolls_figure(600, 500, 0, kDown));
}

TEST_F(WheelTarget, AFigureTallerThanItsFrameScrollsUntilItsEnd) {
  list_then(200);
  EXPECT_TRUE(wheel_scrolls_figure(600, 500, 0, kDown));
  EXPECT_FALSE(wheel_scrolls_figure(600, 500, 0, kUp));
}

TEST_F(WheelTarget, AChildThatCannotScrollHandsTheWheelToItsParent) {
  draw([] {
    ImGui::BeginChild("short", ImVec2(300, 200), true);
    ImGui::Text("one line");
    ImGui::EndChild();
    for (int i = 0; i < 200; ++i) ImGui::Text("figure line %d", i);
  });
  EXPECT_TRUE(wheel_scrolls_figure(100, 100, 0, kDown));
}

TEST_F(WheelTarget, APointOutsideEveryWindowLeavesTheWheelToThePage) {
  list_then(200);
  EXPECT_FALSE(wheel_scrolls_figure(5000, 5000, 0, kDown));
}

TEST_F(WheelTarget, ASidewaysWheelAsksAboutSidewaysScrolling) {
  list_then(200);
  EXPECT_FALSE(wheel_scrolls_figure(600, 500, kDown, 0)) << "the figure scrolls only vertically";
}

TEST(WheelTargetAlone, WithoutAnInterfaceNothingTakesTheWheel) {
  EXPECT_FALSE(wheel_scrolls_figure(100, 100, 0, kDown));
}

// A headless interface and a state; each frame starts the figure's layout, as draw_app does.
class TouchZones : public testing::Test {
 protected:
  template <class F>
  void frame(F f) {
    ui.frame([&] {
      begin_figure_layout();
      f();
    });
  }
  // A slider of the state table, 200 px wide; returns its top left corner.
  ImVec2 alpha_slider() {
    field_slider(s, "alpha", "alpha", float(s.attack.alpha), 200, "%.2f");
    return ImGui::GetItemRectMin();
  }
  Headless ui;
  AppState s;
};

TEST_F(TouchZones, ASliderTakesAFingerDragOnIt) {
  ImVec2 lo;
  frame([&] { lo = alpha_slider(); });
  EXPECT_TRUE(touch_drags_figure(lo.x + 50, lo.y + 5));
  EXPECT_FALSE(touch_drags_figure(lo.x + 50, lo.y + 300)) << "below the slider the page scrolls";
}

TEST_F(TouchZones, AFrameForgetsTheSlidersOfTheFrameBefore) {
  ImVec2 lo;
  frame([&] { lo = alpha_slider(); });
  frame([] { ImGui::Text("no slider now"); });
  EXPECT_FALSE(touch_drags_figure(lo.x + 50, lo.y + 5));
}

TEST_F(TouchZones, ASliderScrolledOutOfItsPanelTakesNoFinger) {
  ImVec2 lo;
  frame([&] {
    ImGui::BeginChild("panel", ImVec2(300, 100), true);
    ImGui::Dummy(ImVec2(10, 400));  // pushes the slider below the panel's visible part
    lo = alpha_slider();
    ImGui::EndChild();
  });
  EXPECT_FALSE(touch_drags_figure(lo.x + 50, lo.y + 5));
}

}  // namespace
}  // namespace bs::app
