// The interface's controls over the state's fields: the range is the field's own (state_fields.cpp), and a
// change goes through the field's setter, exactly as set() applies it (state_api.h). So a reader's click and
// the API are one code path, and cannot disagree.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/app_state.h"

namespace bs::app {

// Each returns true when the reader changed the value (and it was applied); a refusal becomes a notice.

// Applies `changes` (an object of fields) as set() would: in the table's order, refusals as notices.
bool apply_as_set(AppState& s, const nlohmann::json& changes);

bool field_slider(AppState& s, const char* field, const char* label, int value, float width);
bool field_slider(AppState& s, const char* field, const char* label, float value, float width,
                  const char* format, bool logarithmic = false);
// A whole-number box (no slider: the range is too wide to drag).
bool field_input(AppState& s, const char* field, const char* label, long long value, float width);
// One radio button per choice of a kChoice field, labelled `labels` (one per choice, in the field's order).
bool field_radio(AppState& s, const char* field, const std::vector<const char*>& labels,
                 const std::string& current);
// One radio button for one choice of a kChoice field (so a caller can disable a choice on its own).
bool field_option(AppState& s, const char* field, const char* label, const char* choice, bool active);
// A drop-down over a kChoice field, labelled `labels` (one per choice, in the field's order).
bool field_combo(AppState& s, const char* field, const char* label, const std::vector<const char*>& labels,
                 const std::string& current, float width);
// A check box over a kBool field.
bool field_checkbox(AppState& s, const char* field, const char* label, bool value);
// A button that applies `changes` (an object of fields, e.g. a command's {"reset": true}) when pressed;
// `width` 0 fits the label.
bool field_button(AppState& s, const char* label, const nlohmann::json& changes, float width = 0);
// A button over a kBool field that turns it off while it reads `on_label`, and on while it reads
// `off_label`.
bool field_toggle(AppState& s, const char* field, const char* on_label, const char* off_label, bool value,
                  float width = 0);
// A street-smart option (streetSmart.<option>), a number or a whole number with the street table's range,
// applied through the streetSmart field.
bool street_slider(AppState& s, const char* option, const char* label, const char* format, float width,
                   bool logarithmic = false);
// A street-smart flag (streetSmart.<option>), applied through the streetSmart field.
bool street_checkbox(AppState& s, const char* option, const char* label);

}  // namespace bs::app
