// Sliders over the state's fields: the range is the field's own (state_fields.cpp), and a change goes through
// the field's setter, exactly as set() would apply it. So the interface and the API cannot disagree.
#pragma once

#include <string>
#include <vector>

#include "app/app_state.h"

namespace bs::app {

// Each returns true when the reader changed the value (and it was applied).
bool field_slider(AppState& s, const char* field, const char* label, int value, float width);
bool field_slider(AppState& s, const char* field, const char* label, float value, float width,
                  const char* format, bool logarithmic = false);
// A whole-number box (no slider: the range is too wide to drag).
bool field_input(AppState& s, const char* field, const char* label, long long value, float width);
// One radio button per choice of a kChoice field, labelled `labels` (one per choice, in the field's order).
bool field_radio(AppState& s, const char* field, const std::vector<const char*>& labels,
                 const std::string& current);
// A street-smart option (a number or a whole number), edited in place with the street table's range.
bool street_slider(StreetOptions& o, const char* field, const char* label, const char* format, float width,
                   bool logarithmic = false);

}  // namespace bs::app
