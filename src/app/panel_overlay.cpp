// Overlay: blend the pattern into a correctly classified digit with the alpha slider; the class probabilities
// and the flip point follow.
#include <imgui.h>

#include <cstdio>

#include "app/panels.h"

namespace bs::app {
namespace {

constexpr int kDigitSlot = 300, kPatternSlot = 301, kBlendSlot = 302;

}  // namespace

void draw_overlay_panel(AppState& s, Textures& t) {
  if (s.attack_x.empty() || s.blend.empty()) {
    ImGui::TextUnformatted("Waiting for test images...");
    return;
  }
  int index = int(s.attack_index);
  ImGui::SetNextItemWidth(160);
  if (ImGui::InputInt("test image", &index) && index >= 0 && size_t(index) < s.test.size()) {
    s.attack_index = index;
    s.analysis_dirty = true;
  }
  ImGui::SameLine();
  ImGui::Text("label %d", s.test.label(size_t(s.attack_index)));
  ImGui::SetNextItemWidth(160);
  if (ImGui::SliderInt("target", &s.target, 0, 9)) {
    s.pattern = NeuronId{3, s.target};
    s.analysis_dirty = true;
  }
  ImGui::SameLine();
  if (ImGui::Button("Use selected neuron's pattern")) {
    s.pattern = s.selected;
    s.analysis_dirty = true;
  }
  const float size = 168.0f;
  ImTextureID digit = t.get(kDigitSlot, s.generation, [&] { return grey_rgba(s.attack_x.data(), false); });
  ImTextureID pattern = t.get(kPatternSlot, s.generation, [&] { return diverging_rgba(s.unit.data()); });
  ImTextureID blended = t.get(kBlendSlot, s.generation, [&] { return grey_rgba(s.blend.data(), false); });
  ImGui::Image(digit, ImVec2(size, size));
  ImGui::SameLine();
  ImGui::Image(pattern, ImVec2(size, size));
  ImGui::SameLine();
  ImGui::Image(blended, ImVec2(size, size));
  ImGui::Text("pattern: neuron %s", neuron_name(s.pattern).c_str());

  ImGui::SetNextItemWidth(3 * size + 16);
  if (ImGui::SliderFloat("alpha", &s.alpha, 0.0f, 3.0f, "%.3f")) refresh_overlay(s);
  // Mark the flip point on the slider.
  if (s.flip.flipped) {
    ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
    float w = 3 * size + 16;
    float xpos = min.x + w * (s.flip.alpha / 3.0f);
    ImGui::GetWindowDrawList()->AddLine(ImVec2(xpos, min.y), ImVec2(xpos, max.y), IM_COL32(255, 60, 60, 255), 2.0f);
    ImGui::Text("Flip point: alpha = %.4f (prediction becomes %d with %.1f%% confidence)", s.flip.alpha, s.target,
                100 * s.flip.target_confidence);
  } else {
    ImGui::Text("This pattern does not turn the image into a %d for alpha up to 3", s.target);
  }
  if (ImGui::Checkbox("clip to [0, 1]", &s.clip)) s.analysis_dirty = true;
  ImGui::Separator();
  bool flipped = s.prediction == s.target && s.test.label(size_t(s.attack_index)) != s.target;
  ImGui::Text("Prediction: %d with %.1f%% confidence%s", s.prediction, 100 * s.probs[size_t(s.prediction)],
              flipped ? "  -- flipped!" : "");
  for (int c = 0; c < 10; ++c) {
    char label[16];
    std::snprintf(label, sizeof label, "%d", c);
    ImGui::ProgressBar(s.probs[size_t(c)], ImVec2(3 * size + 16, 14), "");
    ImGui::SameLine();
    ImGui::TextUnformatted(label);
  }
}

}  // namespace bs::app
