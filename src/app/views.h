// The views, in one table: the tab bar, the view names of URLs, set() and state(), and the message listing
// the valid names all read from it. Adding a view is a value in `View`, a row in kViews and its panel file.
#pragma once

#include <array>
#include <string>

namespace bs::app {

struct AppState;
class Textures;

enum class View { kNeurons, kOverlay, kDraw, kSubspace, kAttacks, kRobustness, kTrial, kCompare, kTraining };

struct ViewInfo {
  View view;
  const char* name;   // in URLs, set() and state()
  const char* label;  // on its tab
  void (*draw)(AppState& s, Textures& t);
};

// In tab order; row i describes View(i).
extern const std::array<ViewInfo, 9> kViews;

const ViewInfo& view_info(View v);
const char* view_name(View v);
// The view called `name`, or nullptr.
const ViewInfo* find_view(const std::string& name);
// "neurons, overlay, ... or training": for messages.
std::string view_names();

}  // namespace bs::app
