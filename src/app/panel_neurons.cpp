// Neurons: every neuron's effective weights as a thumbnail; the selected one large, beside its
// dataset-derived feature, with how many images activate it.
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "app/field_widgets.h"
#include "app/figure_layout.h"
#include "app/flow.h"
#include "app/panels.h"
#include "core/image/canvas.h"

namespace bs::app {
namespace {

const char* kLayerTitles[3] = {"Layer 1", "Layer 2", "Output"};

int flat_index(NeuronId n) {
  return n.layer == 1 ? n.index : n.layer == 2 ? 64 + n.index : 128 + n.index;
}

void legend(float width) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 p = ImGui::GetCursorScreenPos();
  const int w = int(std::min(200.0f, width));
  for (int i = 0; i < w; ++i) {
    Rgb c = diverging(2.0f * float(i) / float(w - 1) - 1.0f);
    dl->AddRectFilled(ImVec2(p.x + i, p.y), ImVec2(p.x + i + 1, p.y + 10), IM_COL32(c.r, c.g, c.b, 255));
  }
  ImGui::Dummy(ImVec2(w, 12));
  ImGui::TextUnformatted("-max");
  ImGui::SameLine(float(w) / 2 - 4);
  ImGui::TextUnformatted("0");
  ImGui::SameLine(float(w) - text_width("+max"));
  ImGui::TextUnformatted("+max");
}

// The richer portrait: the real images that excite the neuron most, and what gradient ascent on the pixels
// makes of it with and without a pull towards smooth, bounded images.
void portraits(AppState& s, Textures& t, float width) {
  if (s.portraits.top.empty() || s.portraits.free.empty()) return;
  const Dataset& data = s.analysis_data();
  const ViewKey key = s.portraits.key;
  ImGui::TextUnformatted("Test images that excite it most");
  const float tile = std::min(48.0f, (width - 7 * ImGui::GetStyle().ItemSpacing.x) / 8);
  for (size_t i = 0; i < s.portraits.top.size(); ++i) {
    if (i) ImGui::SameLine();
    const size_t idx = s.portraits.top[i];
    ImGui::Image(t.get(slot(TextureBlock::kPortraitTop, int(i)), key,
                       [&] { return grey_rgba(data.image_floats(idx).data(), false); }),
                 ImVec2(tile, tile));
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("test image #%zu (label %s)", idx, class_text(s.book, data.label(idx)).c_str());
  }
  const float side = std::min(96.0f, width / 2 - ImGui::GetStyle().ItemSpacing.x);
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + side);
  ImGui::TextUnformatted("Optimized image, unconstrained");
  ImGui::PopTextWrapPos();
  ImGui::Image(t.get(slot(TextureBlock::kPortraitOptimized, 0), key,
                     [&] { return diverging_rgba(s.portraits.free.data()); }),
               ImVec2(side, side));
  ImGui::EndGroup();
  same_line_if_fits(side);
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + side);
  ImGui::TextUnformatted("... kept in [0, 1], small and smooth");
  ImGui::PopTextWrapPos();
  ImGui::Image(t.get(slot(TextureBlock::kPortraitOptimized, 1), key,
                     [&] { return grey_rgba(s.portraits.regularised.data(), true); }),
               ImVec2(side, side));
  ImGui::EndGroup();
}

// The grid of all 138 neurons as effective-weight thumbnails: ten a row beside the selected neuron; on a
// narrow figure, as many as the width holds, and the grid as tall as its rows (a finger cannot scroll a panel
// inside the figure, only the page).
void neuron_grid(AppState& s, Textures& t, bool one_column) {
  const float thumb = 30.0f;
  const ImGuiStyle& st = ImGui::GetStyle();
  const float cell = thumb + 2 * 2 + st.ItemSpacing.x;  // image + frame padding (2) + spacing
  // One column: as many thumbnails a row as the width holds. Beside the selected neuron: up to ten, but the
  // grid leaves at least half the width to the neuron's two pictures (the figure beside the story is ~650
  // px).
  const float avail = ImGui::GetContentRegionAvail().x;
  const int columns =
      one_column ? std::max(5, int((avail - 2 * st.WindowPadding.x) / cell))
                 : std::clamp(int((avail / 2 - 2 * st.WindowPadding.x - st.ScrollbarSize) / cell), 5, 10);
  float grid_height = 0;  // fill the figure's height
  if (one_column) {
    grid_height = 2 * st.WindowPadding.y;
    for (int layer = 1; layer <= 3; ++layer) {
      const int rows = (int(s.analysis.effective.layer[size_t(layer - 1)].rows()) + columns - 1) / columns;
      grid_height += ImGui::GetTextLineHeightWithSpacing() + float(rows) * (thumb + 4 + st.ItemSpacing.y);
    }
  }
  // NavFlattened: the arrow keys walk from the tabs into the grid and out to the controls beside it.
  ImGui::BeginChild(
      "grid",
      ImVec2(float(columns) * cell + 2 * st.WindowPadding.x + (one_column ? 0 : st.ScrollbarSize),
             grid_height),
      true, ImGuiWindowFlags_NavFlattened);
  note_scrollable("neuron grid");
  for (int layer = 1; layer <= 3; ++layer) {
    ImGui::TextUnformatted(kLayerTitles[layer - 1]);
    int n = int(s.analysis.effective.layer[size_t(layer - 1)].rows());
    for (int i = 0; i < n; ++i) {
      NeuronId id{layer, i};
      ImTextureID tex =
          t.get(slot(TextureBlock::kNeuronThumbs, flat_index(id)), ViewKey{s.analysis.generation},
                [&] { return diverging_rgba(s.analysis.effective.pattern(id)); });
      ImGui::PushID(flat_index(id));
      bool selected = s.ui.selected == id;
      if (selected) ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(1, 0.8f, 0, 1));
      if (ImGui::ImageButton(tex, ImVec2(thumb, thumb), ImVec2(0, 0), ImVec2(1, 1), 2))
        apply_as_set(s, {{"selectedNeuron", neuron_name(id)}});
      if (selected) ImGui::PopStyleColor();
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s neuron %d", kLayerTitles[layer - 1], i);
      ImGui::PopID();
      if ((i + 1) % columns != 0 && i + 1 < n) ImGui::SameLine();
    }
  }
  ImGui::EndChild();
}

