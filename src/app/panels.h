// The interface: one function per panel, each drawing from AppState (BS_VIEWS in views.h lists them).
// draw_app() lays them out.
#pragma once

#include "app/app_state.h"
#include "app/textures.h"
#include "app/views.h"

namespace bs::app {

// Each view's draw function (BS_VIEWS in views.h), defined in its panel file.
#define BS_VIEW_DRAW(value, name, label, draw, ...) void draw(AppState& s, Textures& t);
BS_VIEWS(BS_VIEW_DRAW)
#undef BS_VIEW_DRAW

// All panels as tabs of one window filling the display.
void draw_app(AppState& s, Textures& t);

}  // namespace bs::app
