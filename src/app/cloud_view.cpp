// GL side of the cloud: one VBO of point positions and colours uploaded per run, one of labels
// uploaded per assignment step, and a small one for the cube's edges, the trails and the centroids.
#include "cloud_view.h"

#include <algorithm>
#include <cmath>

#include "gl.h"
#include "gl_program.h"
#include "kpix_shaders.h"

namespace app {
namespace {

constexpr int kLineStride = 7; // x y z r g b label

/// Column-major orthographic view: rotate about y (yaw), then x (pitch), scale to fit.
void view_matrix(float yaw, float pitch, float* m)
{
    const float cy = std::cos(yaw), sy = std::sin(yaw);
    const float cp = std::cos(pitch), sp = std::sin(pitch);
    const float s = 0.95f; // the cube's half-diagonal (0.866) stays inside the view
    // rows of R = Rx(pitch) * Ry(yaw)
    const float r[3][3] = {
        {cy, 0.0f, sy},
        {sp * sy, cp, -sp * cy},
        {-cp * sy, sp, cp * cy},
    };
    for (int c = 0; c < 4; ++c) {
        for (int row = 0; row < 4; ++row) {
            m[c * 4 + row] = 0.0f;
        }
    }
    for (int row = 0; row < 3; ++row) {
        for (int c = 0; c < 3; ++c) {
            // z is negated so that larger depth (towards the viewer) wins the depth test
            m[c * 4 + row] = s * r[row][c] * (row == 2 ? -0.5f : 1.0f);
        }
    }
    m[15] = 1.0f;
}

void attributes(int stride_floats, bool with_label)
{
    const GLsizei stride = stride_floats * static_cast<GLsizei>(sizeof(float));
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, stride, nullptr);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 3, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(3 * sizeof(float)));
    if (with_label) {
        glEnableVertexAttribArray(2);
        glVertexAttribPointer(2, 1, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(6 * sizeof(float)));
    }
}

} // namespace

CloudView::~CloudView()
{
    clear();
    delete_program(m_program);
}

bool CloudView::init(std::string& error)
{
    m_program = build_program(shaders::cloud_vert, shaders::cloud_frag, error);
    return m_program != 0;
}

void CloudView::clear()
{
    delete_buffers({&m_points, &m_labels, &m_lines});
    delete_vertex_arrays({&m_vao, &m_lines_vao});
    delete_textures({&m_palette, &m_output});
    delete_renderbuffer(m_depth);
    delete_framebuffer(m_fbo);
    m_size = 0;
    m_count = 0;
    m_sample.clear();
}

void CloudView::set_points(const std::vector<float>& features, int d, const std::vector<uint8_t>& rgba,
                           const float axis_lo[3], const float axis_hi[3])
{
    clear();
    if (d < 3 || features.empty() || rgba.size() / 4 != features.size() / d) {
        return;
    }
    const size_t n = features.size() / d;
    const size_t stride = (n + kMaxPoints - 1) / kMaxPoints;
    for (size_t i = 0; i < n; i += stride) {
        m_sample.push_back(i);
    }
    for (int a = 0; a < 3; ++a) {
        m_lo[a] = axis_lo[a];
        m_span[a] = std::max(axis_hi[a] - axis_lo[a], 1e-6f);
    }
    std::vector<float> data;
    data.reserve(m_sample.size() * 6);
    for (size_t i : m_sample) {
        for (int a = 0; a < 3; ++a) {
            data.push_back((features[i * d + a] - m_lo[a]) / m_span[a]);
        }
        for (int a = 0; a < 3; ++a) {
            data.push_back(rgba[i * 4 + a] / 255.0f);
        }
    }
    m_count = m_sample.size();
    GLuint ids[3] = {0, 0, 0};
    glGenBuffers(3, ids);
    m_points = ids[0];
    m_labels = ids[1];
    m_lines = ids[2];
    GLuint vaos[2] = {0, 0};
    glGenVertexArrays(2, vaos);
    m_vao = vaos[0];
    m_lines_vao = vaos[1];
    glBindVertexArray(m_vao);
    glBindBuffer(GL_ARRAY_BUFFER, m_points);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(data.size() * sizeof(float)), data.data(), GL_STATIC_DRAW);
    attributes(6, false);
    glBindBuffer(GL_ARRAY_BUFFER, m_labels);
    std::vector<float> none(m_count, -1.0f);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(none.size() * sizeof(float)), none.data(), GL_DYNAMIC_DRAW);
    glEnableVertexAttribArray(2);
    glVertexAttribPointer(2, 1, GL_FLOAT, GL_FALSE, sizeof(float), nullptr);
    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    GLuint tex = 0;
    glGenTextures(1, &tex);
    m_palette = tex;
    m_dirty = true;
}

