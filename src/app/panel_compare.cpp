// Compare: the model on view (book-smart) beside a street-smart one trained here from the same seed with the
// options below; their output patterns, clean accuracy, off-span share and the attack survey.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/field_widgets.h"
#include "app/flow.h"
#include "app/panels.h"

namespace bs::app {
namespace {

void options(AppState& s) {
  const StreetOptions& o = s.compare.options;
  ImGui::TextWrapped("Make it street-smart (applies when you press Train street-smart):");
  const float inner = ImGui::GetStyle().ItemInnerSpacing.x;
  street_slider(s, "weightDecay", "weight decay", "%.4f", 160, /*logarithmic=*/true);
  same_line_if_fits(ImGui::GetFrameHeight() + inner + text_width("decoupled (AdamW-style)"));
  street_checkbox(s, "decoupled", "decoupled (AdamW-style)");
  street_slider(s, "inputNoise", "input noise (std-dev)", "%.2f", 160);
  ImGui::BeginDisabled(o.pgd_epsilon > 0);  // PGD training replaces FGSM training
  street_slider(s, "fgsm", "FGSM epsilon", "%.2f", 160);
  ImGui::EndDisabled();
  same_line_if_fits(160 + inner + text_width("PGD epsilon (0: off)"));
  street_slider(s, "pgd", "PGD epsilon (0: off)", "%.2f", 160);
  same_line_if_fits(160 + inner + text_width("PGD steps"));
  street_slider(s, "pgdSteps", "PGD steps", "%d", 160);
  same_line_if_fits(160 + inner + text_width("initial weight scale"));
  street_slider(s, "initScale", "initial weight scale", "%.2f", 160, /*logarithmic=*/true);
  const bool can = s.train.size() > 0;
  ImGui::BeginDisabled(!can);
  field_button(s, s.compare.trainer ? "Restart street-smart" : "Train street-smart",
               {{"streetReset", true}, {"streetPlaying", true}});
  same_line_if_fits(text_width("Resume it") + 2 * ImGui::GetStyle().FramePadding.x);
  ImGui::BeginDisabled(!s.compare.trainer);
  field_toggle(s, "streetPlaying", "Pause it", "Resume it", s.compare.playing);
  ImGui::EndDisabled();
  ImGui::EndDisabled();
  if (s.compare.trainer) {
    const double epoch = s.train.declared ? double(s.compare.trainer->images_seen()) / s.train.declared : 0.0;
    char progress[64];
    std::snprintf(progress, sizeof progress, "street-smart: epoch %.2f, step %lld", epoch,
                  s.compare.trainer->step());
    same_line_if_fits(text_width(progress));
    ImGui::TextUnformatted(progress);
  }
}

void side_column(AppState& s, Textures& t, int i, const char* title, float tile, float width) {
  const CompareSide& side = s.compare.side[i];
  ImGui::BeginGroup();
  // Text wraps inside its column, so the two columns do not run into each other.
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
  ImGui::TextWrapped("%s", title);
  if (side.key < 0) {
    ImGui::TextDisabled(i ? "(not trained yet: press Train street-smart)" : "(waiting for a model)");
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    return;
  }
  for (int d = 0; d < 10; ++d) {
    if (d % 5) ImGui::SameLine();
    ImGui::Image(t.get(slot(TextureBlock::kCompare, 10 * i + d), ViewKey{s.compare.generation},
                       [&] {
                         return diverging_rgba(side.effective.pattern(NeuronId{3, d}));
                       }),
                 ImVec2(tile, tile));
  }
  ImGui::TextWrapped("clean accuracy %.2f%% (first %zu test images)", 100 * side.accuracy,
                     side.accuracy_images);
  if (side.has_span) {
    ImGui::TextWrapped("off-span share: layer 1 %.0f%%, layer 2 %.0f%%, output %.0f%%",
                       100 * side.span.layers[0].off_share, 100 * side.span.layers[1].off_share,
                       100 * side.span.layers[2].off_share);
  }
  if (side.survey_ready) {
    const AttackSurvey& sv = side.survey;
    ImGui::TextWrapped("%d test %ds attacked towards %d:", sv.images, sv.setup.source, sv.setup.target);
    for (int d = 0; d < kDirectionCount; ++d) {
      const double med = sv.median_flip_alpha(Direction(d));
      char m[32];
      if (std::isfinite(med))
        std::snprintf(m, sizeof m, "%.2f", med);
      else
        std::snprintf(m, sizeof m, "> 3");
      ImGui::TextWrapped("  %-9s flip rate at alpha 1: %5.1f%%   median flip alpha: %s",
                         direction_name(Direction(d)), 100 * sv.rate_at(Direction(d), 1.0f), m);
    }
  } else if (side.job.running()) {
    ImGui::ProgressBar(float(side.job.progress()), ImVec2(std::min(260.0f, width), 0),
                       "attacking the test set...");
  }
  if (side.alignment_ready) {
    const PerceptualAlignment& a = side.alignment_job.result();
    ImGui::TextWrapped(
        "Do its patterns look like the data? cos(pattern, dataset feature): layer 1 %.2f, layer 2 %.2f, "
        "output "
        "%.2f; cos(input gradient, class-mean difference): %.2f",
        a.layer[0], a.layer[1], a.layer[2], a.gradient);
  }
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
}

}  // namespace

void draw_compare_panel(AppState& s, Textures& t) {
  options(s);
  ImGui::Separator();
  if (!s.subspace.ready()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped(
        "(the off-span shares and the attack survey appear once the data subspace is ready: %zu of %u "
        "training images in)",
        s.subspace.builder.done_images(), s.train.declared);
    ImGui::PopStyleColor();
  }
  // Two columns side by side; on a phone one above the other.
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const bool stacked = narrow();
  const float half =
      stacked ? ImGui::GetContentRegionAvail().x : (ImGui::GetContentRegionAvail().x - spacing) / 2;
  const float tile = std::min(64.0f, (half - 4 * spacing) / 5);
  const float column = stacked ? half : half - spacing;
  side_column(s, t, 0, ("Book-smart: " + s.model_label()).c_str(), tile, column);
  if (stacked)
    ImGui::Separator();
  else
    ImGui::SameLine(half + spacing);
  side_column(s, t, 1, "Street-smart (same seed, the options above)", tile, column);
}

}  // namespace bs::app
