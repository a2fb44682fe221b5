// Draws Dear ImGui's frame with OpenGL 3.2 core (the desktop app) or OpenGL ES 3.0 (WebGL2 in the page).
//
// Why not Dear ImGui's own OpenGL3 backend: it saves the GL state before each frame and restores it after,
// with about twenty glGet*/glIsEnabled calls, so that it can share a context with other renderers. In a
// browser most of those become synchronous round trips to the GPU process, and the first one waits for the
// previous frame to be drawn: in a CPU profile of the page training in Chromium, 52–57 % of the main thread
// was spent in WebGL's getParameter. This app owns the whole context and draws nothing else, so the renderer
// sets the state it needs every frame and never reads any back.
#pragma once

#include <string>

struct ImDrawData;

namespace bs::platform {

class ImGuiRenderer {
 public:
  ImGuiRenderer() = default;
  ImGuiRenderer(const ImGuiRenderer&) = delete;
  ImGuiRenderer& operator=(const ImGuiRenderer&) = delete;
  ~ImGuiRenderer();

  // Compiles the shaders, makes the buffers and uploads the font atlas into the current context; returns an
  // empty string, or what the GL refused. Call once after the context is made current.
  std::string init();
  // Draws `d` into the current framebuffer; leaves the scissor test off so that a glClear clears everything.
  void render(const ImDrawData& d);

 private:
  void set_state(const ImDrawData& d, int fb_w, int fb_h);

  unsigned program_ = 0, vao_ = 0, vbo_ = 0, ebo_ = 0, font_ = 0;
  int proj_ = -1, sampler_ = -1;
};

}  // namespace bs::platform
