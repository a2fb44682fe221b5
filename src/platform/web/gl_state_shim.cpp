// WebGL answers most glGetIntegerv and glIsEnabled queries with a synchronous round trip to the browser's GPU
// process: the page's thread stops there until the GPU has caught up with everything queued before. Dear
// ImGui's OpenGL3 backend asks for about twenty states in every frame so that it can restore them after
// drawing. A profile of the page on a CPU throttled 4x found 32 % of its thread's time inside WebGL's
// getParameter, waiting. Nothing else on this page draws with GL or relies on state surviving ImGui's draw
// (the frame sets its viewport and clears before it), so the backend is compiled against these two
// functions instead (CMakeLists.txt): they answer the states it backs up with OpenGL's initial values, which
// it then "restores", and pass every other query (the version, extensions, at start-up) to WebGL.
#include <GLES3/gl3.h>

extern "C" {

void bs_gl_get_integerv(GLenum pname, GLint* out) {
  switch (pname) {
    case GL_ACTIVE_TEXTURE:
      out[0] = GL_TEXTURE0;
      return;
    case GL_CURRENT_PROGRAM:
    case GL_TEXTURE_BINDING_2D:
    case GL_SAMPLER_BINDING:
    case GL_ARRAY_BUFFER_BINDING:
    case GL_ELEMENT_ARRAY_BUFFER_BINDING:
    case GL_VERTEX_ARRAY_BINDING:
      out[0] = 0;
      return;
    case GL_VIEWPORT:
    case GL_SCISSOR_BOX:
      out[0] = out[1] = out[2] = out[3] = 0;
      return;
    case GL_BLEND_SRC_RGB:
    case GL_BLEND_SRC_ALPHA:
      out[0] = GL_ONE;
      return;
    case GL_BLEND_DST_RGB:
    case GL_BLEND_DST_ALPHA:
      out[0] = GL_ZERO;
      return;
    case GL_BLEND_EQUATION_RGB:
    case GL_BLEND_EQUATION_ALPHA:
      out[0] = GL_FUNC_ADD;
      return;
    default:
      glGetIntegerv(pname, out);
  }
}

GLboolean bs_gl_is_enabled(GLenum cap) {
  switch (cap) {
    case GL_BLEND:
    case GL_CULL_FACE:
    case GL_DEPTH_TEST:
    case GL_STENCIL_TEST:
    case GL_SCISSOR_TEST:
    case GL_PRIMITIVE_RESTART_FIXED_INDEX:
      return GL_FALSE;
    default:
      return glIsEnabled(cap);
  }
}

}  // extern "C"
