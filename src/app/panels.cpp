#include "app/panels.h"

#include <imgui.h>

#include "app/field_widgets.h"
#include "app/figure_layout.h"
#include "app/flow.h"

namespace bs::app {
namespace {

// A button in a row that wraps: small on a wide figure, a fingertip's size on a narrow one.
bool row_button(const char* label, bool first) {
  const bool small = !narrow();
  if (!first) same_line_if_fits(text_width(label) + 2 * ImGui::GetStyle().FramePadding.x);
  return small ? ImGui::SmallButton(label) : ImGui::Button(label);
}

void draw_status_line(AppState& s) {
  if (!s.ui.compact && (training_set_wanted(s) || training_set_wanted_by_worker(s))) {
    ImGui::TextWrapped("%s  |  %s  |  %zu / %zu images  |  %.0f fps", phase_name(s.ui.phase),
                       s.model_label().c_str(), training_set_count(s).size + s.test.size(), kMnistImages,
                       s.ui.status_fps);
  } else if (!s.ui.compact) {
    // The training set is not fetched (an embed of the pretrained model): count what the view uses.
    ImGui::TextWrapped("%s  |  %s  |  %zu / %zu test images  |  %.0f fps", phase_name(s.ui.phase),
                       s.model_label().c_str(), s.test.size(), kMnistTestImages, s.ui.status_fps);
  }
  if (!s.ui.notice.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.75f, 0.25f, 0.0f, 1));
    ImGui::TextWrapped("%s", s.ui.notice.c_str());
    ImGui::PopStyleColor();
    if (row_button("Dismiss", true)) s.ui.notice.clear();
  }
}

// Take-aways: the figure as PNG, the model, any plotted series as CSV. Errors (nothing to export yet) are
// notices.
void draw_export_line(AppState& s) {
  auto ask = [&](const std::string& kind) {
    Status st = request_export(s, kind);
    if (!st.ok()) add_notice(s, st.message());
  };
  // On a phone the row would take several lines above every view: it folds away.
  if (narrow() && !ImGui::CollapsingHeader("Save: PNG, model, CSV")) return;
  ImGui::TextDisabled("Save:");
  if (row_button("PNG of this view", false)) ask("png");
  if (row_button("model (.safetensors)", false)) ask("model");
  same_line_if_fits(text_width("CSV:"));
  ImGui::TextDisabled("CSV:");
  for (const char* series : kCsvSeries)
    if (row_button(series, false)) ask(std::string("csv:") + series);
}

// On a narrow figure the nine tabs would not fit in a row: the views are buttons that wrap over lines, each a
// fingertip's height, the open one highlighted.
void draw_view_buttons(AppState& s) {
  s.ui.view_requested = false;  // nothing to wait for: the open view is s.ui.view itself
  for (size_t i = 0; i < kViews.size(); ++i) {
    const ViewInfo& v = kViews[i];
    const ImGuiStyle& st = ImGui::GetStyle();
    if (i) same_line_if_fits(text_width(v.label) + 2 * st.FramePadding.x);
    const bool open = s.ui.view == v.view;
    if (open) ImGui::PushStyleColor(ImGuiCol_Button, st.Colors[ImGuiCol_ButtonActive]);
    if (ImGui::Button(v.label)) apply_as_set(s, {{"view", v.name}});
    if (open) ImGui::PopStyleColor();
    note_tab(v.view);
  }
  ImGui::Separator();
}

}  // namespace

void draw_app(AppState& s, Textures& t) {
  begin_figure_layout();
  t.begin_frame(s.serial);
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
  // No sideways scrolling: every view lays itself out for the width it has (src/app/flow.h).
  push_figure_style();
  ImGui::Begin("Booksmart", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                   ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
  note_scrollable("figure");
  note_figure_window();
  draw_status_line(s);
  if (!s.ui.embed && !s.ui.compact) draw_export_line(s);
  if (s.ui.embed || s.ui.compact) {
    if (!s.ui.compact) ImGui::Separator();
    view_info(s.ui.view).draw(s, t);
  } else if (narrow()) {
    draw_view_buttons(s);
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
        else if (!s.ui.view_requested && s.ui.view != v.view)
          apply_as_set(s, {{"view", v.name}});  // the reader's click on a tab
        v.draw(s, t);
        ImGui::EndTabItem();
      }
    }
    ImGui::EndTabBar();
  }
  ImGui::End();
  pop_figure_style();
}

}  // namespace bs::app
