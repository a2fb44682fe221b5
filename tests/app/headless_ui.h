// ImGui with no window and no renderer, for tests that draw the interface: a display of a given size, a font
// atlas built once, and frames drawn inside one full-screen window.
#pragma once

#include <imgui.h>
#include <imgui_internal.h>

namespace bs::app {

struct Headless {
  Headless() {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1100, 760);
    io.DeltaTime = 1.0f / 60.0f;
    unsigned char* pixels;
    int w, h;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  }
  ~Headless() { ImGui::DestroyContext(); }
  // Draws one frame with `draw` inside a full-screen window; returns the number of vertices produced.
  template <class F>
  int frame(F draw) {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
    ImGui::Begin("test");
    draw();
    ImGui::End();
    ImGui::Render();
    return ImGui::GetDrawData()->TotalVtxCount;
  }
  // Presses the item labelled `label` in the window `window` (the frames' own window is "test") the way a
  // reader's click does: through ImGui's own activation, which the widget sees on the next frame that draws
  // it.
  static void press(const char* window, const char* label) {
    ImGuiWindow* w = ImGui::FindWindowByName(window);
    IM_ASSERT(w != nullptr && "press: no such window was drawn");
    ImGui::ActivateItem(w->GetID(label));
  }
  // Presses item `index`, labelled `label`, of the open combo's list (ImGui::Combo pushes each item's index
  // as an ID before drawing it).
  static void press_combo_item(int index, const char* label) {
    ImGuiWindow* w = ImGui::FindWindowByName("##Combo_00");
    IM_ASSERT(w != nullptr && "press_combo_item: no combo is open");
    ImGui::ActivateItem(ImHashStr(label, 0, w->GetID(index)));
  }
};

}  // namespace bs::app
