#include "core/image/mnist_preprocess.h"

#include <algorithm>
#include <cmath>

namespace bs {
namespace {

constexpr int kField = 28, kBox = 20;
constexpr float kInkThreshold = 0.05f;  // fainter than this is paper (scanner noise, anti-aliasing halos)

// Area-weighted resampling of the box [x0, x0 + w) x [y0, y0 + h) of `src` into an out_w x out_h grid.
std::vector<float> resample(const InkImage& src, double x0, double y0, double w, double h, int out_w,
                            int out_h) {
  std::vector<float> out(size_t(out_w) * size_t(out_h), 0.0f);
  const double sx = w / out_w, sy = h / out_h;
  for (int oy = 0; oy < out_h; ++oy) {
    const double ya = y0 + oy * sy, yb = ya + sy;
    for (int ox = 0; ox < out_w; ++ox) {
      const double xa = x0 + ox * sx, xb = xa + sx;
      double sum = 0;
      for (int y = int(std::floor(ya)); y < int(std::ceil(yb)); ++y) {
        const double cy = std::min(yb, y + 1.0) - std::max(ya, double(y));
        if (y < 0 || y >= src.height || cy <= 0) continue;
        for (int x = int(std::floor(xa)); x < int(std::ceil(xb)); ++x) {
          const double cx = std::min(xb, x + 1.0) - std::max(xa, double(x));
          if (x < 0 || x >= src.width || cx <= 0) continue;
          sum += cx * cy * src.ink[size_t(y) * size_t(src.width) + size_t(x)];
        }
      }
      out[size_t(oy) * size_t(out_w) + size_t(ox)] = float(sum / (sx * sy));
    }
  }
  return out;
}

}  // namespace

InkImage ink_from_rgba(const unsigned char* rgba, int width, int height) {
  InkImage img;
  img.width = std::max(width, 0);
  img.height = std::max(height, 0);
  img.ink.resize(size_t(img.width) * size_t(img.height));
  double border = 0;
  int border_n = 0;
  for (int y = 0; y < img.height; ++y) {
    for (int x = 0; x < img.width; ++x) {
      const unsigned char* p = rgba + (size_t(y) * size_t(img.width) + size_t(x)) * 4;
      const float a = p[3] / 255.0f;
      const float lum = (0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2]) / 255.0f;
      // Transparent pixels are paper whichever way round the picture turns out to be: mark them with -1.
      img.ink[size_t(y) * size_t(img.width) + size_t(x)] = a < 0.5f ? -1.0f : lum;
      if ((x == 0 || y == 0 || x == img.width - 1 || y == img.height - 1) && a >= 0.5f) {
        border += lum;
        ++border_n;
      }
    }
  }
  const bool light_paper = border_n > 0 && border / border_n > 0.5;
  for (float& v : img.ink) v = v < 0 ? 0.0f : light_paper ? 1.0f - v : v;
  return img;
}

Expected<std::vector<float>> mnist_preprocess(const InkImage& img) {
  if (img.width <= 0 || img.height <= 0 || img.ink.size() != size_t(img.width) * size_t(img.height))
    return Error{"the image is empty"};
  int x0 = img.width, y0 = img.height, x1 = -1, y1 = -1;
  for (int y = 0; y < img.height; ++y) {
    for (int x = 0; x < img.width; ++x) {
      if (img.ink[size_t(y) * size_t(img.width) + size_t(x)] > kInkThreshold) {
        x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
      }
    }
  }
  if (x1 < 0) return Error{"the image has no ink: draw a digit, or use a picture of one"};
  // The bounding box, scaled so its longer side is 20 pixels; the shorter keeps the aspect ratio.
  const double bw = x1 - x0 + 1, bh = y1 - y0 + 1;
  const double scale = kBox / std::max(bw, bh);
  const int ow = std::max(1, int(std::lround(bw * scale))), oh = std::max(1, int(std::lround(bh * scale)));
  std::vector<float> box = resample(img, x0, y0, bw, bh, ow, oh);
  // Centre of mass of the box, then the integer shift that puts it on pixel (14, 14) of the field, whose
  // centre is at 14.5 in these coordinates (pixel i spans [i, i + 1)), where MNIST's digits have theirs.
  double mass = 0, mx = 0, my = 0;
  for (int y = 0; y < oh; ++y) {
    for (int x = 0; x < ow; ++x) {
      const double v = box[size_t(y) * size_t(ow) + size_t(x)];
      mass += v, mx += v * (x + 0.5), my += v * (y + 0.5);
    }
  }
  const int left = int(std::lround(kField / 2.0 + 0.5 - mx / mass));
  const int top = int(std::lround(kField / 2.0 + 0.5 - my / mass));
  // Full-strength strokes at 1, as MNIST's darkest pixels are 255, however thin the drawing was.
  const float peak = *std::max_element(box.begin(), box.end());
  if (peak > 0) {
    for (float& v : box) v /= peak;
  }
  std::vector<float> out(kField * kField, 0.0f);
  for (int y = 0; y < oh; ++y) {
    for (int x = 0; x < ow; ++x) {
      const int fx = left + x, fy = top + y;
      if (fx < 0 || fy < 0 || fx >= kField || fy >= kField) continue;
      out[size_t(fy) * kField + size_t(fx)] = std::clamp(box[size_t(y) * size_t(ow) + size_t(x)], 0.0f, 1.0f);
    }
  }
  return out;
}

}  // namespace bs
