// Pixel features for views: colour (sRGB 0..255) and, with position, x and y scaled as in
// cluster() (see ClusterParams::xy).
#include "features.h"

#include "colour.h"

#include <algorithm>
#include <cmath>

namespace core {

int feature_dimension(const ClusterParams& params)
{
    return params.xy > 0.0f ? 5 : 3;
}

namespace {

/// One pixel's features: colour, then position when d == 5.
inline void feature_of(const Image& image, Space space, float scale, size_t src, int d, float* o)
{
    // The same conversion cluster() applies to each distinct colour, so values are identical.
    srgb8_to_space(space, image.rgba.data() + 4 * src, o);
    if (d == 5) {
        const size_t w = static_cast<size_t>(image.width);
        position_features(scale, src % w, src / w, o + 3);
    }
}

} // namespace

float position_scale(const Image& image, const ClusterParams& params)
{
    return params.xy * space_span(params.space) /
        static_cast<float>(std::max(image.width, image.height));
}

void pixel_features(const Image& image, const ClusterParams& params, size_t begin, size_t end,
                    int d, std::vector<float>& f)
{
    f.resize((end - begin) * static_cast<size_t>(d));
    const float scale = position_scale(image, params);
    for (size_t i = begin; i < end; ++i) {
        feature_of(image, params.space, scale, i, d, f.data() + (i - begin) * d);
    }
}

std::vector<float> view_features(const Image& image, const ClusterParams& params, int out_w,
                                 int out_h)
{
    const int d = feature_dimension(params);
    const float scale = position_scale(image, params);
    std::vector<float> f(static_cast<size_t>(out_w) * out_h * d);
    for (int y = 0; y < out_h; ++y) {
        for (int x = 0; x < out_w; ++x) {
            const size_t src = view_source_index(x, y, out_w, out_h, image.width, image.height);
            feature_of(image, params.space, scale, src, d, f.data() + (static_cast<size_t>(y) * out_w + x) * d);
        }
    }
    return f;
}

void centroid_srgb(const float* centroid, const ClusterParams& params, unsigned char* rgb)
{
    space_to_srgb8(params.space, centroid, rgb);
}

} // namespace core
