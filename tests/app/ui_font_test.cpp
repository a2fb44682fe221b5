// The interface's font: built at the screen's pixel ratio, drawn at the same CSS size, every character of the
// subset present, and numbers in figures of one width (columns of numbers do not jitter as they change).
#include "app/ui_font.h"

#include <gtest/gtest.h>
#include <imgui.h>

#include <cmath>
#include <limits>

namespace bs::app {
namespace {

struct Context {
  Context() { ImGui::CreateContext(); }
  ~Context() { ImGui::DestroyContext(); }
  static const ImFont& font() { return *ImGui::GetIO().Fonts->Fonts[0]; }
};

TEST(UiFont, TheAtlasIsRasterisedAtThePixelRatioAndDrawnAtTheSameCssSize) {
  Context c;
  UiFontState f;
  ASSERT_TRUE(ensure_ui_font(f, 2.0f));
  EXPECT_FLOAT_EQ(Context::font().FontSize, 2 * kUiFontPixels);
  EXPECT_FLOAT_EQ(ImGui::GetIO().FontGlobalScale, 0.5f);
  EXPECT_FLOAT_EQ(f.atlas_scale, 2.0f);
  EXPECT_GE(Context::font().FontSize * ImGui::GetIO().FontGlobalScale, 15.0f)
      << "body text of at least 15 CSS px";
}

TEST(UiFont, TheSameRatioKeepsTheAtlas) {
  Context c;
  UiFontState f;
  ensure_ui_font(f, 2.0f);
  EXPECT_FALSE(ensure_ui_font(f, 2.0f));
  EXPECT_FALSE(ensure_ui_font(f, 2.004f)) << "a rounding error is the same screen";
}

TEST(UiFont, ANewRatioRebuildsTheAtlas) {
  Context c;
  UiFontState f;
  ensure_ui_font(f, 1.0f);
  ASSERT_TRUE(ensure_ui_font(f, 3.0f));
  EXPECT_FLOAT_EQ(Context::font().FontSize, 3 * kUiFontPixels);
  EXPECT_EQ(ImGui::GetIO().Fonts->Fonts.Size, 1) << "the old font is gone, not kept beside the new one";
}

TEST(UiFont, RatiosOutsideOneToFourAreClamped) {
  Context c;
  UiFontState f;
  ensure_ui_font(f, std::numeric_limits<float>::quiet_NaN());
  EXPECT_FLOAT_EQ(f.atlas_scale, 1.0f);
  ensure_ui_font(f, 10.0f);
  EXPECT_FLOAT_EQ(f.atlas_scale, 4.0f);
}

TEST(UiFont, EveryCharacterOfTheSubsetHasAGlyph) {
  Context c;
  UiFontState f;
  ensure_ui_font(f, 1.0f);
  int count = 0;
  for (const ImWchar* r = kUiFontRanges; r[0]; r += 2)
    for (unsigned ch = r[0]; ch <= r[1]; ++ch, ++count) {
      EXPECT_NE(Context::font().FindGlyphNoFallback(ImWchar(ch)), nullptr) << "U+" << std::hex << ch;
    }
  EXPECT_GE(count, 95) << "printable ASCII at least";
  EXPECT_NE(Context::font().FindGlyphNoFallback(ImWchar(0x3B1)), nullptr) << "alpha";
}

TEST(UiFont, DigitsShareOneWidth) {
  Context c;
  UiFontState f;
  ensure_ui_font(f, 1.0f);
  const float zero = Context::font().FindGlyph('0')->AdvanceX;
  for (char d = '1'; d <= '9'; ++d)
    EXPECT_FLOAT_EQ(Context::font().FindGlyph(ImWchar(d))->AdvanceX, zero) << d;
}

}  // namespace
}  // namespace bs::app
