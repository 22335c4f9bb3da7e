// One adaptation for desktop GL, made when the source is loaded: the rest of the GLSL is shared.
#include "gl_program.h"

#include <algorithm>
#include <vector>

#include "gl.h"

namespace app {
namespace {

std::string adapted(const char* source)
{
    std::string s = source;
#if !defined(KPIX_GLES)
    const std::string es = "#version 300 es";
    const size_t at = s.find(es);
    if (at != std::string::npos) {
        s.replace(at, es.size(), "#version 330 core");
    }
#endif
    return s;
}

GLuint compile(GLenum type, const char* source, std::string& error)
{
    const std::string text = adapted(source);
    const char* ptr = text.c_str();
    const GLuint shader = glCreateShader(type);
    glShaderSource(shader, 1, &ptr, nullptr);
    glCompileShader(shader);
    GLint ok = 0;
    glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        GLint len = 0;
        glGetShaderiv(shader, GL_INFO_LOG_LENGTH, &len);
        std::vector<char> log(static_cast<size_t>(len > 1 ? len : 1));
        glGetShaderInfoLog(shader, static_cast<GLsizei>(log.size()), nullptr, log.data());
        error = std::string(type == GL_VERTEX_SHADER ? "vertex" : "fragment") + " shader: " + log.data();
        glDeleteShader(shader);
        return 0;
    }
    return shader;
}

} // namespace

unsigned build_program(const char* vertex, const char* fragment, std::string& error)
{
    const GLuint vs = compile(GL_VERTEX_SHADER, vertex, error);
    if (!vs) {
        return 0;
    }
    const GLuint fs = compile(GL_FRAGMENT_SHADER, fragment, error);
    if (!fs) {
        glDeleteShader(vs);
        return 0;
    }
    const GLuint program = glCreateProgram();
    glAttachShader(program, vs);
    glAttachShader(program, fs);
    glLinkProgram(program);
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = 0;
    glGetProgramiv(program, GL_LINK_STATUS, &ok);
    if (!ok) {
        GLint len = 0;
        glGetProgramiv(program, GL_INFO_LOG_LENGTH, &len);
        std::vector<char> log(static_cast<size_t>(len > 1 ? len : 1));
        glGetProgramInfoLog(program, static_cast<GLsizei>(log.size()), nullptr, log.data());
        error = std::string("link: ") + log.data();
        glDeleteProgram(program);
        return 0;
    }
    return program;
}

} // namespace app

namespace app {
namespace {

template <class Delete>
void delete_each(std::initializer_list<unsigned*> names, Delete del)
{
    for (unsigned* name : names) {
        if (*name != 0) {
            GLuint id = *name;
            del(1, &id);
            *name = 0;
        }
    }
}

} // namespace

void delete_textures(std::initializer_list<unsigned*> names)
{
    delete_each(names, [](GLsizei n, const GLuint* ids) { glDeleteTextures(n, ids); });
}

void delete_buffers(std::initializer_list<unsigned*> names)
{
    delete_each(names, [](GLsizei n, const GLuint* ids) { glDeleteBuffers(n, ids); });
}

void delete_vertex_arrays(std::initializer_list<unsigned*> names)
{
    delete_each(names, [](GLsizei n, const GLuint* ids) { glDeleteVertexArrays(n, ids); });
}

void delete_framebuffer(unsigned& name)
{
    delete_each({&name}, [](GLsizei n, const GLuint* ids) { glDeleteFramebuffers(n, ids); });
}

void delete_renderbuffer(unsigned& name)
{
    delete_each({&name}, [](GLsizei n, const GLuint* ids) { glDeleteRenderbuffers(n, ids); });
}

void delete_program(unsigned& name)
{
    if (name != 0) {
        glDeleteProgram(name);
        name = 0;
    }
}

void upload_palette(unsigned texture, const std::vector<uint8_t>& rgb, int k)
{
    const int rows = (k + kPaletteWidth - 1) / kPaletteWidth;
    std::vector<uint8_t> rgba(static_cast<size_t>(kPaletteWidth) * rows * 4, 255);
    for (int c = 0; c < k; ++c) {
        std::copy_n(rgb.data() + 3 * static_cast<size_t>(c), 3, rgba.data() + 4 * static_cast<size_t>(c));
    }
    glBindTexture(GL_TEXTURE_2D, texture);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, kPaletteWidth, rows, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glBindTexture(GL_TEXTURE_2D, 0);
}

} // namespace app
