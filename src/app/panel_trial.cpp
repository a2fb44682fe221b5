// Trial: the six experiments, each with what every explanation predicts (a-e: written after the first results
// were seen; f: the second trial's rules), the measured outcome for the model on view, and whether they
// agree. The experiments run on the streamed data with the page's lighter settings, stated under each: in the
// page's training worker, or in frame slices here.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "app/field_widgets.h"
#include "app/flow.h"
#include "app/panels.h"

namespace bs::app {
namespace {

ImVec4 agreement_colour(Agreement a) {
  switch (a) {
    case Agreement::kAgrees:
      return ImVec4(0.0f, 0.55f, 0.40f, 1.0f);  // bluish green
    case Agreement::kDisagrees:
      return ImVec4(0.80f, 0.33f, 0.0f, 1.0f);  // vermillion
    case Agreement::kMixed:
      return ImVec4(0.75f, 0.52f, 0.0f, 1.0f);  // orange
    default:
      return ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
  }
}

// What the page runs, from the settings themselves (the CLI's defaults are in docs/trial.md). The transfer
// attacks the test images of the book's overlay class: 7s on MNIST, Sneakers on Fashion-MNIST.
std::string settings_text(Experiment e, Book book) {
  const TrialSettings p = page_trial_settings();
  const std::string from = "class " + class_text(book, book_info(book).overlay_from);
  char b[400];
  switch (e) {
    case Experiment::kSpan:
      std::snprintf(
          b, sizeof b,
          "Page settings: the first %d correctly classified test images; PGD %d steps, %d restart(s).",
          p.span.images, p.span.attack.steps, p.span.attack.restarts);
      break;
    case Experiment::kTransfer:
      std::snprintf(
          b, sizeof b,
          "Page settings: A is the model on view; B trained %d epochs from the live seed + 1; the first "
          "%d test images of %s; PGD %d steps.",
          p.transfer.epochs, p.transfer.max_images, from.c_str(), p.transfer.attack.steps);
      break;
    case Experiment::kThinBook:
      std::snprintf(
          b, sizeof b,
          "Page settings: %zu models, each %d epoch(s) on the first %zu training images; %d test images "
          "attacked with PGD %d steps.",
          p.thin.dims.size() * p.thin.init_scales.size(), p.thin.epochs, p.thin_train_images, p.thin.images,
          p.thin.attack.steps);
      break;
    case Experiment::kOptimizers:
      std::snprintf(
          b, sizeof b,
          "Page settings: Adam (lr 0.001) trained %d epochs from the live seed; %d images for the radii; "
          "the first %d test images of %s for the transfer.",
          p.transfer.epochs, p.optimizer_images, p.transfer.max_images, from.c_str());
      break;
    case Experiment::kFeatures:
      std::snprintf(
          b, sizeof b,
          "Page settings: the first %zu training images, each pushed by L2 PGD until model A reads its "
          "target (radius %.1f growing by %.1f every %d steps to %.0f); each fresh model trained %d "
          "epoch(s). Verdicts read this model's pushes only (the trial's read five seeds).",
          p.features.images, double(p.features.eps_start), double(p.features.eps_grow), p.features.steps,
          double(p.features.eps_max), p.features.epochs);
      break;
    case Experiment::kTilt:
      std::snprintf(
          b, sizeof b,
          "Page settings: the model on view (decay 0) against the recipe with decay %g from the live seed, "
          "%d "
          "epochs; the first %d test images both get right; PGD %d steps. Verdicts read this model's images "
          "only (the trial's read five seeds).",
          double(kJudgedDecay), p.tilt.epochs, p.tilt.images, p.tilt.attack.steps);
      break;
  }
  return b;
}

void verdict_table(const std::vector<Verdict>& verdicts, bool slim) {
  const ImGuiTableFlags flags =
      ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("verdicts", slim ? 2 : 4, flags)) return;
  ImGui::TableSetupColumn("Explanation", ImGuiTableColumnFlags_WidthStretch, 0.9f);
  ImGui::TableSetupColumn("Predicts", ImGuiTableColumnFlags_WidthStretch, 2.4f);
  if (!slim) {
    ImGui::TableSetupColumn("Measured", ImGuiTableColumnFlags_WidthStretch, 2.0f);
    ImGui::TableSetupColumn("Verdict", ImGuiTableColumnFlags_WidthStretch, 0.7f);
  }
  ImGui::TableHeadersRow();
  for (const Verdict& v : verdicts) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", explanation_title(v.explanation));
    if (slim) ImGui::TextColored(agreement_colour(v.agreement), "%s", agreement_name(v.agreement));
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", v.prediction);
    if (slim && !v.measured.empty()) ImGui::TextWrapped("Measured: %s", v.measured.c_str());
    if (slim) continue;
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", v.measured.empty() ? "-" : v.measured.c_str());
    ImGui::TableNextColumn();
    ImGui::TextColored(agreement_colour(v.agreement), "%s", agreement_name(v.agreement));
  }
  ImGui::EndTable();
}

