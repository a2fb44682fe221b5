// Overlay: blend the pattern into a correctly classified digit with the alpha slider; the class probabilities
// and the flip point follow.
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "app/field_widgets.h"
#include "app/flow.h"
#include "app/panels.h"

namespace bs::app {
namespace {

void chooser(AppState& s) {
  field_slider(s, "digit", s.book == Book::kMnist ? "digit" : "class", s.attack.digit, 110);
  ImGui::SameLine();
  if (ImGui::ArrowButton("##prev", ImGuiDir_Left)) apply_as_set(s, {{"browseImage", "previous"}});
  ImGui::SameLine();
  if (ImGui::ArrowButton("##next", ImGuiDir_Right)) apply_as_set(s, {{"browseImage", "next"}});
  same_line_if_fits(text_width("test image #0000 (label 0)"));
  if (s.attack.custom) {
    ImGui::TextWrapped("your own drawing (read as %s when you chose it)",
                       class_text(s.book, s.attack.custom_label).c_str());
  } else {
    ImGui::TextWrapped("test image #%lld (label %s)", s.attack.index,
                       class_text(s.book, s.attack_label()).c_str());
  }
  field_slider(s, "target", "target", s.attack.target, 110);
  same_line_if_fits(text_width("Use the selected neuron's pattern") + 2 * ImGui::GetStyle().FramePadding.x);
  field_button(s, "Use the selected neuron's pattern", {{"pattern", neuron_name(s.ui.selected)}});
}

void alpha_slider(AppState& s, float width) {
  field_slider(s, "alpha", "alpha", s.attack.alpha, width, "%.3f");
  if (!s.attack.flip.flipped) {
    ImGui::TextWrapped("This pattern does not turn the image into a %s for alpha up to %.0f.",
                       class_text(s.book, s.attack.target).c_str(), kAlphaMax);
    return;
  }
  // The flip point as a red tick on the slider.
  ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
  const float grab = ImGui::GetStyle().GrabMinSize;
  float x = min.x + grab / 2 + (width - grab) * (s.attack.flip.alpha / kAlphaMax);
  ImGui::GetWindowDrawList()->AddLine(ImVec2(x, min.y - 3), ImVec2(x, max.y + 3), IM_COL32(220, 30, 30, 255),
                                      3.0f);
  ImGui::TextWrapped("Flip point: alpha = %.4f, where the prediction becomes %s (%.1f%% confident)",
                     s.attack.flip.alpha, class_text(s.book, s.attack.target).c_str(),
                     100 * s.attack.flip.target_confidence);
}

void probabilities(AppState& s, float width) {
  const int label = s.attack_label();
  const bool flipped = s.attack.prediction == s.attack.target && label != s.attack.target;
  if (flipped) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.8f, 0.1f, 0.1f, 1));
  ImGui::TextWrapped("Prediction: %s with %.1f%% confidence%s",
                     class_text(s.book, s.attack.prediction).c_str(),
                     100 * s.attack.probs[size_t(s.attack.prediction)],
                     flipped ? "  -- flipped: the network now sees another class" : "");
  if (flipped) ImGui::PopStyleColor();
  for (int c = 0; c < kClasses; ++c) {
    char text[48];
    std::snprintf(text, sizeof text, "%s: %.1f%%", class_text(s.book, c).c_str(),
                  100 * s.attack.probs[size_t(c)]);
    const bool hl = c == s.attack.prediction;
    if (hl) ImGui::PushStyleColor(ImGuiCol_PlotHistogram, ImVec4(0.85f, 0.35f, 0.1f, 1));
    ImGui::ProgressBar(s.attack.probs[size_t(c)], ImVec2(width, 15), text);
    if (hl) ImGui::PopStyleColor();
  }
}

}  // namespace

void draw_overlay_panel(AppState& s, Textures& t) {
  if (s.attack.x.empty() || s.attack.blend.empty()) {
    ImGui::TextUnformatted("Waiting for test images...");
    return;
  }
  chooser(s);
  // Three pictures in a row, 168 px each, smaller when the figure is narrow.
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float size = std::clamp((ImGui::GetContentRegionAvail().x - 2 * spacing) / 3, 60.0f, 168.0f);
  const float width = 3 * size + 2 * spacing;
  ImTextureID digit = t.get(slot(TextureBlock::kOverlay, 0), ViewKey{s.analysis.generation},
                            [&] { return grey_rgba(s.attack.x.data(), false); });
  ImTextureID pattern = t.get(slot(TextureBlock::kOverlay, 1), ViewKey{s.analysis.generation},
                              [&] { return diverging_rgba(s.attack.unit.data()); });
  ImTextureID blended =
      t.get(slot(TextureBlock::kOverlay, 2), ViewKey{s.analysis.generation, s.attack.blend_generation},
            [&] { return grey_rgba(s.attack.blend.data(), false); });
  const bool digits = s.book == Book::kMnist;
  const char* captions[3] = {digits ? "the digit" : "the image", "the pattern",
                             digits ? "digit + alpha x pattern" : "image + alpha x pattern"};
  ImTextureID images[3] = {digit, pattern, blended};
  for (int i = 0; i < 3; ++i) {
    if (i) same_line_if_fits(size);
    ImGui::BeginGroup();
    caption(captions[i], size);
    ImGui::Image(images[i], ImVec2(size, size));
    ImGui::EndGroup();
  }
  ImGui::TextWrapped("pattern: effective weights of neuron %s%s", neuron_name(s.attack.pattern).c_str(),
                     s.attack.pattern.layer == 3 ? " (an output neuron)" : "");
  alpha_slider(s, width);
  field_checkbox(s, "clip", "clip to [0, 1]", s.attack.clip);
  ImGui::Separator();
  probabilities(s, width);
}

}  // namespace bs::app
