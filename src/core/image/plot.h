// Line plots for the CLI's figures (flip rate against alpha): axes with ticks, one coloured line per series
// and a legend. Colours are the Okabe-Ito palette, distinguishable with the common colour-vision
// deficiencies.
#pragma once

#include <string>
#include <vector>

#include "core/image/canvas.h"

namespace bs {

struct PlotSeries {
  std::string name;
  std::vector<double> y;  // one value per x
};

// x ascending; y in [y_min, y_max].
Canvas line_plot(const std::vector<double>& x, const std::vector<PlotSeries>& series,
                 const std::string& title, const std::string& x_label, const std::string& y_label,
                 double y_min = 0, double y_max = 1);

// The palette (8 colours; series cycle through it).
Rgb series_colour(int i);

}  // namespace bs
