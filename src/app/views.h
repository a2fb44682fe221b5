// The views, in one table: the tab bar, the view names of URLs, set() and state(), the message listing the
// valid names, which views need the training images, and what each computes while it is open all read from
// it. Adding a view is a value in `View`, its row in kViews (views.cpp) and its panel file; a view with state
// of its own adds that state's file.
#pragma once

#include <array>
#include <cstddef>
#include <string>

namespace bs::app {

struct AppState;
class Textures;

enum class View {
  kNeurons,
  kOverlay,
  kDraw,
  kSubspace,
  kAttacks,
  kRobustness,
  kTrial,
  kCompare,
  kTraining,
  kCount
};

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

// In tab order; row i describes View(i) (views.cpp checks it when it compiles).
extern const std::array<ViewInfo, size_t(View::kCount)> kViews;

const ViewInfo& view_info(View v);
const char* view_name(View v);
// The view called `name`, or nullptr.
const ViewInfo* find_view(const std::string& name);
// "neurons, overlay, ... or training": for messages.
std::string view_names();

}  // namespace bs::app
