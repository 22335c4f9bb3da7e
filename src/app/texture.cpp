// Texture upload with linear filtering for minification (images are usually shown smaller than
// they are) and nearest for magnification (zoomed pixels stay crisp).
#include "texture.h"

#include "gl.h"
#include "gl_program.h"

namespace app {

Texture::~Texture()
{
    reset();
}

void Texture::reset()
{
    delete_textures({&m_id});
    m_width = 0;
    m_height = 0;
}

void Texture::upload(const uint8_t* rgba, int width, int height)
{
    if (m_id == 0) {
        GLuint id = 0;
        glGenTextures(1, &id);
        m_id = id;
    }
    glBindTexture(GL_TEXTURE_2D, m_id);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    if (width != m_width || height != m_height) {
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
        m_width = width;
        m_height = height;
    } else {
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    }
    glBindTexture(GL_TEXTURE_2D, 0);
}

} // namespace app
