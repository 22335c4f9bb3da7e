// Feature vectors of pixels as the engine clusters them, for a downscaled view of an image: the
// app recomputes any round's labels on the view from the recorded centroids with these.
#pragma once

#include <cstddef>
#include <vector>

#include "cluster.h"
#include "image.h"

namespace core {

/// The source pixel shown at (x, y) of a view of out_w x out_h over an image of w x h
/// (nearest neighbour; the same mapping for the view's colours and its features).
inline size_t view_source_index(int x, int y, int out_w, int out_h, int w, int h)
{
    const int sx = out_w == w ? x : static_cast<int>((x + 0.5) * w / out_w);
    const int sy = out_h == h ? y : static_cast<int>((y + 0.5) * h / out_h);
    return static_cast<size_t>(sy < h ? sy : h - 1) * static_cast<size_t>(w) +
        static_cast<size_t>(sx < w ? sx : w - 1);
}

/// The scale of the position features (ClusterParams::xy): xy times the span of the colour axes
/// over the image's longer side.
float position_scale(const Image& image, const ClusterParams& params);

/// The position features of pixel (x, y): its centre, scaled. Every feature vector with position
/// (the clustered points, the views, given seeds) is made by this, so their floats agree.
inline void position_features(float scale, size_t x, size_t y, float* out)
{
    out[0] = scale * (static_cast<float>(x) + 0.5f);
    out[1] = scale * (static_cast<float>(y) + 0.5f);
}

/// Dimension of the features for these parameters (3, or 5 with position).
int feature_dimension(const ClusterParams& params);

/// Features of pixels [begin, end) of the image into f (colour in params.space) (resized to (end - begin) * d), the same
/// float operations as cluster(), so the final centroids reproduce its labels exactly.
void pixel_features(const Image& image, const ClusterParams& params, size_t begin, size_t end,
                    int d, std::vector<float>& f);

/// Features of every pixel of an out_w x out_h view of the image, out_w * out_h * d floats, the
/// very values the engine clustered for those source pixels.
std::vector<float> view_features(const Image& image, const ClusterParams& params, int out_w,
                                 int out_h);

/// A centroid's colour in sRGB 0..255 (its colour part, whatever the position part).
void centroid_srgb(const float* centroid, const ClusterParams& params, unsigned char* rgb);

} // namespace core
