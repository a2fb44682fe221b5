#include "platform/gl/imgui_renderer.h"

#include <imgui.h>

#include <cstddef>
#include <cstdint>

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>  // WebGL2
constexpr const char* kVersion = "#version 300 es\nprecision mediump float;\n";
#else
// Dear ImGui's loader for the OpenGL 3 functions it uses, which are exactly the ones this renderer uses.
#define IMGL3W_IMPL
#include <imgui_impl_opengl3_loader.h>
constexpr const char* kVersion = "#version 150\n";
#endif

namespace bs::platform {
namespace {

constexpr const char* kVertexShader = R"(
uniform mat4 ProjMtx;
in vec2 Position;
in vec2 UV;
in vec4 Color;
out vec2 Frag_UV;
out vec4 Frag_Color;
void main() {
  Frag_UV = UV;
  Frag_Color = Color;
  gl_Position = ProjMtx * vec4(Position.xy, 0.0, 1.0);
})";

constexpr const char* kFragmentShader = R"(
uniform sampler2D Texture;
in vec2 Frag_UV;
in vec4 Frag_Color;
out vec4 Out_Color;
void main() {
  Out_Color = Frag_Color * texture(Texture, Frag_UV.st);
})";

// Compiles one shader stage; on failure returns 0 and puts the compiler's log in `error`.
GLuint compile(GLenum stage, const char* body, std::string* error) {
  const GLuint shader = glCreateShader(stage);
  const GLchar* sources[2] = {kVersion, body};
  glShaderSource(shader, 2, sources, nullptr);
  glCompileShader(shader);
  GLint ok = 0;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (ok) return shader;
  char log[1024] = {};
  glGetShaderInfoLog(shader, sizeof log, nullptr, log);
  *error = std::string("the interface's shader did not compile: ") + log;
  glDeleteShader(shader);
  return 0;
}

}  // namespace

std::string ImGuiRenderer::init() {
#ifndef __EMSCRIPTEN__
  if (imgl3wInit() != 0) return "the OpenGL 3 functions could not be loaded";
#endif
  std::string error;
  const GLuint vs = compile(GL_VERTEX_SHADER, kVertexShader, &error);
  const GLuint fs = vs ? compile(GL_FRAGMENT_SHADER, kFragmentShader, &error) : 0;
  if (!fs) {
    if (vs) glDeleteShader(vs);
    return error;
  }
  program_ = glCreateProgram();
  glAttachShader(program_, vs);
  glAttachShader(program_, fs);
  glLinkProgram(program_);
  glDetachShader(program_, vs);
  glDetachShader(program_, fs);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = 0;
  glGetProgramiv(program_, GL_LINK_STATUS, &ok);
  if (!ok) {
    char log[1024] = {};
    glGetProgramInfoLog(program_, sizeof log, nullptr, log);
    return std::string("the interface's shaders did not link: ") + log;
  }
  proj_ = glGetUniformLocation(program_, "ProjMtx");
  sampler_ = glGetUniformLocation(program_, "Texture");

  // The vertex layout is recorded once in the vertex array; each frame only refills the two buffers.
  glGenVertexArrays(1, &vao_);
  glGenBuffers(1, &vbo_);
  glGenBuffers(1, &ebo_);
  glBindVertexArray(vao_);
  glBindBuffer(GL_ARRAY_BUFFER, vbo_);
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, ebo_);
  const auto attribute = [&](const char* name, GLint size, GLenum type, GLboolean normalized, size_t offset) {
    const GLint at = glGetAttribLocation(program_, name);
    if (at < 0) return;  // a compiler may drop an unused input
    glEnableVertexAttribArray(GLuint(at));
    glVertexAttribPointer(GLuint(at), size, type, normalized, sizeof(ImDrawVert),
                          reinterpret_cast<const void*>(offset));
  };
  attribute("Position", 2, GL_FLOAT, GL_FALSE, offsetof(ImDrawVert, pos));
  attribute("UV", 2, GL_FLOAT, GL_FALSE, offsetof(ImDrawVert, uv));
  attribute("Color", 4, GL_UNSIGNED_BYTE, GL_TRUE, offsetof(ImDrawVert, col));
  glBindVertexArray(0);

  ImGuiIO& io = ImGui::GetIO();
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  glGenTextures(1, &font_);
  glBindTexture(GL_TEXTURE_2D, font_);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
  io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(font_)));
  io.BackendRendererName = "booksmart_gl";
  return {};
}

