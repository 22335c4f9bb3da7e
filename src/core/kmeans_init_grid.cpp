// Init "grid": the lattice and SLIC's 3 x 3 move to the lowest colour gradient. Integer
// arithmetic places the lattice, so every build lays the same one; the gradients are sums of
// exactly rounded float operations in a fixed order (the same floats natively and in wasm).
#include "kmeans_init_grid.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_set>

namespace core {
namespace {

/// SLIC's gradient at (x, y): squared colour difference of the horizontal neighbours plus that of
/// the vertical ones, neighbours clamped at the border.
float gradient(const float* colour, size_t stride, int width, int height, int x, int y)
{
    auto at = [&](int px, int py) {
        px = std::clamp(px, 0, width - 1);
        py = std::clamp(py, 0, height - 1);
        return colour + (static_cast<size_t>(py) * static_cast<size_t>(width) + static_cast<size_t>(px)) * stride;
    };
    const float* l = at(x - 1, y);
    const float* r = at(x + 1, y);
    const float* u = at(x, y - 1);
    const float* d = at(x, y + 1);
    float g = 0.0f;
    for (int a = 0; a < 3; ++a) {
        const float dx = r[a] - l[a];
        const float dy = d[a] - u[a];
        g += dx * dx;
        g += dy * dy;
    }
    return g;
}

} // namespace

std::vector<size_t> grid_lattice(int width, int height, int k)
{
    std::vector<size_t> out;
    if (width <= 0 || height <= 0 || k <= 0) {
        return out;
    }
    const int64_t w = width;
    const int64_t h = height;
    const int64_t n = std::min<int64_t>(k, w * h);
    const double step = std::sqrt(static_cast<double>(w * h) / static_cast<double>(n));
    const int64_t fewest = (n + w - 1) / w;
    const int64_t most = std::min(h, n);
    const int64_t rows = std::clamp<int64_t>(std::llround(static_cast<double>(h) / step), fewest, most);
    out.reserve(static_cast<size_t>(n));
    for (int64_t j = 0; j < rows; ++j) {
        const int64_t y = (2 * j + 1) * h / (2 * rows);
        const int64_t cols = (j + 1) * n / rows - j * n / rows;
        for (int64_t i = 0; i < cols; ++i) {
            const int64_t x = (2 * i + 1) * w / (2 * cols);
            out.push_back(static_cast<size_t>(y * w + x));
        }
    }
    return out;
}

std::vector<size_t> grid_seed_pixels(const float* colour, size_t stride, int width, int height, int k)
{
    std::vector<size_t> centres = grid_lattice(width, height, k);
    std::unordered_set<size_t> taken(centres.begin(), centres.end());
    const size_t w = static_cast<size_t>(width);
    for (size_t& c : centres) {
        const int cx = static_cast<int>(c % w);
        const int cy = static_cast<int>(c / w);
        taken.erase(c);
        size_t best = c;
        float best_g = gradient(colour, stride, width, height, cx, cy);
        for (int y = std::max(0, cy - 1); y <= std::min(height - 1, cy + 1); ++y) {
            for (int x = std::max(0, cx - 1); x <= std::min(width - 1, cx + 1); ++x) {
                const size_t i = static_cast<size_t>(y) * w + static_cast<size_t>(x);
                if (i == c || taken.count(i) != 0) {
                    continue;
                }
                const float g = gradient(colour, stride, width, height, x, y);
                if (g < best_g) {
                    best_g = g;
                    best = i;
                }
            }
        }
        c = best;
        taken.insert(c);
    }
    return centres;
}

} // namespace core
