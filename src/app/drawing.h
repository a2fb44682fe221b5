// "Draw your own digit": strokes on a 280x280 pad (mouse, touch or pen), or a picture dropped in, prepared
// the way MNIST's digits were and classified by the model on view; the reader can then attack it like the 7.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "core/util/status.h"

namespace bs::app {

struct AppState;

struct Drawing {
  static constexpr int kSize = 280;       // pad pixels per side (10 per MNIST pixel)
  static constexpr float kBrush = 11.0f;  // stroke radius in pad pixels: MNIST strokes are 2-3 pixels wide
  struct Point {
    float x, y;
  };
  std::vector<float> pad = std::vector<float>(kSize * kSize, 0.0f);  // ink in [0, 1], row-major
  std::vector<std::vector<Point>> strokes;                           // for drawing them back smoothly
  bool from_picture = false;  // the pad holds a picture's preprocessed digit, not strokes
  // The result, once there is ink.
  bool has_digit = false;
  std::vector<float> digit = std::vector<float>(784, 0.0f);
  int prediction = -1;
  std::vector<float> probs = std::vector<float>(10, 0.0f);
  std::array<std::vector<int>, 2>
      most_active;      // hidden neurons by activation, strongest first (up to 6 each)
  long generation = 0;  // bumped when the digit changes
};

// Adds a point to the current stroke (or starts a new one) and inks the pad along it.
void add_stroke_point(Drawing& d, float x, float y, bool new_stroke);
void clear_drawing(Drawing& d);
// Preprocesses the pad and classifies it with the model on view (no-op without ink or a model).
void classify_drawing(AppState& s);
// A picture's RGBA pixels (a dropped or chosen file): preprocessed straight to a digit. A blank or empty
// picture is refused with a message and leaves the current drawing as it was.
Status use_picture(AppState& s, const unsigned char* rgba, int width, int height);
// Makes the drawn digit the attacked image of the Overlay and Attacks views, and shows the Overlay.
Status attack_drawing(AppState& s);

}  // namespace bs::app
