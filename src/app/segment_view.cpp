// GL objects of the segmented view. Labels are R16UI (k up to 4096), read with texelFetch; the
// palette is laid out 64 wide so that k = 4096 still fits WebGL2's minimum texture size.
#include "segment_view.h"

#include <algorithm>

#include "gl.h"
#include "gl_program.h"
#include "kpix_shaders.h"

namespace app {
SegmentView::~SegmentView()
{
    clear();
    delete_program(m_program);
    delete_vertex_arrays({&m_vao});
}

bool SegmentView::init(std::string& error)
{
    m_program = build_program(shaders::segment_vert, shaders::segment_frag, error);
    if (!m_program) {
        return false;
    }
    GLuint vao = 0;
    glGenVertexArrays(1, &vao);
    m_vao = vao;
    return true;
}

void SegmentView::clear()
{
    delete_textures({&m_labels, &m_palette, &m_output});
    delete_framebuffer(m_fbo);
    m_width = m_height = 0;
    m_has_labels = m_has_palette = false;
}

void SegmentView::set_labels(const std::vector<uint16_t>& labels, int width, int height)
{
    if (labels.size() != static_cast<size_t>(width) * height || width <= 0) {
        return;
    }
    const bool resized = width != m_width || height != m_height || !m_labels;
    if (resized) {
        clear();
        GLuint ids[3] = {0, 0, 0};
        glGenTextures(3, ids);
        m_labels = ids[0];
        m_palette = ids[1];
        m_output = ids[2];
        m_width = width;
        m_height = height;
        glBindTexture(GL_TEXTURE_2D, m_output);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        GLuint fbo = 0;
        glGenFramebuffers(1, &fbo);
        m_fbo = fbo;
        glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
        glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, m_output, 0);
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        for (unsigned t : {m_labels, m_palette}) {
            glBindTexture(GL_TEXTURE_2D, t);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        }
    }
    glBindTexture(GL_TEXTURE_2D, m_labels);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 2);
    if (resized) {
        glTexImage2D(GL_TEXTURE_2D, 0, GL_R16UI, width, height, 0, GL_RED_INTEGER, GL_UNSIGNED_SHORT,
                     labels.data());
    } else {
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_RED_INTEGER, GL_UNSIGNED_SHORT,
                        labels.data());
    }
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glBindTexture(GL_TEXTURE_2D, 0);
    m_has_labels = true;
    m_dirty = true;
}

void SegmentView::set_palette(const std::vector<uint8_t>& rgb, int k)
{
    if (!m_palette || k <= 0 || rgb.size() < static_cast<size_t>(k) * 3) {
        return;
    }
    upload_palette(m_palette, rgb, k);
    m_has_palette = true;
    m_dirty = true;
}

void SegmentView::set_highlight(int label)
{
    if (label != m_highlight) {
        m_highlight = label;
        m_dirty = true;
    }
}

void SegmentView::set_boundaries(Boundaries mode)
{
    if (mode != m_boundaries) {
        m_boundaries = mode;
        m_dirty = true;
    }
}

void SegmentView::render()
{
    if (!m_dirty || !m_has_labels || !m_has_palette || !m_program) {
        return;
    }
    m_dirty = false;
    glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
    glViewport(0, 0, m_width, m_height);
    glDisable(GL_BLEND);
    glDisable(GL_SCISSOR_TEST);
    glUseProgram(m_program);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, m_labels);
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, m_palette);
    glActiveTexture(GL_TEXTURE2);
    glBindTexture(GL_TEXTURE_2D, m_original);
    glUniform1i(glGetUniformLocation(m_program, "u_labels"), 0);
    glUniform1i(glGetUniformLocation(m_program, "u_palette"), 1);
    glUniform1i(glGetUniformLocation(m_program, "u_original"), 2);
    glUniform1i(glGetUniformLocation(m_program, "u_highlight"), m_highlight);
    glUniform1i(glGetUniformLocation(m_program, "u_boundaries"), static_cast<int>(m_boundaries));
    glBindVertexArray(m_vao);
    glDrawArrays(GL_TRIANGLES, 0, 3);
    glBindVertexArray(0);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, 0);
    glUseProgram(0);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

} // namespace app
