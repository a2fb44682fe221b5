// Textures for the interface in OpenGL 3 / WebGL2, shared by the desktop app and the page (nearest filtering:
// pixels stay crisp squares when enlarged).
#pragma once

#include <map>

#include "app/textures.h"

namespace bs::platform {

class GlTextures final : public app::Textures {
 public:
  ~GlTextures() override;

 protected:
  ImTextureID upload(int slot, int w, int h, const uint8_t* rgba) override;

 private:
  struct Texture {
    unsigned id;
    int w, h;
  };
  std::map<int, Texture> textures_;
};

}  // namespace bs::platform
