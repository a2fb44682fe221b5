// Robustness: how far the digit on view is from being misclassified, bracketed from both sides — certified
// radii below (nothing that close flips it), attack radii above (something that close does) — with the seed's
// overlay and FGSM flip points in the same norm; its closest adversarial beside it; and certified against
// attacked accuracy over the first correctly classified test images, the band between them shaded.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/field_widgets.h"
#include "app/flow.h"
#include "app/panels.h"

namespace bs::app {
namespace {

const ImU32 kCertified = IM_COL32(0, 158, 115, 255);  // Okabe-Ito bluish green
const ImU32 kAttack = IM_COL32(213, 94, 0, 255);      // vermillion
const ImU32 kSeed = IM_COL32(204, 121, 167, 255);     // reddish purple
const ImU32 kBand = IM_COL32(230, 159, 0, 70);        // orange, translucent: where the truth lies

struct Marker {
  const char* name;
  float value;
  ImU32 colour;
};

// A horizontal axis from 0 to `top` with shaded zones and labelled ticks; values past `top` are drawn at the
// edge with their value.
void number_line(const ImageRobustness& r, const std::vector<Marker>& marks, float top, float width) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float h = 104, axis_y = p.y + 62, left = p.x + 8, w = width - 16;
  auto x_of = [&](float v) { return left + w * std::min(v, top) / top; };
  const float crown = std::max(r.ibp, r.crown);
  dl->AddRectFilled(ImVec2(left, axis_y - 10), ImVec2(x_of(crown), axis_y + 10), IM_COL32(0, 158, 115, 50));
  if (std::isfinite(r.best)) {
    dl->AddRectFilled(ImVec2(x_of(crown), axis_y - 10), ImVec2(x_of(r.best), axis_y + 10), kBand);
    dl->AddRectFilled(ImVec2(x_of(r.best), axis_y - 10), ImVec2(left + w, axis_y + 10),
                      IM_COL32(213, 94, 0, 35));
  }
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  dl->AddLine(ImVec2(left, axis_y), ImVec2(left + w, axis_y), text);
  for (int t = 0; t <= 4; ++t) {
    const float v = top * float(t) / 4, x = x_of(v);
    dl->AddLine(ImVec2(x, axis_y), ImVec2(x, axis_y + 4), text);
    char b[16];
    std::snprintf(b, sizeof b, "%.3g", double(v));
    dl->AddText(ImVec2(x - 10, axis_y + 12), ImGui::GetColorU32(ImGuiCol_TextDisabled), b);
  }
  // Each label goes on the lowest of three rows above the axis where it overlaps no label already placed.
  std::vector<Marker> sorted = marks;
  std::sort(sorted.begin(), sorted.end(), [](const Marker& a, const Marker& b) { return a.value < b.value; });
  float row_end[3] = {-1e9f, -1e9f, -1e9f};
  for (const Marker& m : sorted) {
    if (!std::isfinite(m.value)) continue;
    const float x = x_of(m.value);
    char b[48];
    std::snprintf(b, sizeof b, m.value > top ? "%s %.3g >" : "%s %.3g", m.name, double(m.value));
    const float tw = ImGui::CalcTextSize(b).x;
    const float tx = std::clamp(x - tw / 2, left, left + w - tw);
    int row = 0;
    while (row < 3 && tx < row_end[row] + 6) ++row;
    if (row == 3)
      row = int(std::min_element(row_end, row_end + 3) - row_end);  // all taken: the least crowded
    row_end[row] = tx + tw;
    const float y = axis_y - 30 - 17 * float(row);
    dl->AddLine(ImVec2(x, y + 14), ImVec2(x, axis_y + 10), m.colour, 2.0f);
    dl->AddText(ImVec2(tx, y), m.colour, b);
  }
  ImGui::Dummy(ImVec2(width, h));
}

// Certified and attacked accuracy against eps over the survey's images, the gap between them shaded.
void survey_plot(const std::vector<ImageRobustness>& images, float top, ImVec2 size) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float left = 40, bottom = 22;
  const float w = size.x - left - 8, h = size.y - bottom;
  dl->AddRectFilled(ImVec2(p.x + left, p.y), ImVec2(p.x + left + w, p.y + h), IM_COL32(255, 255, 255, 255));
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  for (int t = 0; t <= 4; ++t) {
    const float y = p.y + h - h * float(t) / 4;
    dl->AddLine(ImVec2(p.x + left, y), ImVec2(p.x + left + w, y), IM_COL32(220, 220, 220, 255));
    char b[16];
    std::snprintf(b, sizeof b, "%d%%", 25 * t);
    dl->AddText(ImVec2(p.x, y - 7), text, b);
    std::snprintf(b, sizeof b, "%.3g", double(top) * t / 4);
    dl->AddText(ImVec2(p.x + left + w * float(t) / 4 - 10, p.y + h + 4), text, b);
  }
  const std::vector<RobustnessPoint> c = robustness_curve(images, top, 101);
  auto pt = [&](size_t i, double v) {
    return ImVec2(p.x + left + w * float(i) / float(c.size() - 1), p.y + h - h * float(v));
  };
  for (size_t i = 1; i < c.size(); ++i)
    dl->AddQuadFilled(pt(i - 1, c[i - 1].attacked), pt(i, c[i].attacked), pt(i, c[i].certified),
                      pt(i - 1, c[i - 1].certified), kBand);
  for (size_t i = 1; i < c.size(); ++i) {
    dl->AddLine(pt(i - 1, c[i - 1].certified), pt(i, c[i].certified), kCertified, 2.0f);
    dl->AddLine(pt(i - 1, c[i - 1].attacked), pt(i, c[i].attacked), kAttack, 2.0f);
  }
  ImGui::Dummy(size);
}

}  // namespace

