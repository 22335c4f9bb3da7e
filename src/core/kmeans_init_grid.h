// Init "grid": SLIC's seeding for colour + position runs. k starting centres on a regular lattice
// over the image, each moved to the pixel of lowest colour gradient in its 3 x 3 neighbourhood, so
// that no centre starts on an edge or a noisy pixel.
#pragma once

#include <cstddef>
#include <vector>

namespace core {

/// The lattice of min(k, width * height) distinct pixels, as indices y * width + x, row by row.
/// SLIC's step S = sqrt(N / k) gives the number of rows, round(height / S) (at least
/// ceil(k / width), so that no row holds more centres than the image has columns, and at most
/// min(height, k)); k is then shared out over the rows as evenly as whole numbers allow (row j
/// holds floor((j + 1) k / rows) - floor(j k / rows) centres), so exactly k centres run whether
/// or not k is a rectangle number, and rows differ by at most one centre. Row j sits at
/// y = floor((j + 0.5) height / rows), its c centres at x = floor((i + 0.5) width / c).
std::vector<size_t> grid_lattice(int width, int height, int k);

/// The lattice moved: each centre to the pixel of lowest colour gradient in the 3 x 3
/// neighbourhood of its lattice pixel, the gradient being SLIC's
/// |I(x+1, y) - I(x-1, y)|^2 + |I(x, y+1) - I(x, y-1)|^2 over the colour axes (neighbours
/// clamped at the border). Ties keep the lattice pixel, then the first in row order; a pixel
/// another centre already holds is never taken, so the centres stay distinct pixels (the lattice
/// can be closer than 3 pixels at large k on a small image). colour: the first 3 of every
/// pixel's `stride` floats are its colour in the working space (width * height * stride).
std::vector<size_t> grid_seed_pixels(const float* colour, size_t stride, int width, int height, int k);

} // namespace core
