// Draws Dear ImGui's draw lists with our own GL program. It never reads GL state back: in the
// browser every glGet* that is not cached turns into a round trip to the GPU process, and
// ImGui's stock backend makes a dozen of them per frame to save and restore state.
#pragma once

#include <string>

struct ImDrawData;

namespace app {

class ImGuiRenderer {
public:
    ImGuiRenderer() = default;
    ImGuiRenderer(const ImGuiRenderer&) = delete;
    ImGuiRenderer& operator=(const ImGuiRenderer&) = delete;
    ~ImGuiRenderer();

    /// Compiles the program and creates the buffers and the font atlas texture; false and a
    /// message on failure. Needs a current GL context and an ImGui context.
    bool init(std::string& error);
    void shutdown();
    /// Uploads the font atlas again (after the fonts were rebuilt at another size).
    void rebuild_fonts();
    /// Draws into the bound framebuffer. Leaves blending and the scissor test off, no program,
    /// vertex array or texture bound: the state the other views start from.
    void render(const ImDrawData* data);

private:
    void bind_vertices(unsigned vertex_offset);

    unsigned m_program = 0;
    unsigned m_vao = 0;
    unsigned m_vertices = 0;
    unsigned m_indices = 0;
    unsigned m_font = 0;
    int m_scale_location = -1;
    int m_offset_location = -1;
    int m_texture_location = -1;
};

} // namespace app