void CloudView::set_labels(const std::vector<uint16_t>& labels)
{
    if (m_count == 0) {
        return;
    }
    std::vector<float> data(m_count);
    for (size_t p = 0; p < m_count; ++p) {
        data[p] = m_sample[p] < labels.size() ? labels[m_sample[p]] : -1.0f;
    }
    glBindBuffer(GL_ARRAY_BUFFER, m_labels);
    glBufferSubData(GL_ARRAY_BUFFER, 0, static_cast<GLsizeiptr>(data.size() * sizeof(float)), data.data());
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    m_dirty = true;
}

void CloudView::set_palette(const std::vector<uint8_t>& rgb, int k)
{
    if (!m_palette || k <= 0 || rgb.size() < static_cast<size_t>(k) * 3) {
        return;
    }
    upload_palette(m_palette, rgb, k);
    m_dirty = true;
}

void CloudView::set_centroids(const std::vector<float>& history, int k, int d, int upto)
{
    if (m_count == 0 || k <= 0 || d < 3) {
        return;
    }
    m_k = k;
    m_line_data.clear();
    // The cube's 12 edges, each end in its corner's colour.
    m_cube_vertices = 0;
    for (int a = 0; a < 8; ++a) {
        for (int bit = 0; bit < 3; ++bit) {
            const int b = a | (1 << bit);
            if (b == a) {
                continue;
            }
            for (int corner : {a, b}) {
                const float x = corner & 1, y = (corner >> 1) & 1, z = (corner >> 2) & 1;
                m_line_data.insert(m_line_data.end(), {x, y, z, x * 0.6f + 0.2f, y * 0.6f + 0.2f, z * 0.6f + 0.2f, -1.0f});
                ++m_cube_vertices;
            }
        }
    }
    // Trails: segments between consecutive centroid sets, in the cluster's colour; at large k
    // over the last rounds only (k = 4096 over 150 rounds would be 1.2 M segments a step), while
    // every centroid is still drawn.
    const size_t kd = static_cast<size_t>(k) * d;
    const int last = std::min(upto, static_cast<int>(history.size() / kd) - 1);
    constexpr int kMaxTrailSegments = 60'000;
    const int first = std::max(1, last - std::max(1, kMaxTrailSegments / k) + 1);
    auto position = [&](int set, int c, int a) {
        return (history[set * kd + static_cast<size_t>(c) * d + a] - m_lo[a]) / m_span[a];
    };
    m_trail_vertices = 0;
    for (int c = 0; c < k; ++c) {
        for (int set = first; set <= last; ++set) {
            for (int s : {set - 1, set}) {
                m_line_data.insert(m_line_data.end(), {position(s, c, 0), position(s, c, 1), position(s, c, 2),
                                                       1.0f, 1.0f, 1.0f, static_cast<float>(c)});
                ++m_trail_vertices;
            }
        }
    }
    m_centroid_first = m_cube_vertices + m_trail_vertices;
    for (int c = 0; c < k && last >= 0; ++c) {
        m_line_data.insert(m_line_data.end(), {position(last, c, 0), position(last, c, 1), position(last, c, 2),
                                               1.0f, 1.0f, 1.0f, static_cast<float>(c)});
    }
    upload_lines();
    m_dirty = true;
}