void draw_robustness_panel(AppState& s, Textures& t) {
  RobustnessState& r = s.robust;
  // On a phone the two choices sit side by side with short names, and what they mean follows.
  const bool slim = narrow();
  ImGui::TextUnformatted("Distance measured as");
  ImGui::SameLine();
  field_option(s, "robustNorm", slim ? "L-infinity" : "L-infinity (the largest change of any pixel)", "linf",
               r.norm == Norm::kLinf);
  same_line_if_fits(text_width(slim ? "L2" : "L2 (the length of the whole change)") +
                    ImGui::GetFrameHeight());
  field_option(s, "robustNorm", slim ? "L2" : "L2 (the length of the whole change)", "l2",
               r.norm == Norm::kL2);
  if (slim) remark("L-infinity: the largest change of any pixel; L2: the length of the whole change.", false);
  if (!s.has_model() || s.attack.x.empty()) {
    ImGui::TextDisabled("Waiting for a model and a test image...");
    return;
  }
  if (!r.image_ready) {
    ImGui::TextDisabled("Bracketing the digit on view...");
  } else {
    const ImageRobustness& im = r.image;
    const bool l2 = r.norm == Norm::kL2;
    std::vector<Marker> marks = {{"IBP", im.ibp, kCertified},
                                 {"CROWN", im.crown, kCertified},
                                 {"DeepFool", im.deepfool, kAttack},
                                 {"PGD", im.pgd, kAttack}};
    if (!std::isnan(im.square)) marks.push_back({"Square", im.square, kAttack});
    if (s.attack.flip.flipped)
      marks.push_back({"overlay", l2 ? s.attack.flip.l2 : s.attack.flip.linf, kSeed});
    if (r.fgsm.flipped) marks.push_back({"FGSM", l2 ? r.fgsm.l2 : r.fgsm.linf, kSeed});
    ImGui::TextWrapped(
        "Test image #%lld (label %d). Certified: no change smaller than %.4f can flip it (CROWN; IBP proves "
        "%.4f). Attacked: a change of %.4f does, to a %d. The true smallest flip lies in the orange band.",
        s.attack.index, im.label, double(std::max(im.ibp, im.crown)), double(im.ibp), double(im.best),
        im.adversarial_prediction);
    const float top = std::isfinite(im.best) ? 2.0f * im.best : max_radius(r.norm, kPixels);
    number_line(im, marks, top, std::min(ImGui::GetContentRegionAvail().x, 760.0f));
    // The digit, then each attack's closest point above its change (amplified: blue darker, red lighter).
    const float size = std::clamp(ImGui::GetContentRegionAvail().x / 5, 72.0f, 120.0f);
    ImGui::BeginGroup();
    caption(s.book == Book::kMnist ? "the digit" : "the image", size);
    ImGui::Image(t.get(slot(TextureBlock::kRobust, 0), ViewKey{r.generation},
                       [&] { return grey_rgba(r.clean.data(), false); }),
                 ImVec2(size, size));
    ImGui::EndGroup();
    const char* names[3] = {"DeepFool", "PGD", "Square"};
    const float radii[3] = {im.deepfool, im.pgd, im.square};
    for (size_t a = 0; a < 3; ++a) {
      if (r.adversarial[a].empty()) continue;
      same_line_if_fits(size);
      ImGui::BeginGroup();
      char name[48];
      std::snprintf(name, sizeof name, "%s %.3g", names[a], double(radii[a]));
      caption(name, size);
      ImGui::Image(t.get(slot(TextureBlock::kRobust, 1 + int(a)), ViewKey{r.generation},
                         [&] { return grey_rgba(r.adversarial[a].data(), false); }),
                   ImVec2(size, size));
      ImGui::Image(t.get(slot(TextureBlock::kRobust, 4 + int(a)), ViewKey{r.generation},
                         [&] { return diverging_rgba(r.change[a].data()); }),
                   ImVec2(size, size));
      ImGui::EndGroup();
    }
    remark("Seed's attacks (purple): the overlay pattern's and FGSM's flip points, in the same norm.", false);
  }
  ImGui::Separator();
  const bool partial = r.survey.empty();
  const std::vector<ImageRobustness>& images = shown_survey(r);
  if (images.empty()) {
    char surveying[96];
    std::snprintf(surveying, sizeof surveying, "Surveying the first %zu correctly classified test images...",
                  kRobustSurveyImages);
    remark(surveying, false);
    return;
  }
  ImGui::TextWrapped(
      "%s %zu correctly classified test images: certified (green) and attacked (vermillion) accuracy",
      partial ? "So far," : "Over the first", images.size());
  survey_plot(images, largest_attack_radius(images),
              ImVec2(std::min(ImGui::GetContentRegionAvail().x, 560.0f), 170));
  ImGui::TextWrapped("median certified radius %.4f (IBP %.4f), median best attack %.4f",
                     double(median_of(images, &ImageRobustness::crown)),
                     double(median_of(images, &ImageRobustness::ibp)),
                     double(median_of(images, &ImageRobustness::best)));
  // The page's attacks are lighter than the CLI's, so the reader knows an upper bound here may sit a little
  // above the command's.
  const RobustnessSettings page = page_robustness_settings(r.norm), full;
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  if (r.norm == Norm::kLinf)
    ImGui::TextWrapped(
        "Attacks here: PGD %d steps x %d restart(s), Square %d queries (booksmart robustness: %d x %d, %d), "
        "so "
        "the attack radii can be a little larger than the command's.",
        page.steps, page.restarts, page.square_queries, full.steps, full.restarts, full.square_queries);
  else
    ImGui::TextWrapped(
        "Attacks here: PGD %d steps x %d restart(s) (booksmart robustness: %d x %d), so the attack radii can "
        "be a little larger than the command's.",
        page.steps, page.restarts, full.steps, full.restarts);
  ImGui::PopStyleColor();
  if (r.survey_job) {
    const float done = float(r.survey_job->results().size()) / float(r.survey_job->total());
    ImGui::ProgressBar(done, ImVec2(fit(300), 0),
                       r.passes ? "re-measuring the trained model..." : "measuring...");
  }
}

}  // namespace bs::app
