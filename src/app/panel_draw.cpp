// Draw: the reader's own digit. Strokes on a pad (mouse, touch or pen: the platform turns touches into mouse
// events) or a picture dropped on the page, prepared like MNIST, classified, with the neurons it switches on;
// "Attack it" hands it to the Overlay and Attacks views.
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "app/field_widgets.h"
#include "app/figure_layout.h"
#include "app/flow.h"
#include "app/panels.h"

namespace bs::app {
namespace {

void pad(AppState& s, float side, ImTextureID digit) {
  Drawing& d = s.drawing;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("pad", ImVec2(side, side));
  claim_touch_for_last_item();  // a finger draws here instead of scrolling the page
  const float scale = side / float(Drawing::kSize);
  s.ui.draw_area = {p.x, p.y, side, side};
  if (ImGui::IsItemActive() && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    add_stroke_point(d, (m.x - p.x) / scale, (m.y - p.y) / scale, ImGui::IsItemActivated());
    classify_drawing(s);
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p, ImVec2(p.x + side, p.y + side), IM_COL32(0, 0, 0, 255));
  if (d.from_picture && d.has_digit) {
    dl->AddImage(digit, p, ImVec2(p.x + side, p.y + side));
  } else {
    for (const auto& stroke : d.strokes) {
      for (size_t i = 0; i < stroke.size(); ++i) {
        const ImVec2 a(p.x + stroke[i].x * scale, p.y + stroke[i].y * scale);
        dl->AddCircleFilled(a, Drawing::kBrush * scale, IM_COL32(255, 255, 255, 255));
        if (i > 0) {
          const ImVec2 b(p.x + stroke[i - 1].x * scale, p.y + stroke[i - 1].y * scale);
          dl->AddLine(a, b, IM_COL32(255, 255, 255, 255), 2 * Drawing::kBrush * scale);
        }
      }
    }
  }
  dl->AddRect(p, ImVec2(p.x + side, p.y + side), ImGui::GetColorU32(ImGuiCol_Border));
}

}  // namespace

void draw_draw_panel(AppState& s, Textures& t) {
  Drawing& d = s.drawing;
  ImTextureID digit = t.get(slot(TextureBlock::kDrawDigit), ViewKey{0, d.generation},
                            [&] { return grey_rgba(d.digit.data(), false); });
  ImGui::TextWrapped(
      "Draw a digit with the mouse, a finger or a pen, or drop a picture of one on the page. It is "
      "prepared the way MNIST's digits were: fitted into a 20 x 20 box, grey edges, centred by its "
      "centre of mass in 28 x 28.");
  // Beside its reading on a wide figure; on a narrow one the pad takes the width (a finger needs room).
  const float avail = ImGui::GetContentRegionAvail().x;
  const float side = narrow() ? std::min(avail, 300.0f) : std::clamp(avail * 0.45f, 140.0f, 280.0f);
  ImGui::BeginGroup();
  pad(s, side, digit);
  field_button(s, "Clear", {{"clearDrawing", true}});
  ImGui::SameLine();
  ImGui::BeginDisabled(!d.has_digit);
  field_button(s, "Attack it", {{"attackDrawing", true}});
  ImGui::EndDisabled();
  ImGui::EndGroup();
  same_line_if_fits(240);
  ImGui::BeginGroup();
  if (!d.has_digit) {
    ImGui::TextDisabled("(no digit yet)");
    ImGui::EndGroup();
    return;
  }
  ImGui::TextUnformatted("What the network sees (28 x 28)");
  ImGui::Image(digit, ImVec2(112, 112));
  if (d.prediction >= 0) {
    ImGui::TextWrapped("Read as %d with %.1f%% confidence", d.prediction,
                       100 * d.probs[size_t(d.prediction)]);
    for (int c = 0; c < kClasses; ++c) {
      char text[24];
      std::snprintf(text, sizeof text, "%d: %.1f%%", c, 100 * d.probs[size_t(c)]);
      ImGui::ProgressBar(d.probs[size_t(c)], ImVec2(fit(220), 13), text);
    }
    for (int l = 0; l < 2; ++l) {
      ImGui::TextWrapped("Most active in layer %d (click to inspect):", l + 1);
      const auto& idx = d.most_active[size_t(l)];
      for (size_t i = 0; i < idx.size(); ++i) {
        const NeuronId n{l + 1, idx[i]};
        if (i) ImGui::SameLine();
        ImGui::PushID(l * 100 + int(i));
        ImTextureID tex = t.get(slot(TextureBlock::kDrawActive, l * 6 + int(i)),
                                ViewKey{s.analysis.generation, d.generation, n},
                                [&] { return diverging_rgba(s.analysis.effective.pattern(n)); });
        if (ImGui::ImageButton(tex, ImVec2(32, 32)))
          apply_as_set(s, {{"selectedNeuron", neuron_name(n)}, {"view", view_name(View::kNeurons)}});
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("neuron %s", neuron_name(n).c_str());
        ImGui::PopID();
      }
    }
  }
  ImGui::EndGroup();
}

}  // namespace bs::app
