// A small RGB raster for figures: tiles of 28x28 images drawn through a colormap, scaled up by whole pixels,
// and text from stb_easy_font. The CLI writes these as PNG; the page exports its views the same way.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bs {

struct Rgb {
  uint8_t r, g, b;
};

struct Canvas {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;  // (height, width, 3) row-major

  Canvas(int w, int h, Rgb fill = {255, 255, 255});
  void set(int x, int y, Rgb c) {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    uint8_t* p = &pixels[(size_t(y) * width + x) * 3];
    p[0] = c.r;
    p[1] = c.g;
    p[2] = c.b;
  }
  void fill_rect(int x, int y, int w, int h, Rgb c);
  // Draws text with its top-left corner at (x, y); `scale` multiplies stb_easy_font's ~7 px glyph height.
  void text(int x, int y, const std::string& s, Rgb c, int scale = 1);
  static int text_width(const std::string& s, int scale = 1);
};

// Colour for values in [-1, 1]: blue (negative) through white (0) to red (positive). The two ends differ in
// lightness as well as hue, so the map stays readable with red-green colour blindness.
Rgb diverging(float v);
// Grey level for values in [0, 1]: black to white, as MNIST digits are shown.
Rgb grey(float v);

// Draws a 28x28 row-major image into the canvas at (x, y), each pixel a `scale` x `scale` block.
// Diverging tiles are normalised by max|v| (symmetric, so white is exactly 0); grey tiles by max v.
void draw_diverging_tile(Canvas& c, int x, int y, const float* img, int scale);
void draw_grey_tile(Canvas& c, int x, int y, const float* img, int scale, bool normalise = true);

// PNG bytes of the canvas (stb_image_write).
std::vector<uint8_t> encode_png(const Canvas& c);

}  // namespace bs
