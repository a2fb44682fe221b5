// The current framebuffer as a PNG (after the frame is drawn, before it is shown): the desktop app's
// --screenshot and the "PNG of this view" export, in the desktop app and the page alike.
#pragma once

#include <cstdint>
#include <vector>

namespace bs::platform {

std::vector<uint8_t> capture_png(int width, int height);

}  // namespace bs::platform
