// Subspace: the selected neuron's effective weights split into the part inside the span of the training
// images (top-k principal directions) and the part outside it, beside its dataset-derived feature; per layer,
// how much of the weights lies outside and how much of that is still the random initialisation.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

#include "app/field_widgets.h"
#include "app/flow.h"
#include "app/panels.h"

namespace bs::app {
namespace {

const char* kLayerNames[3] = {"layer 1", "layer 2", "output"};

bool lab_waiting(AppState& s, const char* what) {
  if (s.subspace.ready() && s.has_model() && s.analysis.effective.layer[0].size()) return false;
  if (!s.train.complete()) {
    ImGui::TextWrapped("%s needs all 60,000 training images: %zu have arrived.", what, s.train.size());
  } else {
    ImGui::TextWrapped("Finding the principal directions of the 60,000 training images...");
    ImGui::ProgressBar(float(s.subspace.builder.done_images()) / float(std::max<size_t>(1, s.train.size())),
                       ImVec2(fit(300), 0));
  }
  return true;
}

void k_slider(AppState& s) {
  field_slider(s, "k", "k (principal directions)", s.subspace.k, 260);
  char held[64];
  std::snprintf(held, sizeof held, "hold %.1f%% of the pixel variance",
                100 * s.subspace.basis.explained(s.subspace.k));
  same_line_if_fits(text_width(held));
  ImGui::TextUnformatted(held);
  same_line_if_fits(text_width("95%") + 2 * ImGui::GetStyle().FramePadding.x);
  if (narrow() ? ImGui::Button("95%") : ImGui::SmallButton("95%"))
    apply_as_set(s, {{"k", s.subspace.basis.k_for(0.95)}});
}

// On a narrow figure the table turns on its side: a row per measure (its name wrapping), a column per layer.
void layer_table_narrow(const AppState& s) {
  if (!ImGui::BeginTable("layers", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchProp)) return;
  ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch, 2.0f);
  for (const char* l : kLayerNames) ImGui::TableSetupColumn(l, ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableHeadersRow();
  const char* measures[4] = {"off-span share", "initial weights' off-span", "change inside span",
                             "off-span drift"};
  for (int m = 0; m < 4; ++m) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", measures[m]);
    for (int l = 0; l < 3; ++l) {
      const SpanSplit& sp = s.subspace.report.layers[l];
      const double v[4] = {sp.off_share, sp.init_off_share, sp.change_in_share, sp.off_drift};
      ImGui::TableNextColumn();
      ImGui::Text("%.1f%%", 100 * v[m]);
    }
  }
  ImGui::EndTable();
}

void layer_table(const AppState& s) {
  if (narrow()) return layer_table_narrow(s);
  if (!ImGui::BeginTable("layers", 5, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) return;
  for (const char* h :
       {"layer", "off-span share", "initial weights' off-span", "change inside span", "off-span drift"})
    ImGui::TableSetupColumn(h);
  ImGui::TableHeadersRow();
  for (int l = 0; l < 3; ++l) {
    const SpanSplit& sp = s.subspace.report.layers[l];
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(kLayerNames[l]);
    for (double v : {sp.off_share, sp.init_off_share, sp.change_in_share, sp.off_drift}) {
      ImGui::TableNextColumn();
      ImGui::Text("%.1f%%", 100 * v);
    }
  }
  ImGui::EndTable();
}

}  // namespace

void draw_subspace_panel(AppState& s, Textures& t) {
  if (lab_waiting(s, "The data subspace")) return;
  const SubspaceState& lab = s.subspace;
  k_slider(s);
  if (lab.split_in.empty()) {
    ImGui::TextDisabled("(splitting the selected neuron...)");
    return;
  }
  // The neuron and k the split was made for (a new selection or k shows from the next frame).
  const ViewKey key = lab.split_key;
  const NeuronId n = key.neuron;
  const float* w = s.analysis.effective.pattern(n);
  const SpanSplit& sp = lab.report.neurons[n.layer - 1][size_t(n.index)];
  ImGui::TextWrapped(
      "Neuron %s (pick another in the Neurons tab):  |whole| %.3f = in-span %.3f (+) off-span %.3f  "
      "(off-span share %.0f%%)",
      neuron_name(n).c_str(), sp.norm, sp.in_norm, sp.off_norm, 100 * sp.off_share);
  const float size =
      std::clamp((ImGui::GetContentRegionAvail().x - 4 * ImGui::GetStyle().ItemSpacing.x) / 5, 90.0f, 200.0f);
  struct Tile {
    int slot;
    const char* caption;
    std::function<std::vector<uint8_t>()> make;
  } tiles[] = {
      {slot(TextureBlock::kSubspace, 0), "effective weights", [&] { return diverging_rgba(w); }},
      {slot(TextureBlock::kSubspace, 1), "in-span part", [&] { return diverging_rgba(lab.split_in.data()); }},
      {slot(TextureBlock::kSubspace, 2), "off-span part",
       [&] { return diverging_rgba(lab.split_off.data()); }},
      {slot(TextureBlock::kSubspace, 3), "dataset feature",
       [&] { return grey_rgba(s.analysis.stats.feature_image(n), true); }},
      {slot(TextureBlock::kSubspace, 4), "never-lit pixels",
       [&] {
         std::vector<float> m(kPixels);
         for (int i = 0; i < kPixels; ++i) m[size_t(i)] = lab.basis.never_lit[size_t(i)] ? 1.0f : 0.0f;
         return grey_rgba(m.data(), false);
       }},
  };
  for (int i = 0; i < 5; ++i) {
    if (i) same_line_if_fits(size);  // five in a row, or as many as fit
    ImGui::BeginGroup();
    caption(tiles[i].caption, size);
    ImGui::Image(t.get(tiles[i].slot, key, tiles[i].make), ImVec2(size, size));
    ImGui::EndGroup();
  }
  ImGui::TextWrapped(
      "Training moves weights only along combinations of training images, so the in-span part is "
      "what the data shaped and the off-span part is mostly the random initialisation that survived. "
      "%d pixels are dark in every training image (white above); their layer-1 weights changed by %g "
      "since initialisation.",
      lab.basis.never_lit_count(), lab.never_lit_change);
  ImGui::Separator();
  if (!s.shown().has_init) {
    ImGui::TextUnformatted(
        "This model file has no initial weights, so what training changed cannot be shown.");
  }
  layer_table(s);
  remark("off-span share |off(W)|/|W|; change inside span |in(W-W0)|/|W-W0|; drift |off(W-W0)|/|off(W0)|",
         /*beside=*/false);
  // Every neuron of the selected layer: its off-span share.
  const auto& neurons = lab.report.neurons[n.layer - 1];
  std::vector<float> shares;
  for (const SpanSplit& x : neurons) shares.push_back(float(x.off_share));
  char caption[96];
  std::snprintf(caption, sizeof caption, "off-span share of each %s neuron (random init: %.0f%%)",
                kLayerNames[n.layer - 1], 100 * std::sqrt(double(kPixels - lab.k) / kPixels));
  ImGui::PlotHistogram("##shares", shares.data(), int(shares.size()), 0, caption, 0.0f, 1.0f,
                       ImVec2(std::min(ImGui::GetContentRegionAvail().x, 640.0f), 90));
}

}  // namespace bs::app