// The selected neuron: its effective weights beside its dataset-derived feature, its portraits, how often it
// fires, and the histogram of active neurons per image.
void selected_neuron(AppState& s, Textures& t) {
  ImGui::BeginGroup();
  NeuronId n = s.ui.selected;
  if (n.layer == 3)
    ImGui::TextWrapped("Output neuron %d (the network's score for class %s)", n.index,
                       class_text(s.book, n.index).c_str());
  else
    ImGui::TextWrapped("%s neuron %d", kLayerTitles[n.layer - 1], n.index);
  // The two large images share the width beside the grid.
  const float big =
      std::clamp((ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2, 60.0f, 320.0f);
  // Keyed by model state and selection together, so a click re-uploads as surely as a training step does.
  const ViewKey key = s.selected_key();
  ImTextureID eff = t.get(slot(TextureBlock::kSelected, 0), key,
                          [&] { return diverging_rgba(s.analysis.effective.pattern(n)); });
  ImTextureID feat = s.analysis.stats.count
                         ? t.get(slot(TextureBlock::kSelected, 1), key,
                                 [&] { return grey_rgba(s.analysis.stats.feature_image(n), true); })
                         : ImTextureID(nullptr);
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + big);  // captions wrap to their picture's width
  ImGui::TextUnformatted("Max-activating image");
  ImGui::TextDisabled("(effective weights)");
  ImGui::PopTextWrapPos();
  ImGui::Image(eff, ImVec2(big, big));
  legend(big);
  ImGui::EndGroup();
  ImGui::SameLine();
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + big);
  ImGui::TextUnformatted("Dataset-derived feature");
  ImGui::TextDisabled("(weighted mean of %zu test images)", s.analysis.stats.count);
  ImGui::PopTextWrapPos();
  if (feat) ImGui::Image(feat, ImVec2(big, big));
  ImGui::EndGroup();
  portraits(s, t, 2 * big + ImGui::GetStyle().ItemSpacing.x);
  if (n.layer < 3 && !s.analysis.sparsity.images_strong.empty()) {
    size_t k = size_t(flat_index(n));
    ImGui::TextWrapped("Activates strongly on %d and mildly on %d of %zu images",
                       s.analysis.sparsity.images_strong[k], s.analysis.sparsity.images_mild[k],
                       s.analysis.stats.count);
  }
  if (!s.analysis.sparsity.active_histogram.empty()) {
    ImGui::Separator();
    ImGui::TextWrapped("Neurons active per image: %.1f strongly, %.1f mildly on average (of %d hidden)",
                       s.analysis.sparsity.mean_strong, s.analysis.sparsity.mean_mild,
                       s.analysis.sparsity.hidden);
    const std::vector<int>& h = s.analysis.sparsity.active_histogram;
    int shown = int(h.size());
    while (shown > 40 && h[size_t(shown - 1)] == 0) --shown;
    char caption[80];
    std::snprintf(caption, sizeof caption, "images by number of active neurons (0-%d)", shown - 1);
    auto value = [](void* data, int i) {
      return float((*static_cast<const std::vector<int>*>(data))[size_t(i)]);
    };
    ImGui::PlotHistogram("##active", value, const_cast<std::vector<int>*>(&h), shown, 0, caption, 0.0f,
                         FLT_MAX, ImVec2(2 * big + ImGui::GetStyle().ItemSpacing.x, 80));
  }
  ImGui::EndGroup();
}

}  // namespace

void draw_neurons_panel(AppState& s, Textures& t) {
  if (s.analysis.effective.layer[0].size() == 0) {
    ImGui::TextUnformatted("Waiting for a model...");
    return;
  }
  // On a wide figure the grid, then the selected neuron beside it; on a narrow one the selected neuron first
  // (what a section of the story is about), the grid to pick another below.
  if (narrow()) {
    selected_neuron(s, t);
    ImGui::Separator();
    neuron_grid(s, t, true);
  } else {
    neuron_grid(s, t, false);
    ImGui::SameLine();
    selected_neuron(s, t);
  }
}

}  // namespace bs::app
