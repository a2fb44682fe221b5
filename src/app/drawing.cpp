#include "app/drawing.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "app/app_state.h"
#include "core/image/mnist_preprocess.h"

namespace bs::app {
namespace {

// A round brush with a soft one-pixel edge, stamped along the segment a -> b.
void ink_segment(Drawing& d, Drawing::Point a, Drawing::Point b) {
  const float r = Drawing::kBrush;
  const int x0 = std::max(0, int(std::floor(std::min(a.x, b.x) - r - 1)));
  const int x1 = std::min(Drawing::kSize - 1, int(std::ceil(std::max(a.x, b.x) + r + 1)));
  const int y0 = std::max(0, int(std::floor(std::min(a.y, b.y) - r - 1)));
  const int y1 = std::min(Drawing::kSize - 1, int(std::ceil(std::max(a.y, b.y) + r + 1)));
  const float dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
  for (int y = y0; y <= y1; ++y) {
    for (int x = x0; x <= x1; ++x) {
      const float px = x + 0.5f, py = y + 0.5f;
      const float t = len2 > 0 ? std::clamp(((px - a.x) * dx + (py - a.y) * dy) / len2, 0.0f, 1.0f) : 0.0f;
      const float ex = px - (a.x + t * dx), ey = py - (a.y + t * dy);
      const float v = std::clamp(r + 0.5f - std::sqrt(ex * ex + ey * ey), 0.0f, 1.0f);
      float& p = d.pad[size_t(y) * Drawing::kSize + size_t(x)];
      p = std::max(p, v);
    }
  }
}

void classify(AppState& s, const std::vector<float>& digit) {
  Drawing& d = s.drawing;
  d.digit = digit;
  d.has_digit = true;
  ++d.generation;
  if (!s.has_model()) return;
  const Params& p = s.shown().params;
  d.prediction = predict_one(p, s.attack.probe_ws, d.digit.data(), d.probs.data());
  // predict_one left the activations in column 0 of the workspace.
  const Mat* acts[2] = {&s.attack.probe_ws.a1, &s.attack.probe_ws.a2};
  for (int l = 0; l < 2; ++l) {
    std::vector<int> idx(size_t(acts[l]->rows()));
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(),
                     [&](int a, int b) { return (*acts[l])(a, 0) > (*acts[l])(b, 0); });
    idx.resize(6);
    while (!idx.empty() && (*acts[l])(idx.back(), 0) <= 0) idx.pop_back();
    d.most_active[size_t(l)] = idx;
  }
}

}  // namespace

void add_stroke_point(Drawing& d, float x, float y, bool new_stroke) {
  if (d.from_picture) clear_drawing(d);
  if (new_stroke || d.strokes.empty()) d.strokes.emplace_back();
  std::vector<Drawing::Point>& s = d.strokes.back();
  const Drawing::Point p{std::clamp(x, 0.0f, float(Drawing::kSize)),
                         std::clamp(y, 0.0f, float(Drawing::kSize))};
  ink_segment(d, s.empty() ? p : s.back(), p);
  s.push_back(p);
}

void clear_drawing(Drawing& d) {
  std::fill(d.pad.begin(), d.pad.end(), 0.0f);
  d.strokes.clear();
  d.from_picture = false;
  d.has_digit = false;
  d.prediction = -1;
  ++d.generation;
}

void classify_drawing(AppState& s) {
  Drawing& d = s.drawing;
  if (d.from_picture) {
    classify(s, d.digit);  // the model on view changed: classify the picture's digit again
    return;
  }
  InkImage img{Drawing::kSize, Drawing::kSize, d.pad};
  Expected<std::vector<float>> digit = mnist_preprocess(img);
  if (!digit.ok()) {
    d.has_digit = false;
    return;
  }
  classify(s, digit.value());
}

Status use_picture(AppState& s, const unsigned char* rgba, int width, int height) {
  if (!rgba || width <= 0 || height <= 0) return Error{"the picture is empty"};
  if (width > 8192 || height > 8192) return Error{"the picture is too large (at most 8192 x 8192 pixels)"};
  Expected<std::vector<float>> digit = mnist_preprocess(ink_from_rgba(rgba, width, height));
  if (!digit.ok()) return Error{"the picture: " + digit.error()};
  Drawing& d = s.drawing;
  clear_drawing(d);
  d.from_picture = true;
  // Show the prepared digit on the pad, each MNIST pixel as a 10 x 10 block.
  for (int y = 0; y < Drawing::kSize; ++y)
    for (int x = 0; x < Drawing::kSize; ++x)
      d.pad[size_t(y) * Drawing::kSize + size_t(x)] = digit.value()[size_t(y / 10) * 28 + size_t(x / 10)];
  classify(s, digit.value());
  return Status::Ok();
}

Status attack_drawing(AppState& s) {
  const Drawing& d = s.drawing;
  if (!d.has_digit || d.prediction < 0) return Error{"there is no drawn digit to attack yet: draw one first"};
  s.attack.custom_x = d.digit;
  s.attack.custom_label = d.prediction;
  s.attack.custom = true;
  s.ui.view = View::kOverlay;  // where the attack happens
  s.ui.view_requested = true;
  s.analysis.dirty = true;
  s.analysis.last_time = -1;
  return Status::Ok();
}

}  // namespace bs::app