// The cosine of A's and B's output patterns while B trained: in-span and off-span.
void cosine_plot(const TransferReport& r, float width) {
  if (r.cosine.size() < 2) return;
  std::vector<float> in, off;
  for (const CosinePoint& c : r.cosine) {
    in.push_back(float(c.in_span));
    off.push_back(float(c.off_span));
  }
  char what[128];
  std::snprintf(what, sizeof what,
                "cosine of A's and B's output patterns while B trains (0 to 1): in-span %.2f, off-span %.2f",
                double(in.back()), double(off.back()));
  remark(what, /*beside=*/false);
  ImGui::PlotLines("##in", in.data(), int(in.size()), 0, "in-span", 0.0f, 1.0f, ImVec2(width, 50));
  ImGui::PlotLines("##off", off.data(), int(off.size()), 0, "off-span", 0.0f, 1.0f, ImVec2(width, 50));
}

// On a phone the columns share the width, under shorter names.
void thin_table(const std::vector<ThinBookRun>& runs, bool slim) {
  if (runs.empty()) return;
  const ImGuiTableFlags flags =
      ImGuiTableFlags_Borders | (slim ? ImGuiTableFlags_SizingStretchProp : ImGuiTableFlags_SizingFixedFit);
  if (!ImGui::BeginTable("thin", 6, flags)) return;
  const char* wide[6] = {"d", "init", "accuracy", "W1 off-span", "radius in", "radius off"};
  const char* short_names[6] = {"d", "init", "acc.", "W1 off", "r in", "r off"};
  for (int c = 0; c < 6; ++c) ImGui::TableSetupColumn(slim ? short_names[c] : wide[c]);
  ImGui::TableHeadersRow();
  for (const ThinBookRun& r : runs) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::Text("%d", r.d);
    ImGui::TableNextColumn();
    ImGui::Text("x%g", double(r.init_scale));
    ImGui::TableNextColumn();
    ImGui::Text("%.1f %%", 100 * r.accuracy_projected);
    ImGui::TableNextColumn();
    ImGui::Text("%.2f", r.off_share);
    ImGui::TableNextColumn();
    ImGui::Text(std::isfinite(r.radius_in) ? "%.2f" : "none", double(r.radius_in));
    ImGui::TableNextColumn();
    ImGui::Text(r.d >= kPixels ? "-" : std::isfinite(r.radius_off) ? "%.2f" : "none", double(r.radius_off));
  }
  ImGui::EndTable();
}

