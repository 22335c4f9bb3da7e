// Working resolution: large photos are clustered on an area-averaged copy of at most a given
// number of pixels (ClusterParams::work_pixels); cluster() then applies the final centroids to
// every pixel of the full image. Here: the copy's size and the copy itself.
#pragma once

#include <cstddef>

#include "image.h"

namespace core {

class ThreadPool;

/// Width and height of the copy of a w x h image that has at most max_pixels pixels, keeping the
/// aspect ratio (each side at least 1). max_pixels == 0 or an image already that small: w x h.
void work_size(int w, int h, size_t max_pixels, int& out_w, int& out_h);

/// Area-average downscale to work_size(...): each output pixel is the mean of a box of source
/// pixels (every source pixel in exactly one box). Colour is averaged weighted by alpha, so
/// transparent pixels do not darken their opaque neighbours; alpha is averaged plainly. An image
/// already small enough comes back as a copy. Rows of the copy are shared out over pool when one
/// is given; the pixels do not depend on it.
Image downscale_area(const Image& image, size_t max_pixels, ThreadPool* pool = nullptr);

} // namespace core
