#include "app/panels.h"

#include <imgui.h>

namespace bs::app {

void draw_app(AppState& s, Textures& t) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::Begin("Booksmart", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
  ImGui::Text("Booksmart  |  %s  |  %s  |  %.0f fps", phase_name(s.phase), s.model_source.c_str(), s.fps);
  if (!s.notice.empty()) {
    ImGui::TextColored(ImVec4(1, 0.5f, 0.3f, 1), "%s", s.notice.c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton("dismiss")) s.notice.clear();
  }
  if (ImGui::BeginTabBar("views")) {
    if (ImGui::BeginTabItem("Neurons")) {
      draw_neurons_panel(s, t);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Overlay")) {
      draw_overlay_panel(s, t);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Training")) {
      draw_training_panel(s);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  ImGui::End();
}

}  // namespace bs::app
