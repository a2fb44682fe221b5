// Where things are in the last frame drawn, for the page around the figure: which events are the figure's
// (src/platform/web routes the wheel and fingers by it) and what state().layout reports.
//
// A figure that takes every wheel or finger event stops a reader scrolling the article dead on it (inside a
// blog's iframe there is no way past at all). So the figure takes the wheel only where ImGui would scroll
// something that can still move that way, and a finger only where dragging means something to the figure (a
// slider, the Draw pad); everywhere else the page scrolls. The page asks between frames, so it always reads a
// finished frame's layout.
#pragma once

#include <vector>

#include "app/views.h"

namespace bs::app {

// In the interface's coordinates: CSS pixels from the figure's top left.
struct LayoutRect {
  float x = 0, y = 0, width = 0, height = 0;
};
struct ScrollableArea {
  const char* name;  // what a reader would call it, e.g. "neuron grid"
  LayoutRect rect;   // the visible part
  float scroll, scroll_max;
};
struct TouchZone {
  LayoutRect rect;    // the visible part
  float item_height;  // the whole control's height, which is what a fingertip has to hit
};
struct TabPlace {
  View view;
  LayoutRect rect;
};
struct FigureLayout {
  std::vector<TouchZone> touch_zones;  // where a finger's drag is the figure's
  std::vector<ScrollableArea> scrollables;
  std::vector<TabPlace> tabs;
  // The figure's window: how wide and tall its content is (as of the frame before: ImGui measures content as
  // it draws it) and how wide a space it has for it. Content wider than that space would scroll sideways.
  float content_width = 0, content_height = 0, visible_width = 0;
};

const FigureLayout& figure_layout();

// Called by the frame and its widgets: begin empties the lists, the others add the last item or the current
// window.
void begin_figure_layout();
void claim_touch_for_last_item();
void note_scrollable(const char* name);
void note_figure_window();  // the current window is the figure's: its content and visible sizes
void note_tab(View v);

// True when a wheel turned by (dx, dy) at (x, y) (dy > 0 scrolls content down, as the DOM's deltaY) would
// scroll a window of the last frame drawn. It searches the windows in ImGui's own order and walks from a
// child that cannot scroll to its parent as ImGui does. Without an ImGui context nothing wants the wheel.
bool wheel_scrolls_figure(float x, float y, float dx, float dy);
// True when a finger put down at (x, y) is on something the figure drags.
bool touch_drags_figure(float x, float y);

}  // namespace bs::app