void CloudView::upload_lines()
{
    glBindVertexArray(m_lines_vao);
    glBindBuffer(GL_ARRAY_BUFFER, m_lines);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(m_line_data.size() * sizeof(float)),
                 m_line_data.data(), GL_DYNAMIC_DRAW);
    attributes(kLineStride, true);
    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
}

void CloudView::set_highlight(int label)
{
    if (label != m_highlight) {
        m_highlight = label;
        m_dirty = true;
    }
}

void CloudView::set_view(float yaw, float pitch, bool by_cluster)
{
    if (yaw != m_yaw || pitch != m_pitch || by_cluster != m_by_cluster) {
        m_yaw = yaw;
        m_pitch = pitch;
        m_by_cluster = by_cluster;
        m_dirty = true;
    }
}

void CloudView::render(int size)
{
    if (m_count == 0 || size < 16) {
        return;
    }
    if (size != m_size) {
        if (!m_output) {
            GLuint t = 0;
            glGenTextures(1, &t);
            m_output = t;
            GLuint r = 0;
            glGenRenderbuffers(1, &r);
            m_depth = r;
            GLuint f = 0;
            glGenFramebuffers(1, &f);
            m_fbo = f;
        }
        glBindTexture(GL_TEXTURE_2D, m_output);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, size, size, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glBindTexture(GL_TEXTURE_2D, 0);
        glBindRenderbuffer(GL_RENDERBUFFER, m_depth);
        glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH_COMPONENT24, size, size);
        glBindRenderbuffer(GL_RENDERBUFFER, 0);
        glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
        glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, m_output, 0);
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, m_depth);
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        m_size = size;
        m_dirty = true;
    }
    if (!m_dirty) {
        return;
    }
    m_dirty = false;
    float mvp[16];
    view_matrix(m_yaw, m_pitch, mvp);
    glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
    glViewport(0, 0, m_size, m_size);
    glClearColor(0.06f, 0.06f, 0.07f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LEQUAL);
    glDisable(GL_BLEND);
    glDisable(GL_SCISSOR_TEST);
#if !defined(KPIX_GLES)
    glEnable(GL_PROGRAM_POINT_SIZE);
#endif
    glUseProgram(m_program);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, m_palette);
    glUniform1i(glGetUniformLocation(m_program, "u_palette"), 0);
    glUniformMatrix4fv(glGetUniformLocation(m_program, "u_mvp"), 1, GL_FALSE, mvp);
    glUniform1i(glGetUniformLocation(m_program, "u_highlight"), m_highlight);
    const GLint by_cluster = glGetUniformLocation(m_program, "u_by_cluster");
    const GLint point_size = glGetUniformLocation(m_program, "u_point_size");
    const GLint discs = glGetUniformLocation(m_program, "u_discs");
    // pixels
    glUniform1i(by_cluster, m_by_cluster ? 1 : 0);
    glUniform1f(point_size, std::max(1.0f, m_size / 400.0f));
    glUniform1i(discs, 0);
    glBindVertexArray(m_vao);
    glDrawArrays(GL_POINTS, 0, static_cast<GLsizei>(m_count));
    // cube edges (own colour), trails and centroids (cluster colour)
    glBindVertexArray(m_lines_vao);
    glUniform1i(by_cluster, 1);
    glDrawArrays(GL_LINES, 0, m_cube_vertices + m_trail_vertices);
    glDisable(GL_DEPTH_TEST);
    glUniform1i(discs, 1);
    glUniform1f(point_size, std::max(12.0f, m_size / 22.0f));
    glDrawArrays(GL_POINTS, m_centroid_first, m_k);
    glBindVertexArray(0);
    glBindTexture(GL_TEXTURE_2D, 0);
    glUseProgram(0);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

} // namespace app
