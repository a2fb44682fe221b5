// One frame of the interface, the same in the page and the desktop app. The platform polls its events and
// presents; everything between is here: the training budget, advancing the state, drawing the panels,
// rendering, and the PNG capture of a finished frame (which must happen before the buffer is presented).
#pragma once

#include <array>
#include <cstdint>

#include "app/app_state.h"
#include "app/present_pacing.h"
#include "app/textures.h"

namespace bs::platform {

// A frame's work (training + analysis slice + drawing) aims at this many milliseconds, so the interface keeps
// 60 fps on a 16.7 ms display; training gets what drawing and analysis leave, measured over the last frames.
struct FrameBudget {
  double work_ms = 13.0;
  double min_train_ms = 1.0, max_train_ms = 10.0;
  double other_ms = 4.0;  // smoothed time of everything but training
  std::array<float, 240>
      recent_ms{};  // the last frames' work (advance, draw, texture uploads), for the slowest
  std::array<float, 240> recent_app_ms{};  // the same frames' work outside training, for the median
  // The same frames' work in its three parts (advance, draw, render), to say what made the slowest one slow.
  std::array<std::array<float, 3>, 240> recent_parts{};
  size_t next = 0;
  // The page leaves a frame that would show the same picture as the last one unpresented (app/
  // draw_signature.h): the browser keeps showing it. The desktop app always draws, since it swaps buffers.
  bool skip_unchanged = false;
  // A picture has been presented with the current font atlas (a new size or pixel ratio changes the
  // signature itself).
  bool shown = false;
  uint64_t shown_signature = 0;
  int shown_uploads = 0;  // Textures::uploads() when it was
  // When a changed picture is presented (the page holds those nobody asked for a little;
  // app/present_pacing.h).
  app::PresentPacing pacing;
};

// Advances `s`, draws it with ImGui's SDL2 + OpenGL3 backends into the current context's framebuffer, and
// queues a PNG download if one was asked for.
void draw_frame(app::AppState& s, app::Textures& t, FrameBudget& budget);

// The drawable size of the last frame, in pixels.
void framebuffer_size(int* w, int* h);

}  // namespace bs::platform