ImGuiRenderer::~ImGuiRenderer() {
  if (font_) {
    glDeleteTextures(1, &font_);
    if (ImGui::GetCurrentContext()) ImGui::GetIO().Fonts->SetTexID(nullptr);
  }
  if (vao_) glDeleteVertexArrays(1, &vao_);
  if (vbo_) glDeleteBuffers(1, &vbo_);
  if (ebo_) glDeleteBuffers(1, &ebo_);
  if (program_) glDeleteProgram(program_);
}

// Everything the draw calls depend on, set from scratch: straight alpha blending, no culling or
// depth, the scissor on, and an orthographic projection of ImGui's display rectangle.
void ImGuiRenderer::set_state(const ImDrawData& d, int fb_w, int fb_h) {
  glEnable(GL_BLEND);
  glBlendEquation(GL_FUNC_ADD);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glDisable(GL_CULL_FACE);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_STENCIL_TEST);
  glEnable(GL_SCISSOR_TEST);
  glViewport(0, 0, fb_w, fb_h);
  const float l = d.DisplayPos.x, r = d.DisplayPos.x + d.DisplaySize.x;
  const float t = d.DisplayPos.y, b = d.DisplayPos.y + d.DisplaySize.y;
  const float ortho[16] = {
      2.0f / (r - l),    0, 0,   0, 0, 2.0f / (t - b), 0, 0, 0, 0, -1.0f, 0, (r + l) / (l - r),
      (t + b) / (b - t), 0, 1.0f};
  glUseProgram(program_);
  glUniform1i(sampler_, 0);
  glUniformMatrix4fv(proj_, 1, GL_FALSE, ortho);
  glActiveTexture(GL_TEXTURE0);
  glBindVertexArray(vao_);
  glBindBuffer(GL_ARRAY_BUFFER, vbo_);
}

void ImGuiRenderer::render(const ImDrawData& d) {
  const int fb_w = int(d.DisplaySize.x * d.FramebufferScale.x);
  const int fb_h = int(d.DisplaySize.y * d.FramebufferScale.y);
  if (fb_w <= 0 || fb_h <= 0 || !program_) return;
  set_state(d, fb_w, fb_h);
  const ImVec2 off = d.DisplayPos, scale = d.FramebufferScale;
  for (int n = 0; n < d.CmdListsCount; ++n) {
    const ImDrawList* list = d.CmdLists[n];
    // Orphaning (glBufferData with the new size) lets the GL keep drawing last frame's data meanwhile.
    glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(list->VtxBuffer.Size) * GLsizeiptr(sizeof(ImDrawVert)),
                 list->VtxBuffer.Data, GL_STREAM_DRAW);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, GLsizeiptr(list->IdxBuffer.Size) * GLsizeiptr(sizeof(ImDrawIdx)),
                 list->IdxBuffer.Data, GL_STREAM_DRAW);
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback) {
        if (cmd.UserCallback == ImDrawCallback_ResetRenderState) {
          set_state(d, fb_w, fb_h);
        } else {
          cmd.UserCallback(list, &cmd);
        }
        continue;
      }
      const float x0 = (cmd.ClipRect.x - off.x) * scale.x, y0 = (cmd.ClipRect.y - off.y) * scale.y;
      const float x1 = (cmd.ClipRect.z - off.x) * scale.x, y1 = (cmd.ClipRect.w - off.y) * scale.y;
      if (x1 <= x0 || y1 <= y0) continue;
      // GL's scissor box counts rows from the bottom.
      glScissor(int(x0), int(float(fb_h) - y1), int(x1 - x0), int(y1 - y0));
      glBindTexture(GL_TEXTURE_2D, GLuint(reinterpret_cast<intptr_t>(cmd.GetTexID())));
      glDrawElements(GL_TRIANGLES, GLsizei(cmd.ElemCount),
                     sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT,
                     reinterpret_cast<const void*>(cmd.IdxOffset * sizeof(ImDrawIdx)));
    }
  }
  glDisable(GL_SCISSOR_TEST);
  glBindVertexArray(0);
}

}  // namespace bs::platform
