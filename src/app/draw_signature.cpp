#include "app/draw_signature.h"

#include <cstring>

namespace bs::app {
namespace {

// 64-bit multiply-rotate mixing, eight bytes at a time: a frame's lists are a few hundred kilobytes, hashed
// every frame, so this must be cheap; it need not resist anyone choosing inputs.
struct Mixer {
  uint64_t h = 0x9e3779b97f4a7c15ull;
  void word(uint64_t w) {
    h ^= w * 0xbf58476d1ce4e5b9ull;
    h = (h << 27 | h >> 37) * 0x94d049bb133111ebull;
  }
  void bytes(const void* p, size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    uint64_t w = 0;
    for (; n >= 8; n -= 8, b += 8) {
      std::memcpy(&w, b, 8);
      word(w);
    }
    w = 0;
    if (n > 0) std::memcpy(&w, b, n);  // an empty buffer's data may be null
    word(w ^ (uint64_t(n) << 56));     // the tail's length goes in with it, so trailing zeros count
  }
  void number(float f) {
    uint32_t u = 0;
    std::memcpy(&u, &f, 4);
    word(u);
  }
};

}  // namespace

uint64_t draw_signature(const ImDrawData& d) {
  Mixer m;
  m.number(d.DisplayPos.x);
  m.number(d.DisplayPos.y);
  m.number(d.DisplaySize.x);
  m.number(d.DisplaySize.y);
  m.number(d.FramebufferScale.x);
  m.number(d.FramebufferScale.y);
  m.word(uint64_t(d.CmdListsCount));
  for (int i = 0; i < d.CmdListsCount; ++i) {
    const ImDrawList& list = *d.CmdLists[i];
    m.bytes(list.VtxBuffer.Data, size_t(list.VtxBuffer.Size) * sizeof(ImDrawVert));
    m.bytes(list.IdxBuffer.Data, size_t(list.IdxBuffer.Size) * sizeof(ImDrawIdx));
    m.word(uint64_t(list.CmdBuffer.Size));
    for (const ImDrawCmd& c : list.CmdBuffer) {
      m.number(c.ClipRect.x);
      m.number(c.ClipRect.y);
      m.number(c.ClipRect.z);
      m.number(c.ClipRect.w);
      m.word(uint64_t(reinterpret_cast<uintptr_t>(c.TextureId)));
      m.word(uint64_t(c.VtxOffset) << 32 | c.IdxOffset);
      m.word(c.ElemCount);
      m.word(uint64_t(reinterpret_cast<uintptr_t>(c.UserCallback)));
    }
  }
  return m.h;
}

}  // namespace bs::app
