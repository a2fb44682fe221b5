#include "platform/gl/gl_capture.h"

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>  // WebGL2
#else
#include <SDL_opengl.h>
#endif

#include <algorithm>

#include "core/image/canvas.h"

namespace bs::platform {

std::vector<uint8_t> capture_png(int w, int h) {
  // RGBA: the one format WebGL promises for readPixels.
  std::vector<uint8_t> rgba(size_t(w) * size_t(h) * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
  Canvas c(w, h);
  // OpenGL's rows run bottom-up.
  for (int y = 0; y < h; ++y) {
    const uint8_t* src = rgba.data() + size_t(h - 1 - y) * size_t(w) * 4;
    uint8_t* dst = c.pixels.data() + size_t(y) * size_t(w) * 3;
    for (int x = 0; x < w; ++x) std::copy_n(src + size_t(x) * 4, 3, dst + size_t(x) * 3);
  }
  return encode_png(c);
}

}  // namespace bs::platform
