// The nested, read-only parts of state(): the subspace and attack comparison, the street-smart comparison and
// the reader's drawing, each as one JSON object.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "app/state_fields.h"

namespace bs::app {

struct AppState;

// Appends the read-only rows to the table (state_fields.cpp calls it once).
void add_report_fields(std::vector<StateField>& f);

nlohmann::json lab_report(const AppState& s);         // state().subspace
nlohmann::json compare_report(const AppState& s);     // state().compare
nlohmann::json robustness_report(const AppState& s);  // state().robustness
nlohmann::json drawing_report(const AppState& s);     // state().drawing
nlohmann::json trial_report(const AppState& s);       // state().trial

}  // namespace bs::app
