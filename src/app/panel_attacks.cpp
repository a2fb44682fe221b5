// Attacks: the fair comparison. The attacked image (chosen in the Overlay tab) under five directions — the
// target's full effective pattern, its off-span and in-span parts, FGSM and random noise — with the smallest
// flipping alpha and the size of each perturbation; the per-pixel contributions at the full pattern's flip;
// and the flip rate against alpha over every correctly classified test image of the digit.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/flow.h"
#include "app/panels.h"
#include "core/image/plot.h"

namespace bs::app {
namespace {

const char* kDirCaption[kDirectionCount] = {"full pattern", "off-span part", "in-span part", "FGSM sign",
                                            "random (draw 1)"};

// On a narrow figure: the direction (wrapping), its flip point, L2 and Linf; the confidence and RMS columns
// are left to the wide figure and the CSV.
void direction_table(const SubspaceState& lab) {
  const bool slim = narrow();
  const ImGuiTableFlags flags =
      ImGuiTableFlags_Borders | (slim ? ImGuiTableFlags_SizingStretchProp : ImGuiTableFlags_SizingFixedFit);
  if (!ImGui::BeginTable("dirs", slim ? 4 : 6, flags)) return;
  if (slim) {
    ImGui::TableSetupColumn("direction", ImGuiTableColumnFlags_WidthStretch, 2.0f);
    for (const char* h : {"flip alpha", "L2", "Linf"})
      ImGui::TableSetupColumn(h, ImGuiTableColumnFlags_WidthStretch, 1.0f);
  } else {
    for (const char* h : {"direction", "flip alpha", "target confidence", "L2", "Linf", "RMS"})
      ImGui::TableSetupColumn(h);
  }
  ImGui::TableHeadersRow();
  for (int d = 0; d < kDirectionCount; ++d) {
    const FlipPoint& f = lab.image.at[size_t(d)];
    const float share = lab.image.flip_share[size_t(d)];
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    if (slim)
      ImGui::TextWrapped("%s", direction_name(Direction(d)));
    else
      ImGui::TextUnformatted(direction_name(Direction(d)));
    ImGui::TableNextColumn();
    if (share == 0) {
      if (slim)
        ImGui::TextWrapped("no flip up to 3");
      else
        ImGui::TextUnformatted("no flip up to 3");
      continue;
    }
    if (Direction(d) == Direction::kRandom && !slim) {
      ImGui::Text("%.3f (%.0f%% of draws)", f.alpha, 100 * share);
    } else {
      ImGui::Text("%.3f", f.alpha);
    }
    if (!slim) {
      ImGui::TableNextColumn();
      ImGui::Text("%.1f%%", 100 * f.target_confidence);
    }
    const float norms[3] = {f.l2, f.linf, f.rms};
    for (int i = 0; i < (slim ? 2 : 3); ++i) {
      ImGui::TableNextColumn();
      ImGui::Text("%.3f", norms[i]);
    }
  }
  ImGui::EndTable();
}

// Flip rate against alpha, one line per direction (Okabe-Ito colours, as in the CLI's PNG).
void survey_plot(const AttackSurvey& sv, ImVec2 size) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float left = 36, bottom = 20, legend = 120;
  const float w = size.x - left - legend, h = size.y - bottom;
  dl->AddRectFilled(ImVec2(p.x + left, p.y), ImVec2(p.x + left + w, p.y + h), IM_COL32(255, 255, 255, 255));
  for (int t = 0; t <= 4; ++t) {
    const float y = p.y + h - h * float(t) / 4;
    dl->AddLine(ImVec2(p.x + left, y), ImVec2(p.x + left + w, y), IM_COL32(220, 220, 220, 255));
    char b[16];
    std::snprintf(b, sizeof b, "%d%%", 25 * t);
    dl->AddText(ImVec2(p.x, y - 7), ImGui::GetColorU32(ImGuiCol_Text), b);
    const float x = p.x + left + w * float(t) / 4;
    std::snprintf(b, sizeof b, "%.2g", double(sv.setup.alpha_max) * t / 4);
    dl->AddText(ImVec2(x - 8, p.y + h + 4), ImGui::GetColorU32(ImGuiCol_Text), b);
  }
  const size_t n = sv.alphas.size();
  for (int d = 0; d < kDirectionCount; ++d) {
    const Rgb c = series_colour(d);
    const ImU32 col = IM_COL32(c.r, c.g, c.b, 255);
    for (size_t g = 1; g < n; ++g) {
      auto pt = [&](size_t i) {
        return ImVec2(p.x + left + w * float(i) / float(n - 1), p.y + h - h * float(sv.rate[size_t(d)][i]));
      };
      dl->AddLine(pt(g - 1), pt(g), col, 2.0f);
    }
    const float ly = p.y + 6 + 16 * float(d);
    dl->AddLine(ImVec2(p.x + left + w + 10, ly + 6), ImVec2(p.x + left + w + 28, ly + 6), col, 3.0f);
    dl->AddText(ImVec2(p.x + left + w + 32, ly), ImGui::GetColorU32(ImGuiCol_Text),
                direction_name(Direction(d)));
  }
  ImGui::Dummy(size);
}

}  // namespace

