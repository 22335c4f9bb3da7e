// Downscaling by box averages, for clustering a working copy of a large image (see cluster()).
#include "work_resolution.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "thread_pool.h"

namespace core {

void work_size(int w, int h, size_t max_pixels, int& out_w, int& out_h)
{
    out_w = w;
    out_h = h;
    const size_t n = static_cast<size_t>(std::max(w, 0)) * static_cast<size_t>(std::max(h, 0));
    if (max_pixels == 0 || n <= max_pixels) {
        return;
    }
    const double s = std::sqrt(static_cast<double>(n) / static_cast<double>(max_pixels));
    out_w = std::max(1, std::min(w, static_cast<int>(std::floor(w / s))));
    out_h = std::max(1, std::min(h, static_cast<int>(std::floor(h / s))));
    // Rounding can leave the product a little over: shave the longer side until it fits.
    while (static_cast<size_t>(out_w) * static_cast<size_t>(out_h) > max_pixels &&
           (out_w > 1 || out_h > 1)) {
        if (out_w >= out_h) {
            --out_w;
        } else {
            --out_h;
        }
    }
}

Image downscale_area(const Image& image, size_t max_pixels, ThreadPool* pool)
{
    int out_w = 0;
    int out_h = 0;
    work_size(image.width, image.height, max_pixels, out_w, out_h);
    if (out_w == image.width && out_h == image.height) {
        return image;
    }
    const size_t w = static_cast<size_t>(image.width);
    const size_t h = static_cast<size_t>(image.height);
    Image out;
    out.width = out_w;
    out.height = out_h;
    out.rgba.resize(static_cast<size_t>(out_w) * static_cast<size_t>(out_h) * 4);
    // Box edges: source columns [x0[ox], x0[ox + 1]) make output column ox; likewise rows.
    std::vector<size_t> x0(static_cast<size_t>(out_w) + 1);
    for (size_t ox = 0; ox <= static_cast<size_t>(out_w); ++ox) {
        x0[ox] = ox * w / static_cast<size_t>(out_w);
    }
    // Per output column: colour weighted by alpha (3), alpha, plain colour (3). Each output row
    // is its own job, so the rows may be shared out over a pool.
    constexpr size_t kSums = 7;
    const auto rows = [&](size_t, size_t row_begin, size_t row_end) {
        std::vector<uint64_t> sums(static_cast<size_t>(out_w) * kSums);
        for (size_t oy = row_begin; oy < row_end; ++oy) {
            const size_t y_begin = oy * h / static_cast<size_t>(out_h);
            const size_t y_end = (oy + 1) * h / static_cast<size_t>(out_h);
            std::fill(sums.begin(), sums.end(), 0);
            for (size_t y = y_begin; y < y_end; ++y) {
                const uint8_t* row = image.rgba.data() + y * w * 4;
                for (size_t ox = 0; ox < static_cast<size_t>(out_w); ++ox) {
                    uint64_t* s = sums.data() + ox * kSums;
                    for (size_t x = x0[ox]; x < x0[ox + 1]; ++x) {
                        const uint8_t* p = row + x * 4;
                        s[0] += static_cast<uint64_t>(p[0]) * p[3];
                        s[1] += static_cast<uint64_t>(p[1]) * p[3];
                        s[2] += static_cast<uint64_t>(p[2]) * p[3];
                        s[3] += p[3];
                        s[4] += p[0];
                        s[5] += p[1];
                        s[6] += p[2];
                    }
                }
            }
            for (size_t ox = 0; ox < static_cast<size_t>(out_w); ++ox) {
                const uint64_t* s = sums.data() + ox * kSums;
                const uint64_t count = (x0[ox + 1] - x0[ox]) * (y_end - y_begin);
                uint8_t* o = out.rgba.data() + (oy * static_cast<size_t>(out_w) + ox) * 4;
                if (s[3] > 0) {
                    for (int c = 0; c < 3; ++c) {
                        o[c] = static_cast<uint8_t>((s[c] + s[3] / 2) / s[3]);
                    }
                } else {
                    for (int c = 0; c < 3; ++c) { // a fully transparent box: the plain mean
                        o[c] = static_cast<uint8_t>((s[4 + c] + count / 2) / count);
                    }
                }
                o[3] = static_cast<uint8_t>((s[3] + count / 2) / count);
            }
        }
    };
    for_chunks(pool, 0, static_cast<size_t>(out_h), 16, rows);
    return out;
}

} // namespace core
