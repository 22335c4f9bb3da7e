// Rounds, dithering and transparency on top of cluster(): any round's labels are recomputed from
// the centroid history with the same features cluster() builds.
#include "render.h"

#include "features.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace core {

bool has_transparent(const Image& image, uint8_t alpha_threshold)
{
    for (size_t i = 0; i < image.pixels(); ++i) {
        if (image.rgba[4 * i + 3] < alpha_threshold) {
            return true;
        }
    }
    return false;
}

std::vector<uint8_t> round_palette(const ClusterResult& result, const ClusterParams& params, int round)
{
    const size_t kd = static_cast<size_t>(result.k) * result.d;
    std::vector<uint8_t> palette(static_cast<size_t>(result.k) * 3);
    const float* c = result.history_centroids.data() + static_cast<size_t>(round) * kd;
    for (int i = 0; i < result.k; ++i) {
        centroid_srgb(c + static_cast<size_t>(i) * result.d, params,
                      palette.data() + 3 * static_cast<size_t>(i));
    }
    return palette;
}

std::vector<uint16_t> round_labels(const ClusterResult& result, const Image& image,
                                   const ClusterParams& params, int round, ThreadPool& pool)
{
    const size_t n = image.pixels();
    std::vector<uint16_t> labels(n, 0);
    const size_t kd = static_cast<size_t>(result.k) * result.d;
    if (round < 0 || round > result.iterations ||
        result.history_centroids.size() < (static_cast<size_t>(round) + 1) * kd) {
        return labels;
    }
    const NearestCentroids nearest(result.history_centroids.data() + static_cast<size_t>(round) * kd,
                                   result.k, result.d);
    pool.parallel_for(0, n, 1 << 14, [&](size_t, size_t b, size_t e) {
        std::vector<float> f;
        std::vector<float> dist(e - b);
        pixel_features(image, params, b, e, result.d, f);
        nearest.assign(f.data(), e - b, labels.data() + b, dist.data());
    });
    return labels;
}

std::vector<uint16_t> dither_floyd_steinberg(const Image& image, const uint8_t* palette, int k,
                                             uint8_t alpha_threshold)
{
    const int w = image.width;
    const int h = image.height;
    std::vector<uint16_t> labels(image.pixels(), 0);
    // Error carried into this row and the next, 3 floats per pixel, with one pixel of margin on
    // each side so the kernel never needs a bounds check.
    std::vector<float> here(3 * (static_cast<size_t>(w) + 2), 0.0f);
    std::vector<float> below(here.size(), 0.0f);
    for (int y = 0; y < h; ++y) {
        std::fill(below.begin(), below.end(), 0.0f);
        for (int x = 0; x < w; ++x) {
            const size_t i = static_cast<size_t>(y) * w + x;
            const uint8_t* p = image.rgba.data() + 4 * i;
            if (p[3] < alpha_threshold) {
                continue;
            }
            float v[3];
            for (int q = 0; q < 3; ++q) {
                v[q] = std::clamp(p[q] + here[3 * (x + 1) + q], 0.0f, 255.0f);
            }
            int best = 0;
            float best_d = std::numeric_limits<float>::max();
            for (int c = 0; c < k; ++c) {
                const uint8_t* pc = palette + 3 * c;
                const float d0 = v[0] - pc[0];
                const float d1 = v[1] - pc[1];
                const float d2 = v[2] - pc[2];
                const float dd = d0 * d0 + d1 * d1 + d2 * d2;
                if (dd < best_d) {
                    best_d = dd;
                    best = c;
                }
            }
            labels[i] = static_cast<uint16_t>(best);
            for (int q = 0; q < 3; ++q) {
                const float err = v[q] - palette[3 * best + q];
                here[3 * (x + 2) + q] += err * (7.0f / 16.0f);
                below[3 * x + q] += err * (3.0f / 16.0f);
                below[3 * (x + 1) + q] += err * (5.0f / 16.0f);
                below[3 * (x + 2) + q] += err * (1.0f / 16.0f);
            }
        }
        std::swap(here, below);
    }
    return labels;
}

std::vector<uint8_t> render_palette(const Image& image, const uint16_t* labels,
                                    const uint8_t* palette, uint8_t alpha_threshold)
{
    std::vector<uint8_t> out(image.pixels() * 4, 0);
    for (size_t i = 0; i < image.pixels(); ++i) {
        if (image.rgba[4 * i + 3] < alpha_threshold) {
            continue;
        }
        const uint8_t* c = palette + 3 * static_cast<size_t>(labels[i]);
        out[4 * i + 0] = c[0];
        out[4 * i + 1] = c[1];
        out[4 * i + 2] = c[2];
        out[4 * i + 3] = 255;
    }
    return out;
}

} // namespace core
