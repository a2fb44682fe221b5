#include "platform/gl/frame.h"

#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl.h>

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>  // WebGL2
#else
#include <SDL_opengl.h>
#endif

#include <algorithm>

#include "app/draw_signature.h"
#include "app/panels.h"
#include "core/util/clock.h"
#include "platform/gl/gl_capture.h"

namespace bs::platform {

void framebuffer_size(int* w, int* h) {
  const ImGuiIO& io = ImGui::GetIO();
  *w = int(io.DisplaySize.x * io.DisplayFramebufferScale.x);
  *h = int(io.DisplaySize.y * io.DisplayFramebufferScale.y);
}

void draw_frame(app::AppState& s, app::Textures& t, FrameBudget& budget) {
  const double start = now_ms();
  const double train_ms =
      std::clamp(budget.work_ms - budget.other_ms, budget.min_train_ms, budget.max_train_ms);
  app::advance(s, start / 1000.0, train_ms);
  const double advanced = now_ms();
  s.ui.fps = ImGui::GetIO().Framerate;
  if (start - s.ui.status_fps_ms >= 1000.0) {
    s.ui.status_fps = s.ui.fps;
    s.ui.status_fps_ms = start;
  }
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  // The font at the screen's own resolution: rebuilt when the pixel ratio changes (another screen, zoom).
  if (app::ensure_ui_font(s.ui.font, ImGui::GetIO().DisplayFramebufferScale.x)) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
    budget.shown = false;  // the new atlas may reuse the old texture's name
  }
  // A headless browser's clock may not move between frames; ImGui requires time to pass.
  if (ImGui::GetIO().DeltaTime <= 0.0f) ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
  ImGui::NewFrame();
  app::draw_app(s, t);
  const double drawn = now_ms();
  ImGui::Render();
  // Only a platform that may skip a frame needs its signature (the desktop app draws every frame).
  const uint64_t signature = budget.skip_unchanged ? app::draw_signature(*ImGui::GetDrawData()) : 0;
  // The app's own work ends here; the GL calls below may wait for the GPU (in a software-rendered browser,
  // for the GPU process to catch up), which is the machine's time, not the app's.
  const double work = now_ms() - start;
  s.ui.draw_vertices = ImGui::GetDrawData()->TotalVtxCount;
  const bool unchanged = budget.skip_unchanged && budget.shown && signature == budget.shown_signature &&
                         t.uploads() == budget.shown_uploads && !s.ui.capture_requested;
  // A held change stays different from the shown picture, so a later frame presents it.
  const bool held =
      budget.skip_unchanged && budget.shown && !s.ui.capture_requested && !budget.pacing.may_present(start);
  if (!unchanged && !held) {
    int w = 0, h = 0;
    framebuffer_size(&w, &h);
    glViewport(0, 0, w, h);
    glClearColor(0.96f, 0.96f, 0.96f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    // Read back before the platform presents (and a browser clears) the drawing buffer.
    if (s.ui.capture_requested) {
      s.ui.capture_requested = false;
      s.ui.downloads.push_back({"booksmart-view.png", "image/png", capture_png(w, h)});
    }
    budget.shown = true;
    budget.shown_signature = signature;
    budget.shown_uploads = t.uploads();
    budget.pacing.presented(start);
    ++s.ui.frames_presented;
  }
  const double total = now_ms() - start;
  budget.other_ms = 0.9 * budget.other_ms + 0.1 * (total - s.run.last_train_ms);
  s.ui.frame_other_ms = budget.other_ms;
  const size_t slot = budget.next++ % budget.recent_ms.size();
  budget.recent_app_ms[slot] = float(work - s.run.last_train_ms);
  budget.recent_ms[slot] = float(work);
  budget.recent_parts[slot] = {float(advanced - start), float(drawn - advanced), float(start + work - drawn)};
  const auto worst = std::max_element(budget.recent_ms.begin(), budget.recent_ms.end());
  s.ui.worst_frame_ms = *worst;
  const std::array<float, 3>& parts = budget.recent_parts[size_t(worst - budget.recent_ms.begin())];
  s.ui.worst_frame_parts = {parts[0], parts[1], parts[2]};
  auto sorted = budget.recent_app_ms;  // a copy on the stack: nth_element reorders it
  const auto median = sorted.begin() + sorted.size() / 2, quartile = sorted.begin() + sorted.size() / 4;
  std::nth_element(sorted.begin(), median, sorted.end());
  std::nth_element(sorted.begin(), quartile, median);  // the lower half is before the median
  s.ui.median_app_ms = *median;
  s.ui.quartile_app_ms = *quartile;
}

}  // namespace bs::platform
