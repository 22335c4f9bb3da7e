# Turns every file in shaders/ into a C++ string constant in one generated header, so the web and
# desktop builds compile the same GLSL ES 3.00 sources without reading files at run time.
# Called as a script: cmake -DSHADER_DIR=... -DOUTPUT=... -P EmbedShaders.cmake
file(GLOB shaders "${SHADER_DIR}/*.vert" "${SHADER_DIR}/*.frag")
list(SORT shaders)
set(text "// Generated from shaders/ by cmake/EmbedShaders.cmake: do not edit.\n#pragma once\n\nnamespace shaders {\n")
foreach(path ${shaders})
    get_filename_component(name "${path}" NAME)
    string(REPLACE "." "_" name "${name}")
    file(READ "${path}" source)
    string(APPEND text "inline constexpr const char* ${name} = R\"glsl(${source})glsl\";\n")
endforeach()
string(APPEND text "} // namespace shaders\n")
file(WRITE "${OUTPUT}.tmp" "${text}")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUTPUT}.tmp" "${OUTPUT}")
