// A picture the reader drops on the page, as the browser decodes it: any size, any pixels. Either a digit
// comes out (784 values in [0, 1], classified) or a message, and a refused picture leaves the drawing as it
// was.
#include <cstring>

#include "app/drawing.h"
#include "tests/fuzz/fuzz_state.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  const int w = data[0] | (data[1] << 8), h = data[2] | (data[3] << 8);
  // The pixels the input has, repeated to fill the stated size (the browser always hands over whole images).
  if (size_t(w) * size_t(h) > 1u << 20) return 0;
  std::vector<unsigned char> rgba(size_t(w) * size_t(h) * 4);
  for (size_t i = 0; i < rgba.size() && size > 4; ++i) rgba[i] = data[4 + i % (size - 4)];
  auto state = bs::fuzz::fresh_state();
  bs::app::AppState& s = *state;
  const std::vector<float> before = s.drawing.digit;
  const bool had = s.drawing.has_digit;
  bs::Status st = bs::app::use_picture(s, rgba.data(), w, h);
  if (st.ok()) {
    if (!s.drawing.has_digit || s.drawing.prediction < 0 || s.drawing.prediction > 9) std::abort();
    for (float v : s.drawing.digit) {
      if (!(v >= 0.0f && v <= 1.0f)) std::abort();
    }
  } else {
    if (st.message().empty() || s.drawing.digit != before || s.drawing.has_digit != had) std::abort();
  }
  bs::fuzz::check_state(s);
  return 0;
}
