#include "app/figure_layout.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <cmath>

namespace bs::app {
namespace {

FigureLayout& layout() {
  static FigureLayout l;
  return l;
}

LayoutRect to_rect(ImRect r) {
  return {r.Min.x, r.Min.y, r.GetWidth(), r.GetHeight()};
}

bool contains(const LayoutRect& r, float x, float y) {
  return x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height;
}

// The last item's rectangle, cut to what its window shows (an item scrolled out of its panel is under no
// one's finger); empty when none of it shows.
LayoutRect visible_last_item() {
  ImRect r(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  r.ClipWith(ImGui::GetCurrentWindowRead()->ClipRect);
  return r.GetWidth() > 0 && r.GetHeight() > 0 ? to_rect(r) : LayoutRect{};
}

// The topmost window of the last frame containing the point (ImGui's FindHoveredWindow, at a given point
// rather than at the mouse: the event arrives between frames).
ImGuiWindow* window_at(const ImGuiContext& g, ImVec2 p) {
  for (int i = g.Windows.Size - 1; i >= 0; --i) {
    ImGuiWindow* w = g.Windows[i];
    if (!w->Active || w->Hidden || (w->Flags & ImGuiWindowFlags_NoMouseInputs)) continue;
    if (w->OuterRectClipped.Contains(p)) return w;
  }
  return nullptr;
}

bool takes_wheel(const ImGuiWindow* w, int axis) {
  return w->ScrollMax[axis] > 0.0f && !(w->Flags & ImGuiWindowFlags_NoScrollWithMouse);
}

}  // namespace

const FigureLayout& figure_layout() {
  return layout();
}

void begin_figure_layout() {
  layout().touch_zones.clear();
  layout().scrollables.clear();
  layout().tabs.clear();
}

void claim_touch_for_last_item() {
  const LayoutRect r = visible_last_item();
  if (r.width > 0) layout().touch_zones.push_back({r, ImGui::GetItemRectSize().y});
}

void note_scrollable(const char* name) {
  const ImGuiWindow* w = ImGui::GetCurrentWindowRead();
  layout().scrollables.push_back({name, to_rect(w->OuterRectClipped), w->Scroll.y, w->ScrollMax.y});
}

void note_figure_window() {
  const ImGuiWindow* w = ImGui::GetCurrentWindowRead();
  layout().content_width = w->ContentSize.x;
  layout().content_height = w->ContentSize.y + 2 * w->WindowPadding.y;
  // ImGui scrolls sideways when content plus padding exceeds the inner width.
  layout().visible_width = w->InnerRect.GetWidth() - 2 * w->WindowPadding.x;
}

void note_tab(View v) {
  const LayoutRect r = visible_last_item();
  if (r.width > 0) layout().tabs.push_back({v, r});
}

bool wheel_scrolls_figure(float x, float y, float dx, float dy) {
  const ImGuiContext* g = ImGui::GetCurrentContext();
  if (!g) return false;
  ImGuiWindow* w = window_at(*g, ImVec2(x, y));
  if (!w) return false;
  const int axis = std::fabs(dx) > std::fabs(dy) ? 0 : 1;
  const float delta = axis == 0 ? dx : dy;
  if (delta == 0.0f) return false;
  // As ImGui does: a child window that cannot scroll hands the wheel to its parent.
  while ((w->Flags & ImGuiWindowFlags_ChildWindow) && !takes_wheel(w, axis) && w->ParentWindow)
    w = w->ParentWindow;
  if (!takes_wheel(w, axis)) return false;
  // Half a pixel of slack: ImGui's scroll positions are rounded floats.
  return delta > 0 ? w->Scroll[axis] < w->ScrollMax[axis] - 0.5f : w->Scroll[axis] > 0.5f;
}

bool touch_drags_figure(float x, float y) {
  for (const TouchZone& z : layout().touch_zones)
    if (contains(z.rect, x, y)) return true;
  return false;
}

}  // namespace bs::app