// f: one row per decay.
void tilt_table(const TiltReport& rep, bool slim) {
  if (rep.runs.empty()) return;
  const ImGuiTableFlags flags =
      ImGuiTableFlags_Borders | (slim ? ImGuiTableFlags_SizingStretchProp : ImGuiTableFlags_SizingFixedFit);
  if (!ImGui::BeginTable("tilt", 5, flags)) return;
  const char* wide[5] = {"decay", "accuracy", "W1 off-span", "median radius", "angle"};
  const char* short_names[5] = {"decay", "acc.", "W1 off", "radius", "angle"};
  for (int c = 0; c < 5; ++c) ImGui::TableSetupColumn(slim ? short_names[c] : wide[c]);
  ImGui::TableHeadersRow();
  for (const DecayRun& r : rep.runs) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::Text("%g", double(r.decay));
    ImGui::TableNextColumn();
    ImGui::Text("%.1f %%", 100 * r.clean_accuracy);
    ImGui::TableNextColumn();
    ImGui::Text("%.2f", r.off_span_norm);
    ImGui::TableNextColumn();
    ImGui::Text(r.images.empty() ? "-" : std::isfinite(r.median_radius) ? "%.2f" : "none", r.median_radius);
    ImGui::TableNextColumn();
    ImGui::Text(std::isfinite(r.median_angle_deg) ? "%.1f deg" : "-",
                r.median_angle_deg);  // the font has no degree sign
  }
  ImGui::EndTable();
}

void experiment_section(AppState& s, const ExperimentInfo& info, bool slim) {
  ImGui::PushID(info.name);
  const ExperimentRun& r = s.trial.runs[size_t(info.experiment)];
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::TextWrapped("%s", info.title);
  ImGui::TextWrapped("%s", info.question);
  const bool busy = r.status == ExperimentStatus::kWaiting || r.status == ExperimentStatus::kRunning;
  if (busy) ImGui::BeginDisabled();
  field_button(s, r.status == ExperimentStatus::kDone ? "Run again" : "Run", {{"trial", info.name}});
  if (busy) ImGui::EndDisabled();
  if (r.status == ExperimentStatus::kRunning) {
    same_line_if_fits(120);
    ImGui::ProgressBar(float(experiment_progress(s, info.experiment)), ImVec2(fit(260), 0));
  } else if (r.status == ExperimentStatus::kWaiting) {
    remark(trial_running(s) ? "waiting for the experiment before it"
           : s.run.remote   ? "waiting for the training worker and a model on view"
                            : "waiting for the training set and its subspace");
  } else if (r.status == ExperimentStatus::kDone) {
    char done[160];
    std::snprintf(done, sizeof done, "done: ran %.1f s (%.1f s after it was asked), on %s", r.run_seconds,
                  r.seconds, r.model.c_str());
    remark(done);
  } else {
    remark("not run yet");
  }
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", settings_text(info.experiment, s.book).c_str());
  ImGui::PopStyleColor();
  verdict_table(experiment_verdicts(s, info.experiment), slim);
  const float width = std::min(ImGui::GetContentRegionAvail().x, 520.0f);
  const ExperimentResult* x = experiment_result(s, info.experiment);
  if (info.experiment == Experiment::kTransfer && x) cosine_plot(x->transfer, width);
  if (info.experiment == Experiment::kThinBook && x) thin_table(x->thin, slim);
  if (info.experiment == Experiment::kTilt && x) tilt_table(x->tilt, slim);
  ImGui::PopID();
}

}  // namespace

void draw_trial_panel(AppState& s, Textures&) {
  const bool slim = narrow();
  ImGui::TextWrapped(
      "Four explanations of why tiny changes fool this network, and six experiments that could tell them "
      "apart. Each table gives what every explanation predicts; run the experiment to fill in what this page "
      "measures on the model on view. The rules of a to d were written after the first results had been "
      "seen: they read those results, they do not test them. e and f are judged by the second trial's rules, "
      "fixed before any of its results (docs/trial-rules.md), here on this model alone; the article shows "
      "the second trial's verdicts over five seeds.");
  bool any_busy = false;
  for (const ExperimentRun& r : s.trial.runs)
    any_busy |= r.status == ExperimentStatus::kWaiting || r.status == ExperimentStatus::kRunning;
  if (any_busy) ImGui::BeginDisabled();
  field_button(s, "Run all six", {{"trial", "all"}});
  if (any_busy) ImGui::EndDisabled();
  remark(s.run.remote ? "one at a time, in order, in the page's training worker"
                      : "one at a time, in order, between frames");
  for (const ExperimentInfo& info : kExperiments) experiment_section(s, info, slim);
}

}  // namespace bs::app
