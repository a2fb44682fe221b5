#include "app/views.h"

#include "app/panels.h"

namespace bs::app {
namespace {

// The views' own work while they are open, each a slice of the frame.
void advance_neurons_view(AppState& s, double now) {
  refresh_portraits(s, now);
}
void advance_subspace_view(AppState& s, double) {
  refresh_selected_split(s);
}
void advance_attacks_view(AppState& s, double) {
  advance_survey(s);
}
void advance_robustness_view(AppState& s, double) {
  advance_robustness(s, kRobustBudgetMs);
}
void advance_compare_view(AppState& s, double now) {
  advance_compare(s, now, kSurveyBudgetMs);
}

#define BS_VIEW_ROW(value, name, label, draw, images, subspace, advance) \
  {View::value, name, label, draw, TrainingImages::images, subspace, advance},
constexpr std::array<ViewInfo, size_t(View::kCount)> kTable = {{BS_VIEWS(BS_VIEW_ROW)}};
#undef BS_VIEW_ROW

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
