// What a frame's draw lists would put on screen, as one 64-bit number. A page whose figure shows the same
// picture as in the last frame need not hand it to the browser again: with software WebGL (and on a phone's
// battery) presenting an unchanged 630x458 figure 60 times a second costs more than everything else the
// figure does. The platform compares signatures, plus its own count of texture uploads, since a texture
// refilled in place changes the picture but not the draw lists.
#pragma once

#include <imgui.h>

#include <cstdint>

namespace bs::app {

// A hash of everything ImGui's renderer reads from `d`: display size and scale, each list's vertices and
// indices, and each command's clip rectangle, texture and ranges. Equal pictures give equal signatures;
// different ones differ but for a 64-bit collision. A user callback draws what the lists do not show, so the
// app adds none (the signature knows only which callback a command names).
uint64_t draw_signature(const ImDrawData& d);

}  // namespace bs::app
