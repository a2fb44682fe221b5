// The texture cache: an image is made again only when what it shows changes, and a frame makes at most a
// few images again just because the model moved on.
#include "app/textures.h"

#include <gtest/gtest.h>

#include "tests/app/counting_textures.h"

namespace bs::app {
namespace {

std::vector<uint8_t> pixels() {
  return std::vector<uint8_t>(28 * 28 * 4, 0);
}

ViewKey key(long model, int neuron) {
  ViewKey k;
  k.model = model;
  k.neuron = NeuronId{1, neuron};
  return k;
}

TEST(Textures, AnUnchangedImageIsNotMadeAgain) {
  CountingTextures t;
  t.get(0, key(1, 0), pixels);
  t.get(0, key(1, 0), pixels);
  EXPECT_EQ(t.uploads(), 1);
}

TEST(Textures, AFrameRefreshesOnlySoManyImagesForANewerModel) {
  CountingTextures t;
  constexpr int kSlots = 100;
  for (int i = 0; i < kSlots; ++i) t.get(i, key(1, i), pixels);
  t.begin_frame(0);
  for (int i = 0; i < kSlots; ++i) t.get(i, key(2, i), pixels);
  EXPECT_EQ(t.uploads(), kSlots + Textures::kRefreshesPerFrame);
  // The rest follow in the next frames, and then nothing more.
  for (int frame = 0; frame < 10; ++frame) {
    t.begin_frame(0);
    for (int i = 0; i < kSlots; ++i) t.get(i, key(2, i), pixels);
  }
  EXPECT_EQ(t.uploads(), 2 * kSlots);
}

TEST(Textures, AnotherNeuronIsShownAtOnceWhateverTheFramesRefreshes) {
  CountingTextures t;
  for (int i = 0; i < 50; ++i) t.get(i, key(1, i), pixels);
  t.begin_frame(0);
  for (int i = 0; i < 50; ++i) t.get(i, key(2, i), pixels);
  const int before = t.uploads();
  t.get(0, key(2, 7), pixels);  // slot 0 now shows neuron 7: a reader's choice, not a newer model
  EXPECT_EQ(t.uploads(), before + 1);
}

TEST(Textures, AFrameOfAnotherStateRemakesEveryImageWhateverItsKey) {
  CountingTextures t;
  t.begin_frame(1);
  t.get(0, key(1, 0), pixels);
  t.begin_frame(1);
  t.get(0, key(1, 0), pixels);
  EXPECT_EQ(t.uploads(), 1);
  t.begin_frame(2);  // a dataset switch: a fresh state, whose counters start again
  t.get(0, key(1, 0), pixels);
  EXPECT_EQ(t.uploads(), 2);
}

}  // namespace
}  // namespace bs::app
