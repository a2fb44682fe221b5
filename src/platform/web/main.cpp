// The page: the interface in WebAssembly (SDL2 + WebGL2 through ImGui's OpenGL3 backend). This file is the
// window and the browser glue of the frame loop only; the page's JavaScript (shell/booksmart.js) streams
// MNIST and the pretrained model into the state through bridge.cpp.
#include <SDL.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl.h>

#include "app/state_api.h"
#include "core/util/clock.h"
#include "platform/gl/frame.h"
#include "platform/gl/gl_textures.h"
#include "platform/gl/main_loop.h"
#include "platform/web/web_state.h"

namespace {

constexpr const char* kFrameElement = "#booksmart-frame";  // the canvas's parent, sized by the page's CSS
// A changed picture nobody asked for (training, analysis) is presented at most this often (present_pacing.h).
constexpr double kPassivePresentMs = 50;

// The canvas follows its container: the page's layout decides the size, HiDPI is SDL's job. SDL reads the
// device pixel ratio when the window is sized, so a new ratio (the window dragged to another screen, browser
// zoom) sizes it again, and the drawing buffer (and with it the font atlas) follows.
// The size comes from a ResizeObserver, read once per frame from a JavaScript variable: asking the element
// (emscripten_get_element_css_size) every frame makes the browser lay the page out again whenever anything on
// it changed, such as the article's live numbers, which on a throttled phone took 10-15 ms of some frames.
// The body is JavaScript, which the C++ formatter would break.
// clang-format off
EM_JS(void, observe_frame_size, (const char* selector), {
  const frame = document.querySelector(UTF8ToString(selector));
  Module.bsFrameSize = [0, 0];
  if (!frame) return;
  function measure() {
    const r = frame.getBoundingClientRect();
    Module.bsFrameSize = [r.width, r.height];
  }
  measure();
  new ResizeObserver(measure).observe(frame);
});
// clang-format on
EM_JS(double, frame_size, (int axis), { return Module.bsFrameSize ? Module.bsFrameSize[axis] : 0; });

void fit_to_frame(SDL_Window* window) {
  static double ratio = 0;
  const double w = frame_size(0), h = frame_size(1);
  if (w < 1 || h < 1) return;
  int cw = 0, ch = 0;
  SDL_GetWindowSize(window, &cw, &ch);
  const double now = emscripten_get_device_pixel_ratio();
  if (cw != int(w) || ch != int(h) || now != ratio) {
    ratio = now;
    SDL_SetWindowSize(window, int(w), int(h));
  }
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
  SDL_Window* window = SDL_CreateWindow("Booksmart", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, 960,
                                        720, SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI);
  SDL_GLContext gl = window ? SDL_GL_CreateContext(window) : nullptr;
  if (!gl) {
    // No WebGL2: say so on the page instead of leaving an empty canvas.
    bs::web::fatal(std::string("this browser could not create a WebGL2 context: ") + SDL_GetError());
    return 1;
  }
  SDL_GL_MakeCurrent(window, gl);
  SDL_GL_SetSwapInterval(1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  ImGui::StyleColorsLight();
  ImGui_ImplSDL2_InitForOpenGL(window, gl);
  ImGui_ImplOpenGL3_Init("#version 300 es");
  static bs::platform::GlTextures
      textures;  // lives as long as the page: main() returns before the first frame
  static bs::platform::FrameBudget budget;
  budget.skip_unchanged = true;  // the browser keeps showing the canvas's last picture
  budget.pacing = bs::app::PresentPacing(kPassivePresentMs);
  observe_frame_size(kFrameElement);
  fit_to_frame(window);
  bs::web::ready();
  bs::platform::run_main_loop([window] {
    fit_to_frame(window);
    SDL_Event e;
    bool acted = bs::web::take_page_request();
    while (SDL_PollEvent(&e)) {
      ImGui_ImplSDL2_ProcessEvent(&e);
      acted = true;
    }
    if (acted) budget.pacing.reader_acted(bs::now_ms());
    bs::platform::draw_frame(bs::web::state(), textures, budget);
    bs::web::deliver_downloads();
    bs::app::switch_book_if_wanted(bs::web::state_holder());  // the Data view's choice
    SDL_GL_SwapWindow(window);
    bs::web::frame_done();
    return true;
  });
  return 0;
}
