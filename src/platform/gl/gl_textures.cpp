#include "platform/gl/gl_textures.h"

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>  // WebGL2
#else
#include <SDL_opengl.h>
#endif

namespace bs::platform {

GlTextures::~GlTextures() {
  for (auto& [slot, t] : textures_) glDeleteTextures(1, &t.id);
}

// A slot's texture is created once and then updated in place (glTexSubImage2D): re-specifying it with
// glTexImage2D several times a second makes WebGL implementations reallocate, and frames got slower over
// time.
ImTextureID GlTextures::upload(int slot, int w, int h, const uint8_t* rgba) {
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  auto it = textures_.find(slot);
  if (it != textures_.end() && it->second.w == w && it->second.h == h) {
    glBindTexture(GL_TEXTURE_2D, it->second.id);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(it->second.id));
  }
  GLuint id;
  if (it == textures_.end()) {
    glGenTextures(1, &id);
  } else {
    id = it->second.id;
  }
  textures_[slot] = Texture{id, w, h};
  glBindTexture(GL_TEXTURE_2D, id);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
  return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(id));
}

}  // namespace bs::platform
