#include "app/views.h"

#include "app/panels.h"

namespace bs::app {

const std::array<ViewInfo, 9> kViews = {{
    {View::kNeurons, "neurons", "Neurons", draw_neurons_panel},
    {View::kOverlay, "overlay", "Overlay", draw_overlay_panel},
    {View::kDraw, "draw", "Draw", draw_draw_panel},
    {View::kSubspace, "subspace", "Subspace", draw_subspace_panel},
    {View::kAttacks, "attacks", "Attacks", draw_attacks_panel},
    {View::kRobustness, "robustness", "Robustness", draw_robustness_panel},
    {View::kTrial, "trial", "Trial", draw_trial_panel},
    {View::kCompare, "compare", "Compare", draw_compare_panel},
    {View::kTraining, "training", "Data & training", draw_training_panel},
}};

const ViewInfo& view_info(View v) {
  return kViews[size_t(v)];
}
const char* view_name(View v) {
  return view_info(v).name;
}

const ViewInfo* find_view(const std::string& name) {
  for (const ViewInfo& v : kViews)
    if (name == v.name) return &v;
  return nullptr;
}

std::string view_names() {
  std::string out;
  for (size_t i = 0; i < kViews.size(); ++i) {
    if (i) out += i + 1 == kViews.size() ? " or " : ", ";
    out += kViews[i].name;
  }
  return out;
}

}  // namespace bs::app
