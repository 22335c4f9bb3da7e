// The colour-space view: a uniform sample of the pixels (up to 200k) as a rotatable 3D point
// cloud on the space's three colour axes, the centroids drawn large with their trails over the
// rounds, rendered into a texture the UI shows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace app {

class CloudView {
public:
    CloudView() = default;
    ~CloudView();
    CloudView(const CloudView&) = delete;
    CloudView& operator=(const CloudView&) = delete;

    static constexpr size_t kMaxPoints = 200000;

    bool init(std::string& error);
    /// A new run: features of the view's pixels (n * d, colour first), their sRGB colours (n * 4),
    /// and the range of each colour axis of the space (the box drawn around the cloud).
    void set_points(const std::vector<float>& features, int d, const std::vector<uint8_t>& rgba,
                    const float axis_lo[3], const float axis_hi[3]);
    /// Labels of the view's pixels for the round shown (n).
    void set_labels(const std::vector<uint16_t>& labels);
    void set_palette(const std::vector<uint8_t>& rgb, int k);
    /// Centroid sets 0..upto of a run's history ((rounds + 1) * k * d): the last is drawn large,
    /// all of them as trails.
    void set_centroids(const std::vector<float>& history, int k, int d, int upto);
    void set_highlight(int label);
    void set_view(float yaw, float pitch, bool by_cluster);
    /// Renders into a size x size texture when anything changed.
    void render(int size);
    void clear();

    unsigned texture() const { return m_count > 0 ? m_output : 0; }
    size_t points() const { return m_count; }

private:
    void upload_lines();

    unsigned m_program = 0;
    unsigned m_vao = 0;
    unsigned m_points = 0;     // x y z r g b per point
    unsigned m_labels = 0;     // label per point (float)
    unsigned m_lines_vao = 0;
    unsigned m_lines = 0;      // cube edges, trails, centroids: x y z r g b label
    unsigned m_palette = 0;
    unsigned m_output = 0;
    unsigned m_depth = 0;
    unsigned m_fbo = 0;
    int m_size = 0;
    size_t m_count = 0;
    std::vector<size_t> m_sample;      // view pixel of every point
    float m_lo[3] = {0, 0, 0};
    float m_span[3] = {1, 1, 1};
    std::vector<float> m_line_data;
    int m_cube_vertices = 0;
    int m_trail_vertices = 0;
    int m_k = 0;
    int m_centroid_first = 0;
    float m_yaw = 0.7f;
    float m_pitch = 0.45f;
    bool m_by_cluster = false;
    int m_highlight = -1;
    bool m_dirty = false;
};

} // namespace app
