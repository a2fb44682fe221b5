#include "cli/progress.h"

#include <cstdio>

namespace bs::cli {

void Progress::update(const std::string& label, long long done, long long total, const char* unit) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (label != label_) {
    label_ = label;
    phase_start_ = now;
  }
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100) && done < total) return;
  last_draw_ = now;
  drawn_ = true;
  double secs = std::chrono::duration<double>(now - phase_start_).count();
  double rate = secs > 0 ? double(done) / secs : 0.0;
  double eta = rate > 0 ? double(total - done) / rate : 0.0;
  const int width = 30;
  int filled = total > 0 ? int(double(done) / double(total) * width) : 0;
  std::string bar(size_t(filled), '#');
  bar.append(size_t(width - filled), '.');
  std::fprintf(stderr, "\r%s [%s] %3d%%  %.0f %s/s  ETA %.0fs   ", label.c_str(), bar.c_str(),
               total > 0 ? int(100 * done / total) : 0, rate, unit, eta);
  std::fflush(stderr);
}

void Progress::clear() {
  if (!enabled_ || !drawn_) return;
  std::fprintf(stderr, "\r%80s\r", "");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace bs::cli
