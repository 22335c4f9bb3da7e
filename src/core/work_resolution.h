// Working resolution: large photos are clustered on an area-averaged copy of at most a given
// number of pixels, and the final centroids are then applied to every pixel of the full image.
#pragma once

#include <cstddef>

#include "cluster.h"
#include "image.h"
#include "render.h"

namespace core {

/// Width and height of the copy of a w x h image that has at most max_pixels pixels, keeping the
/// aspect ratio (each side at least 1). max_pixels == 0 or an image already that small: w x h.
void work_size(int w, int h, size_t max_pixels, int& out_w, int& out_h);

/// Area-average downscale to work_size(...): each output pixel is the mean of a box of source
/// pixels (every source pixel in exactly one box). Colour is averaged weighted by alpha, so
/// transparent pixels do not darken their opaque neighbours; alpha is averaged plainly. An image
/// already small enough comes back as a copy.
Image downscale_area(const Image& image, size_t max_pixels);

/// Clusters as cluster_opaque, but on downscale_area(image, work_pixels) when the image has more
/// than work_pixels pixels (0 = always the full image); then every full-resolution pixel is
/// assigned to its nearest final centroid (with position, the full image's own coordinates, which
/// the feature scaling makes relative to its longest side, so both resolutions agree). labels,
/// shares, inertia (over the pixels that take part: opaque ones, or all with position) and the
/// size are then the full image's; rounds and history are those of the working copy; seconds
/// covers the downscale, the clustering and the assignment. The note says when a copy was used.
ClusterResult cluster_work_resolution(const Image& image, const ClusterParams& params,
                                      size_t work_pixels, ThreadPool& pool, Progress* progress,
                                      uint8_t alpha_threshold = kAlphaThreshold);

} // namespace core
