// The main loop, written once for both platforms (Dear ImGui's emscripten main-loop stub pattern): the page
// hands the frame to the browser's requestAnimationFrame, the desktop app loops until the frame says stop.
#pragma once

#include <functional>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

namespace bs::platform {

// Calls `frame` once per displayed frame until it returns false (natively; a page runs until it is closed).
inline void run_main_loop(std::function<bool()> frame) {
#ifdef __EMSCRIPTEN__
  static std::function<bool()> body;
  body = std::move(frame);
  // simulate_infinite_loop = false: main() returns and the page's JavaScript goes on.
  emscripten_set_main_loop([] { body(); }, 0, false);
#else
  while (frame()) {
  }
#endif
}

}  // namespace bs::platform
