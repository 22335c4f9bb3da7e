// The OpenGL header for the build: OpenGL ES 3.0 (WebGL2) in the browser, desktop OpenGL 3.3 core
// natively. CMake defines KPIX_GLES for the former, so no platform macro is needed here.
#pragma once

#if defined(KPIX_GLES)
#include <GLES3/gl3.h>
#else
#define GL_GLEXT_PROTOTYPES 1
#include <SDL_opengl.h>
#endif
