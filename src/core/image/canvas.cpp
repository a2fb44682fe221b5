#include "core/image/canvas.h"

#include <algorithm>
#include <cmath>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO
#include <stb/stb_easy_font.h>
#include <stb/stb_image_write.h>

namespace bs {

Canvas::Canvas(int w, int h, Rgb fill) : width(w), height(h), pixels(size_t(w) * size_t(h) * 3) {
  fill_rect(0, 0, w, h, fill);
}

void Canvas::fill_rect(int x, int y, int w, int h, Rgb c) {
  for (int yy = std::max(0, y); yy < std::min(height, y + h); ++yy) {
    for (int xx = std::max(0, x); xx < std::min(width, x + w); ++xx) set(xx, yy, c);
  }
}

void Canvas::text(int x, int y, const std::string& s, Rgb c, int scale) {
  // stb_easy_font emits axis-aligned quads (4 vertices of 16 bytes: x, y, z, rgba); fill each one.
  std::vector<char> buf(s.size() * 270 + 64);
  std::string copy = s;
  int quads = stb_easy_font_print(0, 0, copy.data(), nullptr, buf.data(), int(buf.size()));
  for (int q = 0; q < quads; ++q) {
    const float* v0 = reinterpret_cast<const float*>(buf.data() + q * 64);
    const float* v2 = reinterpret_cast<const float*>(buf.data() + q * 64 + 32);
    int x0 = int(std::lround(v0[0] * scale)), y0 = int(std::lround(v0[1] * scale));
    int x1 = int(std::lround(v2[0] * scale)), y1 = int(std::lround(v2[1] * scale));
    fill_rect(x + x0, y + y0, x1 - x0, y1 - y0, c);
  }
}

int Canvas::text_width(const std::string& s, int scale) {
  std::string copy = s;
  return stb_easy_font_width(copy.data()) * scale;
}

Rgb diverging(float v) {
  v = std::max(-1.0f, std::min(1.0f, v));
  // Ends: #2166ac (blue) and #b2182b (red), as in ColorBrewer's RdBu; white in the middle.
  const float neg[3] = {33, 102, 172}, pos[3] = {178, 24, 43};
  const float* end = v < 0 ? neg : pos;
  float t = std::fabs(v);
  auto mix = [&](int k) { return uint8_t(std::lround(255.0f + (end[k] - 255.0f) * t)); };
  return {mix(0), mix(1), mix(2)};
}

Rgb grey(float v) {
  uint8_t g = uint8_t(std::lround(255.0f * std::max(0.0f, std::min(1.0f, v))));
  return {g, g, g};
}

void draw_diverging_tile(Canvas& c, int x, int y, const float* img, int scale) {
  float mx = 0;
  for (int i = 0; i < 784; ++i) mx = std::max(mx, std::fabs(img[i]));
  float inv = mx > 0 ? 1.0f / mx : 0.0f;
  for (int r = 0; r < 28; ++r) {
    for (int col = 0; col < 28; ++col)
      c.fill_rect(x + col * scale, y + r * scale, scale, scale, diverging(img[r * 28 + col] * inv));
  }
}

void draw_grey_tile(Canvas& c, int x, int y, const float* img, int scale, bool normalise) {
  float mx = 1.0f;
  if (normalise) {
    mx = 0;
    for (int i = 0; i < 784; ++i) mx = std::max(mx, img[i]);
  }
  float inv = mx > 0 ? 1.0f / mx : 0.0f;
  for (int r = 0; r < 28; ++r) {
    for (int col = 0; col < 28; ++col)
      c.fill_rect(x + col * scale, y + r * scale, scale, scale, grey(img[r * 28 + col] * inv));
  }
}

std::vector<uint8_t> encode_png(const Canvas& c) {
  std::vector<uint8_t> out;
  stbi_write_png_to_func(
      [](void* ctx, void* data, int size) {
        auto* v = static_cast<std::vector<uint8_t>*>(ctx);
        v->insert(v->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
      },
      &out, c.width, c.height, 3, c.pixels.data(), c.width * 3);
  return out;
}

}  // namespace bs
