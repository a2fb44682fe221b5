#include "app/draw_signature.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/app/headless_ui.h"

namespace bs::app {
namespace {

// The signature of the frame `draw` makes, once ImGui's layout has settled (the first frames of a window
// size it).
template <class F>
uint64_t settled_signature(Headless& ui, F draw) {
  for (int i = 0; i < 3; ++i) ui.frame(draw);
  return draw_signature(*ImGui::GetDrawData());
}

void figure(const char* caption, ImTextureID image) {
  ImGui::TextUnformatted(caption);
  ImGui::Image(image, ImVec2(56, 56));
}

ImTextureID texture(uintptr_t id) {
  return reinterpret_cast<ImTextureID>(id);
}

TEST(DrawSignature, IsTheSameForTheSamePicture) {
  Headless ui;
  const uint64_t a = settled_signature(ui, [] { figure("prediction: 7", texture(1)); });
  ui.frame([] { figure("prediction: 7", texture(1)); });
  EXPECT_EQ(draw_signature(*ImGui::GetDrawData()), a);
}

TEST(DrawSignature, ChangesWithOneCharacterOfText) {
  Headless ui;
  const uint64_t a = settled_signature(ui, [] { figure("prediction: 7", texture(1)); });
  EXPECT_NE(settled_signature(ui, [] { figure("prediction: 0", texture(1)); }), a);
}

TEST(DrawSignature, ChangesWithTheTextureAloneWhenTheGeometryIsTheSame) {
  Headless ui;
  const uint64_t a = settled_signature(ui, [] { figure("prediction: 7", texture(1)); });
  EXPECT_NE(settled_signature(ui, [] { figure("prediction: 7", texture(2)); }), a);
}

TEST(DrawSignature, ChangesWithTheDisplaySize) {
  Headless ui;
  const uint64_t a = settled_signature(ui, [] { figure("prediction: 7", texture(1)); });
  ImGui::GetIO().DisplaySize.x += 1;
  EXPECT_NE(settled_signature(ui, [] { figure("prediction: 7", texture(1)); }), a);
}

TEST(DrawSignature, ChangesWithTheLastByteOfAnOddSizedIndexBuffer) {
  // Three 16-bit indices: six bytes, less than one eight-byte word, so only the tail carries them.
  ImDrawList list(nullptr);  // no ImGui context: only its buffers are used
  list.IdxBuffer.resize(3);
  list.IdxBuffer[0] = 0, list.IdxBuffer[1] = 1, list.IdxBuffer[2] = 2;
  ImDrawList* lists[] = {&list};
  ImDrawData d;
  d.Valid = true;
  d.CmdLists = lists;
  d.CmdListsCount = 1;
  const uint64_t a = draw_signature(d);
  list.IdxBuffer[2] = 3;
  EXPECT_NE(draw_signature(d), a);
  list.IdxBuffer.resize(4);  // one index more, zero: a different buffer though its words are equal
  list.IdxBuffer[2] = 2, list.IdxBuffer[3] = 0;
  EXPECT_NE(draw_signature(d), a);
}

}  // namespace
}  // namespace bs::app
