// Every texture the interface draws has a slot here: one block per kind of image, laid end to end, so no two
// views can claim the same slot (tests/app/tables_test.cpp checks the layout, and slot() refuses an index
// past its block). Adding an image is a row in the enum and its size in kBlockSizes.
#pragma once

#include <array>
#include <cstdlib>

namespace bs::app {

enum class TextureBlock {
  kNeuronThumbs,       // Neurons: every neuron's effective weights (64 + 64 + 10)
  kSelected,           // Neurons: the selected neuron's effective weights and feature
  kPortraitTop,        // Neurons: the 8 test images that excite it most
  kPortraitOptimized,  // Neurons: unconstrained and regularised optimized images
  kOverlay,            // Overlay: digit, pattern, blend
  kSubspace,           // Subspace: whole, in-span, off-span, never-lit, feature
  kDirections,         // Attacks: five directions and the contribution map
  kRobust,             // Robustness: the digit, each attack's closest point and its change amplified
  kCompare,            // Compare: both sides' ten output patterns
  kDrawDigit,          // Draw: the reader's digit
  kDrawActive,         // Draw: the 6 most active neurons of each hidden layer
  kCount
};

inline constexpr std::array<int, size_t(TextureBlock::kCount)> kBlockSizes = {138, 2, 8,  2, 3, 5,
                                                                              6,   7, 20, 1, 12};

// The first slot of `block`.
constexpr int block_start(TextureBlock block) {
  int start = 0;
  for (size_t b = 0; b < size_t(block); ++b) start += kBlockSizes[b];
  return start;
}
constexpr int kTextureSlots = block_start(TextureBlock::kCount);

// Slot `i` of `block`; an index outside the block is a programming error and stops the program.
inline int slot(TextureBlock block, int i = 0) {
  if (i < 0 || i >= kBlockSizes[size_t(block)]) std::abort();
  return block_start(block) + i;
}

}  // namespace bs::app
