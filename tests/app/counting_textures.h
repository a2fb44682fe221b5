// A stand-in for the platform's textures in headless tests: it uploads nothing and counts what it was asked
// to upload (Textures::uploads).
#pragma once

#include <cstdint>

#include "app/textures.h"

namespace bs::app {

class CountingTextures final : public Textures {
 protected:
  ImTextureID upload(int slot, int, int, const uint8_t*) override {
    return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(slot + 1));
  }
};

}  // namespace bs::app
