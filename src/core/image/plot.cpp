#include "core/image/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bs {
namespace {

constexpr Rgb kInk{30, 30, 30}, kGrid{225, 225, 225};

void line(Canvas& c, int x0, int y0, int x1, int y1, Rgb col, int width) {
  const int steps = std::max(std::abs(x1 - x0), std::abs(y1 - y0)) + 1;
  for (int s = 0; s <= steps; ++s) {
    const int x = x0 + (x1 - x0) * s / steps, y = y0 + (y1 - y0) * s / steps;
    c.fill_rect(x - width / 2, y - width / 2, width, width, col);
  }
}

std::string tick(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", std::round(v * 100) / 100);
  return b;
}

}  // namespace

Rgb series_colour(int i) {
  static const Rgb okabe_ito[8] = {{0, 114, 178},  {213, 94, 0},  {0, 158, 115}, {204, 121, 167},
                                   {86, 180, 233}, {230, 159, 0}, {0, 0, 0},     {240, 228, 66}};
  return okabe_ito[i % 8];
}

Canvas line_plot(const std::vector<double>& x, const std::vector<PlotSeries>& series,
                 const std::string& title, const std::string& x_label, const std::string& y_label,
                 double y_min, double y_max) {
  const int left = 60, top = 44, w = 520, h = 300, legend_w = 150;
  Canvas c(left + w + 30 + legend_w, top + h + 60);
  c.text(12, 10, title, kInk, 2);
  const double x_min = x.empty() ? 0 : x.front(), x_max = x.empty() ? 1 : x.back();
  auto px = [&](double v) {
    return left + int(std::lround((v - x_min) / std::max(1e-12, x_max - x_min) * w));
  };
  auto py = [&](double v) {
    v = std::clamp(v, y_min, y_max);
    return top + h - int(std::lround((v - y_min) / std::max(1e-12, y_max - y_min) * h));
  };
  for (int t = 0; t <= 5; ++t) {
    const double yv = y_min + (y_max - y_min) * t / 5, xv = x_min + (x_max - x_min) * t / 5;
    line(c, left, py(yv), left + w, py(yv), kGrid, 1);
    line(c, px(xv), top, px(xv), top + h, kGrid, 1);
    c.text(left - 8 - Canvas::text_width(tick(yv)), py(yv) - 4, tick(yv), kInk);
    c.text(px(xv) - Canvas::text_width(tick(xv)) / 2, top + h + 8, tick(xv), kInk);
  }
  line(c, left, top + h, left + w, top + h, kInk, 1);
  line(c, left, top, left, top + h, kInk, 1);
  c.text(left + w / 2 - Canvas::text_width(x_label) / 2, top + h + 26, x_label, kInk);
  c.text(8, top - 14, y_label, kInk);
  for (size_t s = 0; s < series.size(); ++s) {
    const Rgb col = series_colour(int(s));
    const auto& y = series[s].y;
    for (size_t i = 1; i < std::min(x.size(), y.size()); ++i)
      line(c, px(x[i - 1]), py(y[i - 1]), px(x[i]), py(y[i]), col, 2);
    const int ly = top + 10 + int(s) * 18;
    line(c, left + w + 24, ly + 3, left + w + 44, ly + 3, col, 3);
    c.text(left + w + 50, ly, series[s].name, kInk);
  }
  return c;
}

}  // namespace bs
