// booksmart-app: the interface as a desktop program (SDL2 + OpenGL 3), for development. Reads MNIST from the
// local gzipped files, optionally starts from a model file, and runs the same panels as the page.
//   booksmart-app [--data DIR] [--model FILE] [--view NAME] [--frames N --screenshot FILE.png]
// With --screenshot it draws N frames (default 120), saves the window as a PNG and exits: how the tests look at
// the desktop app under Xvfb.
#include <SDL.h>
#include <SDL_opengl.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>
#include <cstring>
#include <string>

#include "app/app_state.h"
#include "app/state_api.h"
#include "app/panels.h"
#include "core/image/canvas.h"
#include "core/io/file_bytes.h"
#include "core/io/mnist_files.h"
#include "core/io/model_files.h"
#include "platform/gl/gl_capture.h"
#include "platform/gl/gl_textures.h"

namespace {

// The window's pixels as a PNG file.
bs::Status save_screenshot(SDL_Window* window, const std::string& path) {
  int w = 0, h = 0;
  SDL_GL_GetDrawableSize(window, &w, &h);
  return bs::write_file(path, bs::platform::capture_png(w, h));
}

// Exports asked for in the interface, written to the working folder.
void deliver_downloads(SDL_Window* window, bs::app::AppState& state) {
  if (state.capture_requested) {
    state.capture_requested = false;
    int w = 0, h = 0;
    SDL_GL_GetDrawableSize(window, &w, &h);
    state.downloads.push_back({"booksmart-view.png", "image/png", bs::platform::capture_png(w, h)});
  }
  for (const bs::app::Download& d : state.downloads) {
    bs::Status st = bs::write_file(d.name, d.bytes);
    bs::app::add_notice(state, st.ok() ? "saved " + d.name : st.message());
  }
  state.downloads.clear();
}

}  // namespace

int main(int argc, char** argv) {
  std::string data_dir = BOOKSMART_DEFAULT_DATA_DIR, model_path, screenshot, view;
  long frames = 120;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--data") && i + 1 < argc) {
      data_dir = argv[++i];
    } else if (!std::strcmp(argv[i], "--model") && i + 1 < argc) {
      model_path = argv[++i];
    } else if (!std::strcmp(argv[i], "--screenshot") && i + 1 < argc) {
      screenshot = argv[++i];
    } else if (!std::strcmp(argv[i], "--view") && i + 1 < argc) {
      view = argv[++i];
    } else if (!std::strcmp(argv[i], "--frames") && i + 1 < argc && std::atol(argv[i + 1]) > 0) {
      frames = std::atol(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: booksmart-app [--data DIR] [--model FILE] [--view NAME] [--frames N --screenshot FILE.png]\n");
      return 2;
    }
  }
  if (!screenshot.empty()) {
    bs::Status writable = bs::check_writable(screenshot);
    if (!writable.ok()) {
      std::fprintf(stderr, "booksmart-app: error: %s\n", writable.message().c_str());
      return 1;
    }
  }

  bs::app::AppState state;
  auto train = bs::load_mnist_split(data_dir, bs::Split::kTrain);
  auto test = bs::load_mnist_split(data_dir, bs::Split::kTest);
  if (!train.ok() || !test.ok()) {
    std::fprintf(stderr, "booksmart-app: error: %s\n", (!train.ok() ? train.error() : test.error()).c_str());
    return 1;
  }
  state.train = std::move(train.value());
  state.test = std::move(test.value());
  if (!model_path.empty()) {
    auto m = bs::load_model(model_path);
    if (!m.ok()) {
      std::fprintf(stderr, "booksmart-app: error: %s\n", m.error().c_str());
      return 1;
    }
    bs::app::use_pretrained(state, std::move(m.value()), "model file " + model_path);
  } else {
    bs::app::reset_training(state);
    state.playing = true;
  }
  state.auto_started = true;  // the choice above was made from the command line
  if (!view.empty()) {
    auto errors = bs::app::apply_changes(state, {{"view", view}});
    if (!errors.empty()) {
      std::fprintf(stderr, "booksmart-app: error: %s\n", errors[0].c_str());
      return 2;
    }
  }

  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
    std::fprintf(stderr, "booksmart-app: error: SDL_Init failed: %s\n", SDL_GetError());
    return 1;
  }
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 2);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  SDL_Window* window = SDL_CreateWindow("Booksmart", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, 1100, 760,
                                        SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  SDL_GLContext gl = window ? SDL_GL_CreateContext(window) : nullptr;
  if (!gl) {
    std::fprintf(stderr, "booksmart-app: error: no OpenGL 3.2 context: %s\n", SDL_GetError());
    return 1;
  }
  SDL_GL_MakeCurrent(window, gl);
  SDL_GL_SetSwapInterval(1);

  int exit_code = 0;
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui::StyleColorsLight();
  ImGui_ImplSDL2_InitForOpenGL(window, gl);
  ImGui_ImplOpenGL3_Init("#version 150");
  {
    bs::platform::GlTextures textures;
    bool running = true;
    for (long frame = 1; running; ++frame) {
      SDL_Event e;
      while (SDL_PollEvent(&e)) {
        ImGui_ImplSDL2_ProcessEvent(&e);
        if (e.type == SDL_QUIT) running = false;
      }
      double now = SDL_GetTicks64() / 1000.0;
      bs::app::advance(state, now, 8.0);
      state.fps = ImGui::GetIO().Framerate;
      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplSDL2_NewFrame();
      ImGui::NewFrame();
      bs::app::draw_app(state, textures);
      ImGui::Render();
      glViewport(0, 0, int(ImGui::GetIO().DisplaySize.x * ImGui::GetIO().DisplayFramebufferScale.x),
                 int(ImGui::GetIO().DisplaySize.y * ImGui::GetIO().DisplayFramebufferScale.y));
      glClearColor(0.95f, 0.95f, 0.95f, 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
      deliver_downloads(window, state);
      if (!screenshot.empty() && frame >= frames) {
        bs::Status saved = save_screenshot(window, screenshot);
        if (!saved.ok()) std::fprintf(stderr, "booksmart-app: error: %s\n", saved.message().c_str());
        exit_code = saved.ok() ? 0 : 1;
        running = false;
      }
      SDL_GL_SwapWindow(window);
    }
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_GL_DeleteContext(gl);
  SDL_DestroyWindow(window);
  SDL_Quit();
  return exit_code;
}
