#include "platform/gl/gl_textures.h"

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>  // WebGL2
#else
#include <SDL_opengl.h>
#endif

namespace bs::platform {

GlTextures::~GlTextures() {
  for (auto& [slot, id] : ids_) glDeleteTextures(1, &id);
}

ImTextureID GlTextures::upload(int slot, int w, int h, const uint8_t* rgba) {
  auto it = ids_.find(slot);
  GLuint id;
  if (it == ids_.end()) {
    glGenTextures(1, &id);
    ids_[slot] = id;
    glBindTexture(GL_TEXTURE_2D, id);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  } else {
    id = it->second;
    glBindTexture(GL_TEXTURE_2D, id);
  }
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
  return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(id));
}

}  // namespace bs::platform
