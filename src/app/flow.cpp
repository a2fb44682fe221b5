#include "app/flow.h"

#include <imgui.h>

#include <algorithm>

namespace bs::app {
namespace {

int pushed_vars = 0;  // what push_figure_style pushed, for pop

}  // namespace

bool narrow() {
  return ImGui::GetMainViewport()->WorkSize.x < kNarrowWidth;
}

float fit(float want) {
  return std::max(1.0f, std::min(want, ImGui::GetContentRegionAvail().x));
}

void same_line_if_fits(float next_width) {
  const float right = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + next_width;
  const float edge = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (right <= edge) ImGui::SameLine();
}

float text_width(const char* text) {
  return ImGui::CalcTextSize(text).x;
}

void caption(const char* text, float width) {
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
  ImGui::TextDisabled("%s", text);
  ImGui::PopTextWrapPos();
}

void remark(const char* text, bool beside) {
  if (beside) same_line_if_fits(text_width(text));
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled("%s", text);
  ImGui::PopTextWrapPos();
}

void push_figure_style() {
  pushed_vars = 0;
  if (!narrow()) return;
  // A frame is the font's height plus twice the vertical padding: make it a fingertip's target.
  const float pad = std::max(4.0f, (kTouchTarget - ImGui::GetFontSize()) / 2);
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(10, pad));
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(8, 8));
  ImGui::PushStyleVar(ImGuiStyleVar_GrabMinSize, 28.0f);
  ImGui::PushStyleVar(ImGuiStyleVar_ScrollbarSize, 16.0f);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(8, 8));
  pushed_vars = 5;
}

void pop_figure_style() {
  ImGui::PopStyleVar(pushed_vars);
  pushed_vars = 0;
}

}  // namespace bs::app