void draw_attacks_panel(AppState& s, Textures& t) {
  if (!s.subspace.ready() || !s.has_model() || s.attack.x.empty()) {
    draw_subspace_panel(s, t);  // says what it is waiting for
    return;
  }
  const SubspaceState& lab = s.subspace;
  char what[48];
  if (s.attack.custom) {
    std::snprintf(what, sizeof what, "Your digit");
  } else {
    std::snprintf(what, sizeof what, "Test image #%lld (label %s", s.attack.index,
                  class_text(s.book, s.attack_label()).c_str());
  }
  ImGui::TextWrapped(
      "%s%s predicted %d at %.1f%%) towards %d; off/in-span with k = %d. "
      "Change the image and target in the Overlay tab.",
      what, s.attack.custom ? " (" : ",", lab.image.prediction, 100 * lab.image.confidence, s.attack.target,
      lab.k);
  const float size =
      std::clamp((ImGui::GetContentRegionAvail().x - 5 * ImGui::GetStyle().ItemSpacing.x) / 6, 80.0f, 150.0f);
  for (int d = 0; d < kDirectionCount; ++d) {
    if (d) same_line_if_fits(size);
    ImGui::BeginGroup();
    caption(kDirCaption[d], size);
    ImGui::Image(t.get(slot(TextureBlock::kDirections, d), ViewKey{lab.generation},
                       [&] { return diverging_rgba(lab.image.direction[size_t(d)].data()); }),
                 ImVec2(size, size));
    ImGui::EndGroup();
  }
  if (lab.has_linear) {
    same_line_if_fits(size);
    ImGui::BeginGroup();
    caption("contributions at the flip", size);
    ImGui::Image(t.get(slot(TextureBlock::kDirections, kDirectionCount), ViewKey{lab.generation},
                       [&] { return diverging_rgba(lab.linear.contribution.data()); }),
                 ImVec2(size, size));
    ImGui::EndGroup();
  }
  direction_table(lab);
  remark("alpha: the largest per-pixel step before clipping; L2, Linf, RMS: of the change actually applied",
         /*beside=*/false);
  if (lab.has_linear) {
    const LinearView& v = lab.linear;
    ImGui::TextWrapped(
        "Why the full pattern flips it: logit %d - logit %d rises by %.2f. Summed pixel by pixel "
        "(gradient x change, averaged along the blend) that is %.2f = %.2f along the data's span + %.2f "
        "off it; never-lit pixels give %.2f. %d ReLUs switch on the way.",
        s.attack.target, lab.image.prediction, v.actual, v.total, v.in_span, v.off_span, v.never_lit,
        v.switched);
  }
  ImGui::Separator();
  if (lab.survey_ready) {
    const AttackSurvey& sv = lab.survey;
    ImGui::TextWrapped("Over all %d correctly classified test %ds: flip rate to %d against alpha", sv.images,
                       sv.setup.source, sv.setup.target);
    survey_plot(sv, ImVec2(std::min(ImGui::GetContentRegionAvail().x, 560.0f), 170));
    ImGui::TextWrapped(
        "at alpha = 1: full %.0f%%, off-span %.0f%%, in-span %.0f%%, FGSM %.0f%%, random %.0f%%",
        100 * sv.rate_at(Direction::kFull, 1), 100 * sv.rate_at(Direction::kOffSpan, 1),
        100 * sv.rate_at(Direction::kInSpan, 1), 100 * sv.rate_at(Direction::kFgsm, 1),
        100 * sv.rate_at(Direction::kRandom, 1));
  }
  if (lab.survey_job.running()) {
    ImGui::ProgressBar(float(lab.survey_job.progress()), ImVec2(fit(300), 0), "surveying the test set...");
  }
}

}  // namespace bs::app
