#include "app/views.h"

#include "app/panels.h"

namespace bs::app {
namespace {

// The views' own work while they are open, each a slice of the frame.
void advance_neurons(AppState& s, double now) {
  refresh_portraits(s, now);
}
void advance_subspace(AppState& s, double) {
  refresh_selected_split(s);
}
void advance_attacks(AppState& s, double) {
  advance_survey(s);
}
void advance_robustness_view(AppState& s, double) {
  advance_robustness(s, kRobustBudgetMs);
}
void advance_compare_view(AppState& s, double now) {
  advance_compare(s, now, kSurveyBudgetMs);
}

using T = TrainingImages;
constexpr std::array<ViewInfo, size_t(View::kCount)> kTable = {{
    {View::kNeurons, "neurons", "Neurons", draw_neurons_panel, T::kNo, false, advance_neurons},
    {View::kOverlay, "overlay", "Overlay", draw_overlay_panel, T::kNo, false, nullptr},
    {View::kDraw, "draw", "Draw", draw_draw_panel, T::kNo, false, nullptr},
    {View::kSubspace, "subspace", "Subspace", draw_subspace_panel, T::kYes, true, advance_subspace},
    {View::kAttacks, "attacks", "Attacks", draw_attacks_panel, T::kYes, true, advance_attacks},
    {View::kRobustness, "robustness", "Robustness", draw_robustness_panel, T::kNo, false,
     advance_robustness_view},
    {View::kTrial, "trial", "Trial", draw_trial_panel, T::kUnlessWorker, false, nullptr},
    {View::kCompare, "compare", "Compare", draw_compare_panel, T::kYes, true, advance_compare_view},
    {View::kTraining, "training", "Data & training", draw_training_panel, T::kYes, false, nullptr},
}};

constexpr bool rows_in_enum_order() {
  for (size_t i = 0; i < kTable.size(); ++i)
    if (kTable[i].view != View(i)) return false;
  return true;
}
static_assert(rows_in_enum_order(), "kViews: row i must describe View(i)");

}  // namespace

const std::array<ViewInfo, size_t(View::kCount)> kViews = kTable;

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
