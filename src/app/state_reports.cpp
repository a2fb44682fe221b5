#include "app/state_reports.h"

#include <algorithm>
#include <cmath>

#include "app/app_state.h"
#include "app/figure_layout.h"
#include "app/state_fields.h"

namespace bs::app {
namespace {

using json = nlohmann::json;

// Images attacked, and per direction the flip rate at alpha = 1 and the median flip alpha (null: most never
// flip).
json survey_summary(const AttackSurvey& sv) {
  json rates = json::object(), medians = json::object();
  for (int d = 0; d < kDirectionCount; ++d) {
    rates[direction_name(Direction(d))] = sv.rate_at(Direction(d), 1.0f);
    const double m = sv.median_flip_alpha(Direction(d));
    medians[direction_name(Direction(d))] = std::isfinite(m) ? json(m) : json(nullptr);
  }
  return {{"images", sv.images}, {"rateAt1", rates}, {"medianFlipAlpha", medians}};
}

}  // namespace

json compare_report(const AppState& s) {
  const Compare& c = s.compare;
  json options = json::object();
  for (const StreetField& f : street_fields()) options[f.name] = f.get(c.options);
  // What the running street-smart trainer does (the options apply at its next reset).
  json adversarial = nullptr;
  if (c.trainer && c.trainer->config().adversarial.on()) {
    const AdversarialConfig& a = c.trainer->config().adversarial;
    adversarial = {{"method", a.random_start ? "pgd" : "fgsm"}, {"eps", a.eps}, {"steps", a.steps}};
  }
  json j = {{"options", options},
            {"adversarial", adversarial},
            {"playing", c.playing},
            {"step", c.trainer ? c.trainer->step() : 0},
            {"epochsCompleted", c.trainer ? c.trainer->epochs_completed() : 0}};
  json sides = json::array();
  for (const CompareSide& side : c.side) {
    json x = {
        {"ready", side.key >= 0}, {"accuracy", side.accuracy}, {"accuracyImages", side.accuracy_images}};
    if (side.has_span) {
      x["offShare"] = json::array();
      for (const SpanSplit& l : side.span.layers) x["offShare"].push_back(l.off_share);
    }
    if (side.survey_ready) {
      x["survey"] = survey_summary(side.survey);
      x["survey"]["current"] = side.job_key == side.key && !side.job.running();
    }
    if (side.alignment_ready) {
      const PerceptualAlignment& a = side.alignment_job.result();
      x["alignment"] = {{"layers", a.layer},
                        {"neurons", a.neurons},
                        {"gradient", a.gradient},
                        {"images", a.images},
                        {"current", side.alignment_key == side.key && !side.alignment_job.running()}};
    }
    sides.push_back(x);
  }
  j["bookSmart"] = sides[0];
  j["streetSmart"] = sides[1];
  return j;
}

json lab_report(const AppState& s) {
  const SubspaceState& lab = s.subspace;
  if (!lab.ready()) return json{{"ready", false}, {"imagesDone", lab.builder.done_images()}};
  json layers = json::array();
  for (const SpanSplit& l : lab.report.layers)
    layers.push_back({{"offShare", l.off_share},
                      {"initOffShare", l.init_off_share},
                      {"changeInShare", l.change_in_share},
                      {"offDrift", l.off_drift}});
  json j = {{"ready", true},
            {"k", lab.k},
            {"k95", lab.basis.k_for(0.95)},
            {"explained", lab.basis.explained(lab.k)},
            {"neverLit", lab.basis.never_lit_count()},
            {"neverLitChange", lab.never_lit_change},
            {"buildSeconds", lab.build_seconds},
            {"layers", layers}};
  json dirs = json::object();
  for (int d = 0; d < kDirectionCount; ++d) {
    const FlipPoint& f = lab.image.at[size_t(d)];
    dirs[direction_name(Direction(d))] = {
        {"flipShare", lab.image.flip_share[size_t(d)]},
        {"flipAlpha", lab.image.flip_share[size_t(d)] > 0 ? json(f.alpha) : json(nullptr)},
        {"l2", f.l2},
        {"linf", f.linf},
        {"rms", f.rms}};
  }
  j["attack"] = dirs;
  if (lab.has_linear) {
    j["linear"] = {{"actual", lab.linear.actual},
                   {"sum", lab.linear.total},
                   {"inSpan", lab.linear.in_span},
                   {"offSpan", lab.linear.off_span},
                   {"switched", lab.linear.switched}};
  }
  if (lab.survey_ready) {
    j["survey"] = survey_summary(lab.survey);
    j["survey"]["generation"] = lab.survey_generation;
  }
  return j;
}

// JSON has no infinity: a radius no attack reached is null.
json radius(float r) {
  return std::isfinite(r) ? json(r) : json(nullptr);
}

json robustness_report(const AppState& s) {
  const RobustnessState& r = s.robust;
  json image = nullptr;
  if (r.image_ready) {
    const ImageRobustness& im = r.image;
    image = {
        {"index", s.attack.custom ? json(nullptr) : json(s.attack.index)},
        {"label", im.label},
        {"ibp", im.ibp},
        {"crown", im.crown},
        {"pgd", radius(im.pgd)},
        {"deepfool", radius(im.deepfool)},
        {"square", std::isnan(im.square) ? json(nullptr) : radius(im.square)},
        {"best", radius(im.best)},
        {"adversarialPrediction", im.adversarial_prediction},
        {"overlay", s.attack.flip.flipped ? json(r.norm == Norm::kL2 ? s.attack.flip.l2 : s.attack.flip.linf)
                                          : json(nullptr)},
        {"fgsm", r.fgsm.flipped ? json(r.norm == Norm::kL2 ? r.fgsm.l2 : r.fgsm.linf) : json(nullptr)}};
  }
  const std::vector<ImageRobustness>& images = shown_survey(r);
  const float top = largest_attack_radius(images);
  json curve = json::array();
  for (const RobustnessPoint& p : robustness_curve(images, top, 11))
    curve.push_back({{"eps", p.eps}, {"certified", p.certified}, {"attacked", p.attacked}});
  json survey = {
      {"images", images.size()},
      {"total", kRobustSurveyImages},
      {"passes", r.passes},
      {"running", r.survey_job != nullptr},
      {"medianCertified", images.empty() ? json(nullptr) : json(median_of(images, &ImageRobustness::crown))},
      {"medianIbp", images.empty() ? json(nullptr) : json(median_of(images, &ImageRobustness::ibp))},
      {"medianAttack", images.empty() ? json(nullptr) : radius(median_of(images, &ImageRobustness::best))},
      {"curve", curve}};
  return {{"norm", norm_name(r.norm)}, {"ready", r.image_ready}, {"image", image}, {"survey", survey}};
}

namespace {

json rect_json(const LayoutRect& r) {
  return {{"x", r.x}, {"y", r.y}, {"width", r.width}, {"height", r.height}};
}

// Where things were in the last frame, in CSS pixels from the figure's top left (docs/state-api.md).
json layout_report(const AppState&) {
  const FigureLayout& l = figure_layout();
  json zones = json::array(), scrollables = json::array(), tabs = json::array();
  for (const TouchZone& z : l.touch_zones) {
    json j = rect_json(z.rect);
    j["itemHeight"] = z.item_height;
    zones.push_back(j);
  }
  for (const ScrollableArea& a : l.scrollables) {
    json j = rect_json(a.rect);
    j["name"] = a.name;
    j["scroll"] = a.scroll;
    j["scrollMax"] = a.scroll_max;
    scrollables.push_back(j);
  }
  for (const TabPlace& t : l.tabs) {
    json j = rect_json(t.rect);
    j["view"] = view_name(t.view);
    tabs.push_back(j);
  }
  return {{"touchZones", zones},
          {"scrollables", scrollables},
          {"tabs", tabs},
          {"contentWidth", l.content_width},
          {"visibleWidth", l.visible_width},
          {"contentHeight", l.content_height}};
}

// A row that only reports.
StateField report(const char* name, json (*get)(const AppState&)) {
  StateField f{name, nullptr, FieldKind::kText};
  f.get = get;
  return f;
}

}  // namespace

void add_report_fields(std::vector<StateField>& f) {
  f.push_back(report("phase", [](const AppState& s) { return json(phase_name(s.ui.phase)); }));
  f.push_back(report("imagesLoaded",
                     [](const AppState& s) { return json(training_set_count(s).size + s.test.size()); }));
  f.push_back(report("trainImages", [](const AppState& s) { return json(training_set_count(s).size); }));
  f.push_back(report("testImages", [](const AppState& s) { return json(s.test.size()); }));
  f.push_back(report("totalImages", [](const AppState&) { return json(kMnistImages); }));
  f.push_back(report("trainingSetWanted", [](const AppState& s) { return json(training_set_wanted(s)); }));
  f.push_back(report("trainingSetForWorker",
                     [](const AppState& s) { return json(training_set_wanted_by_worker(s)); }));
  f.push_back(report("trainingSetCopy", [](const AppState& s) {
    constexpr const char* kNames[] = {"undecided", "kept", "counted"};
    return json(kNames[int(s.feed.train_copy)]);
  }));
  f.push_back(report("onscreen", [](const AppState& s) { return json(s.ui.onscreen); }));
  // The book's class names (0-9) and the pretrained model the page fetches for it (in its assets/ folder).
  f.push_back(report("classes", [](const AppState& s) { return json(book_info(s.book).classes); }));
  f.push_back(
      report("pretrainedFile", [](const AppState& s) { return json(book_info(s.book).pretrained_file); }));
  f.push_back(report("bytesLoaded", [](const AppState& s) {
    uint64_t bytes = 0;
    for (const auto& file : s.feed.files) bytes += file.bytes;
    return json(bytes);
  }));
  f.push_back(report("hasPretrained", [](const AppState& s) { return json(s.has_pretrained); }));
  f.push_back(report("modelLabel", [](const AppState& s) { return json(s.model_label()); }));
  f.push_back(report("epoch", [](const AppState& s) {
    const uint32_t declared = training_set_count(s).declared;
    const double epoch_size = double(declared ? declared : kMnistTrainImages);
    return json(s.run.trainer ? double(s.run.trainer->images_seen()) / epoch_size : 0.0);
  }));
  f.push_back(report("epochsCompleted", [](const AppState& s) {
    return json(s.run.trainer ? s.run.trainer->epochs_completed() : 0);
  }));
  f.push_back(report(
      "loss", [](const AppState& s) { return json(s.run.trainer ? s.run.trainer->last_loss() : 0.0f); }));
  f.push_back(report("epochLosses", [](const AppState& s) {
    return json(s.run.trainer ? s.run.trainer->epoch_losses() : std::vector<float>{});
  }));
  f.push_back(report("testAccuracy", [](const AppState& s) { return json(s.run.test_accuracy); }));
  f.push_back(
      report("testAccuracyImages", [](const AppState& s) { return json(s.run.test_accuracy_images); }));
  f.push_back(report("epochAccuracies", [](const AppState& s) { return json(s.run.epoch_accuracy); }));
  f.push_back(
      report("epochAccuracyImages", [](const AppState& s) { return json(s.run.epoch_accuracy_images); }));
  f.push_back(report("shownAccuracy", [](const AppState& s) { return json(s.analysis.shown_accuracy); }));
  f.push_back(report("network", [](const AppState&) {
    const Arch a;
    return json{{"layers", {a.in, a.h1, a.h2, a.out}},
                {"hidden", a.h1 + a.h2},
                {"parameters", a.in * a.h1 + a.h1 + a.h1 * a.h2 + a.h2 + a.h2 * a.out + a.out}};
  }));
  f.push_back(report("sparsity", [](const AppState& s) {
    const Sparsity& sp = s.analysis.sparsity;
    if (sp.strong.empty()) return json(nullptr);
    return json{{"images", sp.strong.size()},
                {"meanStrong", sp.mean_strong},
                {"meanMild", sp.mean_mild},
                {"medianStrong", sp.median_strong},
                {"medianMild", sp.median_mild},
                {"meanZero", sp.mean_zero},
                {"dead", sp.dead}};
  }));
  f.push_back(report("imagesPerSecond", [](const AppState& s) { return json(s.run.images_per_second); }));
  f.push_back(report("prediction", [](const AppState& s) { return json(s.attack.prediction); }));
  f.push_back(report("confidence", [](const AppState& s) {
    return json(s.attack.prediction >= 0 ? s.attack.probs[size_t(s.attack.prediction)] : 0.0f);
  }));
  f.push_back(report("probabilities", [](const AppState& s) { return json(s.attack.probs); }));
  f.push_back(report("flipAlpha", [](const AppState& s) {
    return s.attack.flip.flipped ? json(s.attack.flip.alpha) : json(nullptr);
  }));
  f.push_back(report("subspace", lab_report));
  f.push_back(report("drawing", drawing_report));
  f.push_back(report("customDigit", [](const AppState& s) { return json(s.attack.custom); }));
  f.push_back(report("stopAtStep", [](const AppState& s) { return json(s.run.stop_at_step); }));
  f.push_back(report("compare", compare_report));
  f.push_back(report("robustness", robustness_report));
  f.push_back(report("embed", [](const AppState& s) { return json(s.ui.embed); }));
  f.push_back(report("fps", [](const AppState& s) { return json(s.ui.fps); }));
  f.push_back(report("frameOtherMs", [](const AppState& s) { return json(s.ui.frame_other_ms); }));
  f.push_back(report("trainMs", [](const AppState& s) { return json(s.run.last_train_ms); }));
  f.push_back(report("worstFrameMs", [](const AppState& s) { return json(s.ui.worst_frame_ms); }));
  f.push_back(report("worstFrameParts", [](const AppState& s) {
    const auto& p = s.ui.worst_frame_parts;
    return json{{"advanceMs", p[0]}, {"drawMs", p[1]}, {"renderMs", p[2]}};
  }));
  f.push_back(report("medianAppMs", [](const AppState& s) { return json(s.ui.median_app_ms); }));
  f.push_back(report("quartileAppMs", [](const AppState& s) { return json(s.ui.quartile_app_ms); }));
  f.push_back(report("drawVertices", [](const AppState& s) { return json(s.ui.draw_vertices); }));
  f.push_back(report("framesPresented", [](const AppState& s) { return json(s.ui.frames_presented); }));
  f.push_back(report("layout", layout_report));
  f.push_back(report("font", [](const AppState& s) {
    return json{{"pixels", kUiFontPixels}, {"atlasScale", s.ui.font.atlas_scale}};
  }));
  f.push_back(report("analysisGeneration", [](const AppState& s) { return json(s.analysis.generation); }));
  // False while the model on view has changed since the last published analysis (a late report from the
  // training worker, new images): the figures, the flip point among them, then describe an older model. Also
  // false in the frame between a sliced refresh's figures and its attack (the blend and the prediction).
  f.push_back(report("analysisCurrent", [](const AppState& s) {
    return json(s.has_model() && !s.analysis.dirty && !s.analysis.job.running() &&
                !s.analysis.attack_pending);
  }));
  // Whether the Neurons view's portraits (top images, optimized images) are those of the selected neuron and
  // the model on view as it is now, with no ascent on its way: what a test waits for after a selection.
  f.push_back(report("portraitsCurrent", [](const AppState& s) {
    return json(!s.portraits.running() && s.portraits.key == s.selected_key());
  }));
  f.push_back(report(
      "error", [](const AppState& s) { return s.ui.notice.empty() ? json(nullptr) : json(s.ui.notice); }));
}

json drawing_report(const AppState& s) {
  const Drawing& d = s.drawing;
  return {{"hasDigit", d.has_digit},
          {"prediction", d.has_digit ? d.prediction : -1},
          {"confidence", d.has_digit && d.prediction >= 0 ? d.probs[size_t(d.prediction)] : 0.0f},
          {"probabilities", d.probs},
          {"fromPicture", d.from_picture},
          {"area",
           {{"x", s.ui.draw_area[0]},
            {"y", s.ui.draw_area[1]},
            {"width", s.ui.draw_area[2]},
            {"height", s.ui.draw_area[3]}}}};
}

}  // namespace bs::app
