// Compiling the GLSL ES 3.00 sources in shaders/ for whichever GL the build has, and deleting
// the GL objects the views hold.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace app {

/// Links a program from vertex and fragment sources written as GLSL ES 3.00. On desktop GL the
/// version line becomes "#version 330 core" (precision qualifiers are legal there). Returns 0 and
/// a message on failure.
unsigned build_program(const char* vertex, const char* fragment, std::string& error);

} // namespace app

namespace app {

/// Deleting GL objects held as plain names: each deletes the object if there is one and zeroes
/// the name, so clear() functions can call them unconditionally.
void delete_textures(std::initializer_list<unsigned*> names);
void delete_buffers(std::initializer_list<unsigned*> names);
void delete_vertex_arrays(std::initializer_list<unsigned*> names);
void delete_framebuffer(unsigned& name);
void delete_renderbuffer(unsigned& name);
void delete_program(unsigned& name);

/// Palette textures are 64 texels wide, so that k = 4096 fits WebGL2's minimum texture size;
/// label l sits at (l % 64, l / 64), as the shaders read it.
constexpr int kPaletteWidth = 64;
/// Uploads k sRGB colours (rgb: k * 3 bytes) into texture in that layout, nearest filtering.
void upload_palette(unsigned texture, const std::vector<uint8_t>& rgb, int k);

} // namespace app
