#include "app/panels.h"

#include <imgui.h>

#include "app/figure_layout.h"

namespace bs::app {
namespace {

void draw_status_line(AppState& s) {
  ImGui::Text("%s  |  %s  |  %zu / %zu images  |  %.0f fps", phase_name(s.ui.phase), s.model_label().c_str(),
              s.train.size() + s.test.size(), kMnistImages, s.ui.fps);
  if (!s.ui.notice.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.75f, 0.25f, 0.0f, 1));
    ImGui::TextWrapped("%s", s.ui.notice.c_str());
    ImGui::PopStyleColor();
    if (ImGui::SmallButton("Dismiss")) s.ui.notice.clear();
  }
}

// Take-aways: the figure as PNG, the model, any plotted series as CSV. Errors (nothing to export yet) are
// notices.
void draw_export_line(AppState& s) {
  auto ask = [&](const std::string& kind) {
    Status st = request_export(s, kind);
    if (!st.ok()) add_notice(s, st.message());
  };
  ImGui::TextDisabled("Save:");
  ImGui::SameLine();
  if (ImGui::SmallButton("PNG of this view")) ask("png");
  ImGui::SameLine();
  if (ImGui::SmallButton("model (.safetensors)")) ask("model");
  ImGui::SameLine();
  ImGui::TextDisabled("CSV:");
  for (const char* series : kCsvSeries) {
    ImGui::SameLine();
    if (ImGui::SmallButton(series)) ask(std::string("csv:") + series);
  }
}

}  // namespace

void draw_app(AppState& s, Textures& t) {
  begin_figure_layout();
  // The reader's colour scheme (the page passes prefers-color-scheme).
  static int applied = -1;
  if (applied != int(s.ui.dark)) {
    applied = int(s.ui.dark);
    if (s.ui.dark)
      ImGui::StyleColorsDark();
    else
      ImGui::StyleColorsLight();
  }
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  // Narrow screens (phones) scroll sideways inside the figure instead of squeezing the panels.
  ImGui::Begin("Booksmart", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                   ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_HorizontalScrollbar);
  note_scrollable("figure");
  draw_status_line(s);
  if (!s.ui.embed) draw_export_line(s);
  if (s.ui.embed) {
    ImGui::Separator();
    view_info(s.ui.view).draw(s, t);
  } else if (ImGui::BeginTabBar("views", ImGuiTabBarFlags_FittingPolicyScroll)) {
    for (const ViewInfo& v : kViews) {
      ImGuiTabItemFlags flags =
          s.ui.view_requested && s.ui.view == v.view ? ImGuiTabItemFlags_SetSelected : 0;
      const bool open = ImGui::BeginTabItem(v.label, nullptr, flags);
      note_tab(v.view);
      if (open) {
        // A requested view (URL, set()) is applied once its tab is the one drawn; until then clicks wait.
        if (s.ui.view_requested && s.ui.view == v.view)
          s.ui.view_requested = false;
        else if (!s.ui.view_requested)
          s.ui.view = v.view;
        v.draw(s, t);
        ImGui::EndTabItem();
      }
    }
    ImGui::EndTabBar();
  }
  ImGui::End();
}

}  // namespace bs::app
