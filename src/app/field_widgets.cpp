#include "app/field_widgets.h"

#include <imgui.h>

#include <algorithm>
#include <cassert>

#include "app/figure_layout.h"
#include "app/flow.h"
#include "app/state_api.h"
#include "app/state_fields.h"

namespace bs::app {
namespace {

// A control's frame `want`s px, and its label sits to its right: on a narrow figure the frame gives way so
// the pair fits the line (but stays wide enough to drag).
void set_width_beside_label(float want, const char* label) {
  const float label_width = ImGui::CalcTextSize(label, nullptr, true).x;
  const float room = ImGui::GetContentRegionAvail().x -
                     (label_width > 0 ? label_width + ImGui::GetStyle().ItemInnerSpacing.x : 0.0f);
  ImGui::SetNextItemWidth(std::max(std::min(want, room), 100.0f));
}

bool apply(AppState& s, const StateField& f, const nlohmann::json& v) {
  const std::string e = apply_field(s, f, v);
  if (!e.empty()) add_notice(s, e);
  return e.empty();
}

}  // namespace

bool apply_as_set(AppState& s, const nlohmann::json& changes) {
  const std::vector<std::string> errors = apply_changes(s, changes);
  for (const std::string& e : errors) add_notice(s, e);
  return errors.empty();
}

bool field_slider(AppState& s, const char* name, const char* label, int value, float width) {
  const StateField& f = field(name);
  set_width_beside_label(width, label);
  const bool changed =
      ImGui::SliderInt(label, &value, int(f.lo), int(f.hi), "%d", ImGuiSliderFlags_AlwaysClamp);
  claim_touch_for_last_item();
  if (!changed) return false;
  return apply(s, f, value);
}

bool field_slider(AppState& s, const char* name, const char* label, float value, float width,
                  const char* format, bool logarithmic) {
  const StateField& f = field(name);
  set_width_beside_label(width, label);
  const ImGuiSliderFlags flags =
      ImGuiSliderFlags_AlwaysClamp | (logarithmic ? ImGuiSliderFlags_Logarithmic : 0);
  const bool changed = ImGui::SliderFloat(label, &value, float(f.lo), float(f.hi), format, flags);
  claim_touch_for_last_item();
  if (!changed) return false;
  return apply(s, f, double(value));
}

bool field_input(AppState& s, const char* name, const char* label, long long value, float width) {
  const StateField& f = field(name);
  set_width_beside_label(width, label);
  if (!ImGui::InputScalar(label, ImGuiDataType_S64, &value, nullptr, nullptr, "%lld")) return false;
  if (double(value) < f.lo || double(value) > f.hi) return false;  // mid-typing: wait for a valid number
  return apply(s, f, value);
}

bool field_radio(AppState& s, const char* name, const std::vector<const char*>& labels,
                 const std::string& current) {
  const StateField& f = field(name);
  assert(labels.size() == f.choices.size());
  bool changed = false;
  ImGui::PushID(name);
  for (size_t i = 0; i < f.choices.size(); ++i) {
    if (i > 0)
      same_line_if_fits(ImGui::CalcTextSize(labels[i]).x + ImGui::GetFrameHeight() +
                        ImGui::GetStyle().ItemInnerSpacing.x);
    if (ImGui::RadioButton(labels[i], f.choices[i] == current) && f.choices[i] != current)
      changed = apply(s, f, f.choices[i]);
  }
  ImGui::PopID();
  return changed;
}

bool field_option(AppState& s, const char* name, const char* label, const char* choice, bool active) {
  if (!ImGui::RadioButton(label, active) || active) return false;
  return apply(s, field(name), choice);
}

bool field_combo(AppState& s, const char* name, const char* label, const std::vector<const char*>& labels,
                 const std::string& current, float width) {
  const StateField& f = field(name);
  assert(labels.size() == f.choices.size());
  int chosen = 0;
  for (size_t i = 0; i < f.choices.size(); ++i)
    if (f.choices[i] == current) chosen = int(i);
  const int was = chosen;
  ImGui::SetNextItemWidth(width);
  if (!ImGui::Combo(label, &chosen, labels.data(), int(labels.size())) || chosen == was) return false;
  return apply(s, f, f.choices[size_t(chosen)]);
}

bool field_checkbox(AppState& s, const char* name, const char* label, bool value) {
  if (!ImGui::Checkbox(label, &value)) return false;
  return apply(s, field(name), value);
}

bool field_button(AppState& s, const char* label, const nlohmann::json& changes, float width) {
  if (!ImGui::Button(label, ImVec2(width, 0))) return false;
  return apply_as_set(s, changes);
}

bool field_toggle(AppState& s, const char* name, const char* on_label, const char* off_label, bool value,
                  float width) {
  if (!ImGui::Button(value ? on_label : off_label, ImVec2(width, 0))) return false;
  return apply(s, field(name), !value);
}

namespace {

// The street-smart options with one of them changed, through the streetSmart field.
bool apply_street(AppState& s, const char* option, const nlohmann::json& value) {
  return apply(s, field("streetSmart"), nlohmann::json{{option, value}});
}

}  // namespace

bool street_slider(AppState& s, const char* name, const char* label, const char* format, float width,
                   bool logarithmic) {
  const StreetField& f = street_field(name);
  StreetOptions o = s.compare.options;
  set_width_beside_label(width, label);
  const ImGuiSliderFlags flags =
      ImGuiSliderFlags_AlwaysClamp | (logarithmic ? ImGuiSliderFlags_Logarithmic : 0);
  const bool changed =
      f.integer ? ImGui::SliderInt(label, &(o.*(f.integer)), int(f.lo), int(f.hi), format, flags)
                : ImGui::SliderFloat(label, &(o.*(f.number)), float(f.lo), float(f.hi), format, flags);
  claim_touch_for_last_item();
  if (!changed) return false;
  return apply_street(s, name, f.get(o));
}

bool street_checkbox(AppState& s, const char* name, const char* label) {
  const StreetField& f = street_field(name);
  bool value = s.compare.options.*(f.flag);
  if (!ImGui::Checkbox(label, &value)) return false;
  return apply_street(s, name, value);
}

}  // namespace bs::app
