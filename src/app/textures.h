// Images for the interface: panels hand over RGBA pixels and get an ImTextureID back. The platform layer
// implements it (OpenGL / WebGL2); the headless smoke test uses a stand-in that only counts uploads.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <functional>
#include <map>
#include <utility>
#include <vector>

#include "app/texture_slots.h"
#include "app/view_key.h"

namespace bs::app {

class Textures {
 public:
  virtual ~Textures() = default;
  // The 28x28 texture in `slot` (texture_slots.h) as of `key`: `make` produces its RGBA pixels, and is called
  // (and the texture re-uploaded) only when the slot holds an image made for another key.
  // A slot whose image only waits for a newer model (the key differs in `model` alone) keeps its texture once
  // kRefreshesPerFrame such refreshes have been made in this frame: a live model changes several times a
  // second and the Neurons grid holds 138 images, which in one frame would be its slowest on a phone. Any
  // other new image (another neuron, view, blend or k) is made at once.
  ImTextureID get(int slot, const ViewKey& key, const std::function<std::vector<uint8_t>()>& make);
  // A frame of the state `owner` (AppState::serial) begins. Images made for another state (before a dataset
  // switch) are all stale, whatever their keys say.
  void begin_frame(long owner) {
    refreshes_ = 0;
    if (owner != owner_) cache_.clear();
    owner_ = owner;
  }
  int uploads() const { return uploads_; }
  static constexpr int kRefreshesPerFrame = 12;

 protected:
  // Creates or replaces the texture in `slot` with w x h RGBA pixels.
  virtual ImTextureID upload(int slot, int w, int h, const uint8_t* rgba) = 0;

 private:
  std::map<int, std::pair<ViewKey, ImTextureID>> cache_;
  int uploads_ = 0;
  int refreshes_ = 0;  // this frame's
  long owner_ = 0;
};

// 28x28 RGBA pixels of an image through the diverging colormap (normalised by max |v|) or grey levels
// (normalised by max v when `stretch`, else values in [0, 1] as they are).
std::vector<uint8_t> diverging_rgba(const float* img);
std::vector<uint8_t> grey_rgba(const float* img, bool stretch);

}  // namespace bs::app
