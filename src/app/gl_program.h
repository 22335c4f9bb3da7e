// Compiling the GLSL ES 3.00 sources in shaders/ for whichever GL the build has.
#pragma once

#include <string>

namespace app {

/// Links a program from vertex and fragment sources written as GLSL ES 3.00. On desktop GL the
/// version line becomes "#version 330 core" (precision qualifiers are legal there). Returns 0 and
/// a message on failure.
unsigned build_program(const char* vertex, const char* fragment, std::string& error);

} // namespace app
