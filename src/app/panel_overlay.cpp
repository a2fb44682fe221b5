// Overlay: blend the pattern into a correctly classified digit with the alpha slider; the class probabilities
// and the flip point follow.
#include <imgui.h>

#include <cstdio>

#include "app/field_widgets.h"
#include "app/panels.h"

namespace bs::app {
namespace {

constexpr int kDigitSlot = 300, kPatternSlot = 301, kBlendSlot = 302;

void browse(AppState& s, int step) {
  s.attack_custom = false;
  const Dataset& data = s.analysis_data();
  auto found = next_correct(s.shown().params, data, s.attack_digit, size_t(std::max(0LL, s.attack_index)), step);
  if (found.ok()) {
    s.attack_index = (long long)found.value();
    s.analysis_dirty = true;
  } else {
    add_notice(s, found.error());
  }
}

void chooser(AppState& s) {
  field_slider(s, "digit", "digit", s.attack_digit, 110);
  ImGui::SameLine();
  if (ImGui::ArrowButton("##prev", ImGuiDir_Left)) browse(s, -1);
  ImGui::SameLine();
  if (ImGui::ArrowButton("##next", ImGuiDir_Right)) browse(s, +1);
  ImGui::SameLine();
  if (s.attack_custom) {
    ImGui::Text("your own digit (read as %d when you chose it)", s.custom_label);
  } else {
    ImGui::Text("test image #%lld (label %d)", s.attack_index, s.attack_label());
  }
  field_slider(s, "target", "target", s.target, 110);
  ImGui::SameLine();
  if (ImGui::Button("Use the selected neuron's pattern")) {
    s.pattern = s.selected;
    s.analysis_dirty = true;
  }
}

void alpha_slider(AppState& s, float width) {
  field_slider(s, "alpha", "alpha", s.alpha, width, "%.3f");
  if (!s.flip.flipped) {
    ImGui::Text("This pattern does not turn the image into a %d for alpha up to %.0f.", s.target, kAlphaMax);
    return;
  }
  // The flip point as a red tick on the slider.
  ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
  const float grab = ImGui::GetStyle().GrabMinSize;
  float x = min.x + grab / 2 + (width - grab) * (s.flip.alpha / kAlphaMax);
  ImGui::GetWindowDrawList()->AddLine(ImVec2(x, min.y - 3), ImVec2(x, max.y + 3), IM_COL32(220, 30, 30, 255), 3.0f);
  ImGui::Text("Flip point: alpha = %.4f, where the prediction becomes %d (%.1f%% confident)", s.flip.alpha, s.target,
              100 * s.flip.target_confidence);
}

void probabilities(AppState& s, float width) {
  const int label = s.attack_label();
  const bool flipped = s.prediction == s.target && label != s.target;
  if (flipped) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.8f, 0.1f, 0.1f, 1));
  ImGui::Text("Prediction: %d with %.1f%% confidence%s", s.prediction, 100 * s.probs[size_t(s.prediction)],
              flipped ? "  -- flipped: the network now sees a different digit" : "");
  if (flipped) ImGui::PopStyleColor();
  for (int c = 0; c < kClasses; ++c) {
    char text[32];
    std::snprintf(text, sizeof text, "%d: %.1f%%", c, 100 * s.probs[size_t(c)]);
    const bool hl = c == s.prediction;
    if (hl) ImGui::PushStyleColor(ImGuiCol_PlotHistogram, ImVec4(0.85f, 0.35f, 0.1f, 1));
    ImGui::ProgressBar(s.probs[size_t(c)], ImVec2(width, 15), text);
    if (hl) ImGui::PopStyleColor();
  }
}

}  // namespace

void draw_overlay_panel(AppState& s, Textures& t) {
  if (s.attack_x.empty() || s.blend.empty()) {
    ImGui::TextUnformatted("Waiting for test images...");
    return;
  }
  chooser(s);
  const float size = 168.0f, width = 3 * size + 2 * ImGui::GetStyle().ItemSpacing.x;
  ImTextureID digit = t.get(kDigitSlot, s.generation, [&] { return grey_rgba(s.attack_x.data(), false); });
  ImTextureID pattern = t.get(kPatternSlot, s.generation, [&] { return diverging_rgba(s.unit.data()); });
  ImTextureID blended = t.get(kBlendSlot, s.overlay_generation, [&] { return grey_rgba(s.blend.data(), false); });
  const char* captions[3] = {"the digit", "the pattern", "digit + alpha x pattern"};
  ImTextureID images[3] = {digit, pattern, blended};
  for (int i = 0; i < 3; ++i) {
    if (i) ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::TextDisabled("%s", captions[i]);
    ImGui::Image(images[i], ImVec2(size, size));
    ImGui::EndGroup();
  }
  ImGui::Text("pattern: effective weights of neuron %s%s", neuron_name(s.pattern).c_str(),
              s.pattern.layer == 3 ? " (an output neuron)" : "");
  alpha_slider(s, width);
  if (ImGui::Checkbox("clip to [0, 1]", &s.clip)) s.analysis_dirty = true;
  ImGui::Separator();
  probabilities(s, width);
}

}  // namespace bs::app
