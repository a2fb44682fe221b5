// Data & training: progress of the data, play/pause/reset, the recipe, live loss and accuracy.
#include <imgui.h>

#include <cstdio>

#include "app/panels.h"

namespace bs::app {

void draw_training_panel(AppState& s) {
  ImGui::Text("Data: %zu / %u training images, %zu / %u test images", s.train.size(), s.train.declared,
              s.test.size(), s.test.declared);
  float frac = s.train.declared ? float(s.train.size()) / float(s.train.declared) : 0.0f;
  ImGui::ProgressBar(frac, ImVec2(-1, 0));
  ImGui::Separator();
  ImGui::Text("Model: %s", s.model_source.c_str());
  if (ImGui::Button(s.playing ? "Pause" : "Train")) {
    if (!s.trainer) reset_training(s);
    s.playing = !s.playing;
  }
  ImGui::SameLine();
  if (ImGui::Button("Reset")) reset_training(s);
  int seed = int(s.seed);
  ImGui::SetNextItemWidth(120);
  if (ImGui::InputInt("seed", &seed) && seed >= 0) s.seed = uint64_t(seed);
  int opt = s.config.opt.kind == OptimizerKind::kSgd ? 0 : 1;
  ImGui::SetNextItemWidth(160);
  if (ImGui::Combo("optimizer", &opt, "SGD + momentum\0Adam\0")) {
    s.config.opt.kind = opt == 0 ? OptimizerKind::kSgd : OptimizerKind::kAdam;
    s.config.opt.lr = opt == 0 ? 0.03f : 0.001f;
  }
  ImGui::SetNextItemWidth(160);
  ImGui::SliderFloat("learning rate", &s.config.opt.lr, 1e-4f, 0.3f, "%.4f", ImGuiSliderFlags_Logarithmic);
  ImGui::SetNextItemWidth(160);
  ImGui::SliderInt("batch", &s.config.batch, 8, 256);
  ImGui::TextDisabled("(optimizer, learning rate and batch apply at the next Reset)");
  ImGui::Separator();
  if (s.trainer) {
    double epoch = s.train.declared ? double(s.trainer->images_seen()) / s.train.declared : 0.0;
    ImGui::Text("epoch %.2f   step %lld   %.0f images/s   test accuracy %.2f%%", epoch, s.trainer->step(),
                s.images_per_second, 100 * s.test_accuracy);
  }
  if (!s.history.loss.empty()) {
    ImGui::PlotLines("loss", s.history.loss.data(), int(s.history.loss.size()), 0, nullptr, 0.0f, FLT_MAX,
                     ImVec2(-1, 90));
    ImGui::PlotLines("test accuracy", s.history.accuracy.data(), int(s.history.accuracy.size()), 0, nullptr, 0.8f,
                     1.0f, ImVec2(-1, 90));
  }
}

}  // namespace bs::app
