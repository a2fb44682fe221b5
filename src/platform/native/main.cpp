// booksmart-app: the interface as a desktop program (SDL2 + OpenGL 3), for development. Reads MNIST (or
// Fashion-MNIST) from the local gzipped files, optionally starts from a model file, and runs the same panels
// and frame as the page.
//   booksmart-app [--data DIR | --dataset mnist|fashion] [--model FILE] [--view NAME]
//                 [--frames N --screenshot FILE.png]
// With --screenshot it draws N frames (default 120), saves the window as a PNG and exits: how the tests look
// at the desktop app under Xvfb.
#include <SDL.h>
#include <SDL_opengl.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "app/app_state.h"
#include "app/state_api.h"
#include "core/io/file_bytes.h"
#include "core/io/mnist_files.h"
#include "core/io/model_files.h"
#include "platform/gl/frame.h"
#include "platform/gl/gl_capture.h"
#include "platform/gl/gl_textures.h"
#include "platform/gl/main_loop.h"

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "booksmart-app: error: %s\n", message.c_str());
  return 1;
}

// Exports asked for in the interface, written to the working folder.
void deliver_downloads(bs::app::AppState& state) {
  for (const bs::app::Download& d : state.ui.downloads) {
    bs::Status st = bs::write_file(d.name, d.bytes);
    bs::app::add_notice(state, st.ok() ? "saved " + d.name : st.message());
  }
  state.ui.downloads.clear();
}

// The book's training and test sets into a state that has none.
bs::Status load_data(bs::app::AppState& state, const std::string& dir) {
  auto train = bs::load_mnist_split(dir, bs::Split::kTrain);
  if (!train.ok()) return train.status();
  auto test = bs::load_mnist_split(dir, bs::Split::kTest);
  if (!test.ok()) return test.status();
  state.train = std::move(train.value());
  state.test = std::move(test.value());
  return bs::Status::Ok();
}

}  // namespace

int main(int argc, char** argv) {
  std::string data_dir = BOOKSMART_DEFAULT_DATA_DIR, dataset, model_path, screenshot, view;
  long frames = 120;
  CLI::App cli{"Booksmart's interface as a desktop program", "booksmart-app"};
  auto* data_opt =
      cli.add_option("--data", data_dir, "Folder with the MNIST .gz files")->capture_default_str();
  cli.add_option("--dataset", dataset, "mnist (the --data folder) or fashion (" BOOKSMART_FASHION_DIR ")")
      ->check(CLI::IsMember({"mnist", "fashion"}))
      ->excludes(data_opt);
  cli.add_option("--model", model_path, "Start from this model file (.safetensors) instead of training live");
  cli.add_option("--view", view, "The view to open: " + bs::app::view_names());
  cli.add_option("--frames", frames, "Frames to draw before --screenshot")->check(CLI::PositiveNumber);
  cli.add_option("--screenshot", screenshot, "Save the window as this PNG after --frames frames, then exit");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  if (!screenshot.empty()) {
    bs::Status writable = bs::check_writable(screenshot);
    if (!writable.ok()) return fail(writable.message());
  }

  // Where each book's files are: a switch in the Data view replaces the state and loads the other book.
  auto dir_of = [&](bs::app::Book b) {
    return b == bs::app::Book::kFashion ? std::string(BOOKSMART_FASHION_DIR) : data_dir;
  };
  auto holder = std::make_unique<bs::app::AppState>();
  if (dataset == "fashion") holder = bs::app::fresh_state(*holder, bs::app::Book::kFashion);
  bs::app::AppState& state = *holder;  // until the frame loop, which may replace it
  if (bs::Status st = load_data(state, dir_of(state.book)); !st.ok()) return fail(st.message());
  if (!model_path.empty()) {
    auto m = bs::load_model(model_path);
    if (!m.ok()) return fail(m.error());
    bs::app::use_pretrained(state, std::move(m.value()), "model file " + model_path);
  } else {
    bs::app::reset_training(state);
    state.run.playing = true;
  }
  state.run.auto_started = true;  // the choice above was made from the command line
  if (!view.empty()) {
    auto errors = bs::app::apply_changes(state, {{"view", view}});
    if (!errors.empty()) {
      fail(errors[0]);
      return 2;
    }
  }

  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0)
    return fail(std::string("SDL_Init failed: ") + SDL_GetError());
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 2);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  SDL_Window* window =
      SDL_CreateWindow("Booksmart", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, 1100, 760,
                       SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  SDL_GLContext gl = window ? SDL_GL_CreateContext(window) : nullptr;
  if (!gl) return fail(std::string("no OpenGL 3.2 context: ") + SDL_GetError());
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
    bs::platform::FrameBudget budget;
    long frame = 0;
    bs::platform::run_main_loop([&] {
      bool running = true;
      SDL_Event e;
      while (SDL_PollEvent(&e)) {
        ImGui_ImplSDL2_ProcessEvent(&e);
        if (e.type == SDL_QUIT) running = false;
      }
      bs::platform::draw_frame(*holder, textures, budget);
      deliver_downloads(*holder);
      // The other book's files are read before its state replaces this one: if they cannot be, the reader
      // keeps everything they had and is told why.
      if (holder->book_wanted && *holder->book_wanted != holder->book) {
        auto next = bs::app::fresh_state(*holder, *holder->book_wanted);
        holder->book_wanted.reset();
        if (bs::Status st = load_data(*next, dir_of(next->book)); st.ok()) {
          holder = std::move(next);
          bs::app::add_notice(*holder, "now reading " + std::string(bs::app::book_info(holder->book).title));
        } else {
          bs::app::add_notice(*holder, st.message() + " (nothing changed)");
        }
      }
      if (!screenshot.empty() && ++frame >= frames) {
        int w = 0, h = 0;
        bs::platform::framebuffer_size(&w, &h);
        bs::Status saved = bs::write_file(screenshot, bs::platform::capture_png(w, h));
        if (!saved.ok()) fail(saved.message());
        exit_code = saved.ok() ? 0 : 1;
        running = false;
      }
      SDL_GL_SwapWindow(window);
      return running;
    });
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_GL_DeleteContext(gl);
  SDL_DestroyWindow(window);
  SDL_Quit();
  return exit_code;
}
