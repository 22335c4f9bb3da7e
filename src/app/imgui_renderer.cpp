// Dear ImGui's draw lists with our own program (shaders/imgui.*). The whole state it needs is set
// at the start of render() and left in a known state at the end, so nothing is queried from GL.
#include "imgui_renderer.h"

#include <cstddef>
#include <cstdint>

#include "gl.h"
#include "gl_program.h"
#include "imgui.h"
#include "kpix_shaders.h"

namespace app {
namespace {

GLuint texture_name(ImTextureID id)
{
    return static_cast<GLuint>(reinterpret_cast<intptr_t>(id));
}

} // namespace

ImGuiRenderer::~ImGuiRenderer()
{
    shutdown();
}

bool ImGuiRenderer::init(std::string& error)
{
    m_program = build_program(shaders::imgui_vert, shaders::imgui_frag, error);
    if (!m_program) {
        return false;
    }
    m_scale_location = glGetUniformLocation(m_program, "u_scale");
    m_offset_location = glGetUniformLocation(m_program, "u_offset");
    m_texture_location = glGetUniformLocation(m_program, "u_texture");
    GLuint vao = 0;
    glGenVertexArrays(1, &vao);
    m_vao = vao;
    GLuint buffers[2] = {0, 0};
    glGenBuffers(2, buffers);
    m_vertices = buffers[0];
    m_indices = buffers[1];
    glBindVertexArray(m_vao);
    glBindBuffer(GL_ARRAY_BUFFER, m_vertices);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, m_indices);
    glEnableVertexAttribArray(0);
    glEnableVertexAttribArray(1);
    glEnableVertexAttribArray(2);
    bind_vertices(0);
    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);

    ImGuiIO& io = ImGui::GetIO();
    io.BackendRendererName = "kpix";
    // Draw lists longer than 64k vertices keep 16-bit indices: render() re-points the
    // attributes at each command's VtxOffset (WebGL2 has no base-vertex draw call).
    io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
    rebuild_fonts();
    return true;
}

void ImGuiRenderer::shutdown()
{
    if (ImGui::GetCurrentContext() && m_font) {
        ImGui::GetIO().Fonts->SetTexID(nullptr);
    }
    delete_textures({&m_font});
    delete_buffers({&m_vertices, &m_indices});
    delete_vertex_arrays({&m_vao});
    delete_program(m_program);
}

void ImGuiRenderer::rebuild_fonts()
{
    ImGuiIO& io = ImGui::GetIO();
    unsigned char* pixels = nullptr;
    int width = 0;
    int height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    if (!m_font) {
        GLuint texture = 0;
        glGenTextures(1, &texture);
        m_font = texture;
    }
    glBindTexture(GL_TEXTURE_2D, m_font);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
    glBindTexture(GL_TEXTURE_2D, 0);
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(m_font)));
}

void ImGuiRenderer::bind_vertices(unsigned vertex_offset)
{
    const size_t base = static_cast<size_t>(vertex_offset) * sizeof(ImDrawVert);
    const auto at = [base](size_t field) {
        return reinterpret_cast<const void*>(static_cast<intptr_t>(base + field));
    };
    const GLsizei stride = sizeof(ImDrawVert);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, at(offsetof(ImDrawVert, pos)));
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride, at(offsetof(ImDrawVert, uv)));
    glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, at(offsetof(ImDrawVert, col)));
}

void ImGuiRenderer::render(const ImDrawData* data)
{
    const int fb_width = static_cast<int>(data->DisplaySize.x * data->FramebufferScale.x);
    const int fb_height = static_cast<int>(data->DisplaySize.y * data->FramebufferScale.y);
    if (!m_program || fb_width <= 0 || fb_height <= 0) {
        return;
    }
    const auto set_state = [&] {
        glEnable(GL_BLEND);
        glBlendEquation(GL_FUNC_ADD);
        glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
        glDisable(GL_CULL_FACE);
        glDisable(GL_DEPTH_TEST);
        glDisable(GL_STENCIL_TEST);
        glEnable(GL_SCISSOR_TEST);
        glViewport(0, 0, fb_width, fb_height);
        glUseProgram(m_program);
        // Pixels (origin DisplayPos, y down) to clip space (y up).
        const float sx = 2.0f / data->DisplaySize.x;
        const float sy = -2.0f / data->DisplaySize.y;
        glUniform2f(m_scale_location, sx, sy);
        glUniform2f(m_offset_location, -1.0f - data->DisplayPos.x * sx, 1.0f - data->DisplayPos.y * sy);
        glUniform1i(m_texture_location, 0);
        glActiveTexture(GL_TEXTURE0);
        glBindVertexArray(m_vao);
        glBindBuffer(GL_ARRAY_BUFFER, m_vertices);
    };
    set_state();

    const ImVec2 clip_offset = data->DisplayPos;
    const ImVec2 clip_scale = data->FramebufferScale;
    const GLenum index_type = sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT;
    for (int n = 0; n < data->CmdListsCount; ++n) {
        const ImDrawList* list = data->CmdLists[n];
        glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(list->VtxBuffer.Size) * sizeof(ImDrawVert),
                     list->VtxBuffer.Data, GL_STREAM_DRAW);
        glBufferData(GL_ELEMENT_ARRAY_BUFFER, static_cast<GLsizeiptr>(list->IdxBuffer.Size) * sizeof(ImDrawIdx),
                     list->IdxBuffer.Data, GL_STREAM_DRAW);
        unsigned vertex_offset = 0;
        bind_vertices(0);
        GLuint bound = 0;
        for (const ImDrawCmd& cmd : list->CmdBuffer) {
            if (cmd.UserCallback) {
                if (cmd.UserCallback == ImDrawCallback_ResetRenderState) {
                    set_state();
                } else {
                    cmd.UserCallback(list, &cmd);
                }
                bound = 0;
                continue;
            }
            const float x0 = (cmd.ClipRect.x - clip_offset.x) * clip_scale.x;
            const float y0 = (cmd.ClipRect.y - clip_offset.y) * clip_scale.y;
            const float x1 = (cmd.ClipRect.z - clip_offset.x) * clip_scale.x;
            const float y1 = (cmd.ClipRect.w - clip_offset.y) * clip_scale.y;
            if (x1 <= x0 || y1 <= y0) {
                continue;
            }
            glScissor(static_cast<int>(x0), static_cast<int>(fb_height - y1), static_cast<int>(x1 - x0),
                      static_cast<int>(y1 - y0));
            const GLuint texture = texture_name(cmd.GetTexID());
            if (texture != bound) {
                glBindTexture(GL_TEXTURE_2D, texture);
                bound = texture;
            }
            if (cmd.VtxOffset != vertex_offset) {
                vertex_offset = cmd.VtxOffset;
                bind_vertices(vertex_offset);
            }
            glDrawElements(GL_TRIANGLES, static_cast<GLsizei>(cmd.ElemCount), index_type,
                           reinterpret_cast<const void*>(static_cast<intptr_t>(cmd.IdxOffset * sizeof(ImDrawIdx))));
        }
    }
    glDisable(GL_SCISSOR_TEST);
    glDisable(GL_BLEND);
    glBindTexture(GL_TEXTURE_2D, 0);
    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    glUseProgram(0);
}

} // namespace app
