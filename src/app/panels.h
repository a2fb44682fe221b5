// The interface: one function per panel, each drawing from AppState (views.h lists them). draw_app() lays
// them out.
#pragma once

#include "app/app_state.h"
#include "app/textures.h"

namespace bs::app {

void draw_training_panel(AppState& s, Textures& t);
void draw_neurons_panel(AppState& s, Textures& t);
void draw_overlay_panel(AppState& s, Textures& t);
void draw_draw_panel(AppState& s, Textures& t);
void draw_subspace_panel(AppState& s, Textures& t);
void draw_attacks_panel(AppState& s, Textures& t);
void draw_robustness_panel(AppState& s, Textures& t);
void draw_trial_panel(AppState& s, Textures& t);
void draw_compare_panel(AppState& s, Textures& t);

// All panels as tabs of one window filling the display.
void draw_app(AppState& s, Textures& t);

}  // namespace bs::app
