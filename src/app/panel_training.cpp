// Data & training: what has arrived, which model is on view, the live training's controls and recipe, and its
// loss and test accuracy as they change.
#include <imgui.h>

#include <cfloat>
#include <cstdio>

#include "app/field_widgets.h"
#include "app/flow.h"
#include "app/panels.h"
#include "app/state_fields.h"

namespace bs::app {
namespace {

void data_progress(AppState& s, const char* label, const SplitCount& d, DataFile images) {
  const FileProgress& img = s.feed.files[size_t(images)];
  const FileProgress& lab = s.feed.files[size_t(images) + 1];
  float frac = d.declared ? float(d.size) / float(d.declared) : 0.0f;
  char overlay[96];
  if (d.declared)
    std::snprintf(overlay, sizeof overlay, "%zu / %u images  (%.1f MB)", d.size, d.declared,
                  double(img.bytes) / 1e6);
  else
    std::snprintf(overlay, sizeof overlay, "waiting...");
  ImGui::TextUnformatted(label);
  if (!narrow()) ImGui::SameLine(110);  // on a phone the bar goes under its label, full width
  ImGui::ProgressBar(frac, ImVec2(-1, 0), overlay);
  if (!img.error.empty() || !lab.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.75f, 0.1f, 0.1f, 1));
    ImGui::TextWrapped("%s", (!img.error.empty() ? img.error : lab.error).c_str());
    ImGui::PopStyleColor();
  }
}

void model_choice(AppState& s) {
  ImGui::TextUnformatted("Show:");
  ImGui::SameLine();
  const std::string shown = model_name(s);
  ImGui::BeginDisabled(!s.has_pretrained);
  field_option(s, "model", "pretrained model", "pretrained", shown == "pretrained");
  ImGui::EndDisabled();
  same_line_if_fits(text_width("live training") + ImGui::GetFrameHeight() +
                    ImGui::GetStyle().ItemInnerSpacing.x);
  ImGui::BeginDisabled(!s.run.trainer);
  field_option(s, "model", "live training", "live", shown != "pretrained");
  ImGui::EndDisabled();
  if (!s.run.trainer) {
    remark(s.run.start_mode == StartMode::kAuto ? "(starts by itself once 4,096 training images are in)"
                                                : "(press Train to start it)");
  }
}

void controls(AppState& s) {
  bool can_train = training_set_count(s).size > 0;
  ImGui::BeginDisabled(!can_train);
  field_toggle(s, "playing", "Pause", "Train", s.run.playing, 80);
  ImGui::SameLine();
  field_button(s, "Reset", {{"reset", true}}, 80);
  ImGui::EndDisabled();
  if (!can_train) remark("(training starts once images arrive)");
  field_input(s, "seed", "seed", (long long)s.run.seed, 140);
  field_combo(s, "optimizer", "optimizer", {"SGD + momentum", "Adam"}, field("optimizer").get(s), 160);
  field_slider(s, "learningRate", "learning rate", s.run.config.opt.lr, 160, "%.5f", /*logarithmic=*/true);
  field_slider(s, "batch", "batch", s.run.config.batch, 160);
  remark("(seed, optimizer, learning rate and batch apply at the next Reset)", /*beside=*/false);
}

// The book: switching starts a fresh state for the other dataset (its own data and pretrained model).
void book_choice(AppState& s) {
  static const std::vector<const char*> labels = [] {
    std::vector<const char*> titles;
    for (const BookInfo& b : books()) titles.push_back(b.title);
    return titles;
  }();
  ImGui::TextUnformatted("Data:");
  ImGui::SameLine();
  field_radio(s, "dataset", labels, book_info(s.book).name);
}

}  // namespace

void draw_training_panel(AppState& s, Textures&) {
  book_choice(s);
  data_progress(s, "training set", training_set_count(s), DataFile::kTrainImages);
  data_progress(s, "test set", {s.test.size(), s.test.declared, s.test.closed}, DataFile::kTestImages);
  ImGui::Separator();
  model_choice(s);
  if (s.has_model() && s.analysis.stats.count) {
    ImGui::TextWrapped("Model on view: %.2f%% correct on the first %zu test images",
                       100 * s.analysis.shown_accuracy, s.analysis.stats.count);
  }
  ImGui::Separator();
  ImGui::TextUnformatted("Live training");
  controls(s);
  if (s.run.trainer) {
    const uint32_t declared = training_set_count(s).declared;
    double epoch = declared ? double(s.run.trainer->images_seen()) / declared : 0.0;
    ImGui::TextWrapped("epoch %.2f   step %lld   %.0f images/s   test accuracy %.2f%%", epoch,
                       s.run.trainer->step(), s.run.images_per_second, 100 * s.run.test_accuracy);
  }
  if (!s.run.history.loss.empty()) {
    char label[64];
    std::snprintf(label, sizeof label, "loss %.3f", double(s.run.history.loss.back()));
    // ImGui 1.86's plots take no negative ("fill") width: give the width explicitly.
    const float width = ImGui::GetContentRegionAvail().x;
    ImGui::PlotLines("##loss", s.run.history.loss.data(), int(s.run.history.loss.size()), 0, label, 0.0f,
                     FLT_MAX, ImVec2(width, 90));
    std::snprintf(label, sizeof label, "test accuracy %.2f%% (axis 80-100%%)",
                  100 * double(s.run.history.accuracy.back()));
    ImGui::PlotLines("##accuracy", s.run.history.accuracy.data(), int(s.run.history.accuracy.size()), 0,
                     label, 0.8f, 1.0f, ImVec2(width, 90));
  }
}

}  // namespace bs::app
