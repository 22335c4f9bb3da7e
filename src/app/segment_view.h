// The segmented image on the GPU: a label texture and a palette texture, combined by
// shaders/segment.frag into a texture the UI shows. Stepping a round uploads only what changed
// (the labels after an assignment, the palette after an update).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace app {

/// Region boundaries over the segmented image: none, white (the boundaries toggle), or contrasting
/// (the regions view: each line darker or lighter than its region, visible on white and black
/// regions alike without covering the small regions of a large k).
enum class Boundaries { none = 0, white = 1, contrasting = 2 };

class SegmentView {
public:
    SegmentView() = default;
    ~SegmentView();
    SegmentView(const SegmentView&) = delete;
    SegmentView& operator=(const SegmentView&) = delete;

    /// Compiles the program; false and a message if the GL cannot.
    bool init(std::string& error);
    /// Labels of every view pixel (width * height, row 0 on top).
    void set_labels(const std::vector<uint16_t>& labels, int width, int height);
    /// Palette colours, k * 3 sRGB bytes.
    void set_palette(const std::vector<uint8_t>& rgb, int k);
    /// The original view, for alpha.
    void set_original(unsigned texture) { m_original = texture; m_dirty = true; }
    void set_highlight(int label);
    void set_boundaries(Boundaries mode);
    /// Renders into the output texture if anything changed; call outside ImGui's rendering.
    void render();
    void clear();

    unsigned texture() const { return m_has_labels && m_has_palette ? m_output : 0; }
    int width() const { return m_width; }
    int height() const { return m_height; }

private:
    unsigned m_program = 0;
    unsigned m_vao = 0;
    unsigned m_labels = 0;
    unsigned m_palette = 0;
    unsigned m_output = 0;
    unsigned m_fbo = 0;
    unsigned m_original = 0;
    int m_width = 0;
    int m_height = 0;
    int m_highlight = -1;
    Boundaries m_boundaries = Boundaries::none;
    bool m_has_labels = false;
    bool m_has_palette = false;
    bool m_dirty = false;
};

} // namespace app
