// The page: the interface in WebAssembly (SDL2 + WebGL2 through ImGui's OpenGL3 backend). This file is the
// window and the frame loop only; the page's JavaScript (shell/booksmart.js) streams MNIST and the pretrained
// model into the state through bridge.cpp.
#include <SDL.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl.h>

#include <GLES3/gl3.h>
#include <algorithm>
#include <cstdio>

#include "app/panels.h"
#include "platform/gl/gl_capture.h"
#include "platform/gl/gl_textures.h"
#include "platform/web/web_state.h"

namespace {

// A frame's work (training + analysis slice + drawing) aims at this many milliseconds, so the page keeps 60 fps
// on a 16.7 ms display; training gets what drawing and analysis leave, measured over the last frames.
constexpr double kFrameWorkMs = 13.0;
constexpr double kMinTrainMs = 1.0, kMaxTrainMs = 10.0;
constexpr const char* kFrameElement = "#booksmart-frame";  // the canvas's parent, sized by the page's CSS

struct Window {
  SDL_Window* window = nullptr;
  SDL_GLContext gl = nullptr;
  bs::platform::GlTextures* textures = nullptr;
};

// The canvas follows its container: the page's layout decides the size, HiDPI is SDL's job.
void fit_to_frame(SDL_Window* window) {
  double w = 0, h = 0;
  if (emscripten_get_element_css_size(kFrameElement, &w, &h) != EMSCRIPTEN_RESULT_SUCCESS || w < 1 || h < 1) return;
  int cw = 0, ch = 0;
  SDL_GetWindowSize(window, &cw, &ch);
  if (cw != int(w) || ch != int(h)) SDL_SetWindowSize(window, int(w), int(h));
}

void frame(void* arg) {
  static double other_ms = 4.0;  // smoothed time of everything but training
  const double start = emscripten_get_now();
  Window& win = *static_cast<Window*>(arg);
  bs::app::AppState& state = bs::web::state();
  const double budget = std::clamp(kFrameWorkMs - other_ms, kMinTrainMs, kMaxTrainMs);
  fit_to_frame(win.window);
  SDL_Event e;
  while (SDL_PollEvent(&e)) ImGui_ImplSDL2_ProcessEvent(&e);
  bs::app::advance(state, emscripten_get_now() / 1000.0, budget);
  state.fps = ImGui::GetIO().Framerate;
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  // A headless browser's clock may not move between frames; ImGui requires time to pass.
  if (ImGui::GetIO().DeltaTime <= 0.0f) ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
  ImGui::NewFrame();
  bs::app::draw_app(state, *win.textures);
  ImGui::Render();
  ImGuiIO& io = ImGui::GetIO();
  glViewport(0, 0, int(io.DisplaySize.x * io.DisplayFramebufferScale.x), int(io.DisplaySize.y * io.DisplayFramebufferScale.y));
  glClearColor(0.96f, 0.96f, 0.96f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  // Read back before the browser presents (and clears) the drawing buffer.
  if (state.capture_requested) {
    state.capture_requested = false;
    state.downloads.push_back({"booksmart-view.png", "image/png",
                               bs::platform::capture_png(int(io.DisplaySize.x * io.DisplayFramebufferScale.x),
                                                         int(io.DisplaySize.y * io.DisplayFramebufferScale.y))});
  }
  bs::web::deliver_downloads();
  SDL_GL_SwapWindow(win.window);
  bs::web::frame_done();
  const double other = emscripten_get_now() - start - state.last_train_ms;
  other_ms = 0.9 * other_ms + 0.1 * other;
  state.frame_other_ms = other_ms;
}

}  // namespace

int main() {
  // Keys go to the canvas only (it takes focus when clicked), not to the whole article page.
  SDL_SetHint(SDL_HINT_EMSCRIPTEN_KEYBOARD_ELEMENT, "#canvas");
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
    bs::web::fatal(std::string("SDL could not start: ") + SDL_GetError());
    return 1;
  }
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  static Window win;
  win.window = SDL_CreateWindow("Booksmart", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, 960, 720,
                                SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI);
  win.gl = win.window ? SDL_GL_CreateContext(win.window) : nullptr;
  if (!win.gl) {
    // No WebGL2: say so on the page instead of leaving an empty canvas.
    bs::web::fatal(std::string("this browser could not create a WebGL2 context: ") + SDL_GetError());
    return 1;
  }
  SDL_GL_MakeCurrent(win.window, win.gl);
  SDL_GL_SetSwapInterval(1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  ImGui::StyleColorsLight();
  ImGui_ImplSDL2_InitForOpenGL(win.window, win.gl);
  ImGui_ImplOpenGL3_Init("#version 300 es");
  win.textures = new bs::platform::GlTextures();
  fit_to_frame(win.window);
  bs::web::ready();
  emscripten_set_main_loop_arg(frame, &win, 0, false);
  return 0;
}
