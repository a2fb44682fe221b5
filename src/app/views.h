// The views, in one table: the tab bar, the view names of URLs, set() and state(), the message listing the
// valid names, which views need the training images, and what each computes while it is open all read from
// it. Adding a view is its line in BS_VIEWS (below) and its panel file (panel_<name>.cpp, found by CMake); a
// view with state of its own adds that state's file.
#pragma once

#include <array>
#include <cstddef>
#include <string>

namespace bs::app {

struct AppState;
class Textures;

// Every view, in tab order, one line each: X(value of View, name in URLs/set()/state(), tab label, draw
// function (its panel file), training images it needs, whether it needs the data subspace, what it computes
// each frame while open or nullptr). The enum, kViews and the draw functions' declarations are made from
// these lines; a view's advance function lives with its state (views.cpp wraps the shared ones).
#define BS_VIEWS(X)                                                                                      \
  X(kNeurons, "neurons", "Neurons", draw_neurons_panel, kNo, false, advance_neurons_view)                \
  X(kOverlay, "overlay", "Overlay", draw_overlay_panel, kNo, false, nullptr)                             \
  X(kDraw, "draw", "Draw", draw_draw_panel, kNo, false, nullptr)                                         \
  X(kSubspace, "subspace", "Subspace", draw_subspace_panel, kYes, true, advance_subspace_view)           \
  X(kAttacks, "attacks", "Attacks", draw_attacks_panel, kYes, true, advance_attacks_view)                \
  X(kRobustness, "robustness", "Robustness", draw_robustness_panel, kNo, false, advance_robustness_view) \
  X(kTrial, "trial", "Trial", draw_trial_panel, kUnlessWorker, false, nullptr)                           \
  X(kCompare, "compare", "Compare", draw_compare_panel, kYes, true, advance_compare_view)                \
  X(kTraining, "training", "Data & training", draw_training_panel, kYes, false, nullptr)

#define BS_VIEW_ENUM(value, ...) value,
enum class View { BS_VIEWS(BS_VIEW_ENUM) kCount };
#undef BS_VIEW_ENUM

// Whether a view needs the training images kept in the page while it is open.
enum class TrainingImages {
  kNo,
  kYes,
  kUnlessWorker,  // only where the page trains itself: with a worker, the work runs there, on its copy
};

struct ViewInfo {
  View view;
  const char* name;   // in URLs, set() and state()
  const char* label;  // on its tab
  void (*draw)(AppState& s, Textures& t);
  TrainingImages training_images;
  bool needs_subspace;  // the data subspace is built once the view has been opened
  // What only this view shows, computed each frame while it is open (after the analysis's slice); nullptr:
  // nothing of its own.
  void (*advance)(AppState& s, double now);
};

// In tab order, made from BS_VIEWS: row i describes View(i).
extern const std::array<ViewInfo, size_t(View::kCount)> kViews;

const ViewInfo& view_info(View v);
const char* view_name(View v);
// The view called `name`, or nullptr.
const ViewInfo* find_view(const std::string& name);
// "neurons, overlay, ... or training": for messages.
std::string view_names();

}  // namespace bs::app
