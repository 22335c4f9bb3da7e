// Downscaling by box averages and applying a working copy's centroids to the full image. The
// full-resolution assignment is split into fixed chunks and the inertia summed per chunk, then
// merged in chunk order, so the result does not depend on the thread count.
#include "work_resolution.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "features.h"
#include "kmeans.h"

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

Image downscale_area(const Image& image, size_t max_pixels)
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
    // Per output column: colour weighted by alpha (3), alpha, plain colour (3).
    constexpr size_t kSums = 7;
    std::vector<uint64_t> sums(static_cast<size_t>(out_w) * kSums);
    for (size_t oy = 0; oy < static_cast<size_t>(out_h); ++oy) {
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
    return out;
}

namespace {

/// Puts clusters in order of share, largest first, through centroids, palette, history and labels.
void reorder_by_share(ClusterResult& r)
{
    const int k = r.k;
    const size_t d = static_cast<size_t>(r.d);
    std::vector<int> order(static_cast<size_t>(k));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return r.shares[a] > r.shares[b]; });
    std::vector<uint16_t> new_index(static_cast<size_t>(k));
    for (int i = 0; i < k; ++i) {
        new_index[static_cast<size_t>(order[i])] = static_cast<uint16_t>(i);
    }
    auto permute = [&](auto& v, size_t offset, size_t stride) {
        const auto copy = std::vector<typename std::decay_t<decltype(v)>::value_type>(
            v.begin() + offset, v.begin() + offset + static_cast<size_t>(k) * stride);
        for (int i = 0; i < k; ++i) {
            std::copy_n(copy.begin() + static_cast<size_t>(order[i]) * stride, stride,
                        v.begin() + offset + static_cast<size_t>(i) * stride);
        }
    };
    permute(r.centroids, 0, d);
    permute(r.palette, 0, 3);
    permute(r.shares, 0, 1);
    for (size_t off = 0; off + static_cast<size_t>(k) * d <= r.history_centroids.size();
         off += static_cast<size_t>(k) * d) {
        permute(r.history_centroids, off, d);
    }
    for (uint16_t& l : r.labels) {
        l = new_index[l];
    }
}

} // namespace

ClusterResult cluster_work_resolution(const Image& image, const ClusterParams& params,
                                      size_t work_pixels, ThreadPool& pool, Progress* progress,
                                      uint8_t alpha_threshold)
{
    int work_w = 0;
    int work_h = 0;
    work_size(image.width, image.height, work_pixels, work_w, work_h);
    if (work_w == image.width && work_h == image.height) {
        return cluster_opaque(image, params, pool, progress, alpha_threshold);
    }
    const auto t0 = std::chrono::steady_clock::now();
    const Image small = downscale_area(image, work_pixels);
    ClusterResult r = cluster_opaque(small, params, pool, progress, alpha_threshold);
    r.width = image.width;
    r.height = image.height;
    if (r.k == 0 || r.cancelled) {
        r.labels.clear();
        return r;
    }
    // Every full-resolution pixel to its nearest final centroid, with the full image's features.
    const size_t n = image.pixels();
    const bool every_pixel = params.xy > 0.0f; // cluster_opaque's rule for transparent pixels
    r.labels.assign(n, 0);
    constexpr size_t kGrain = 1 << 14;
    const size_t chunks = ThreadPool::chunk_count(0, n, kGrain);
    std::vector<double> chunk_inertia(chunks, 0.0);
    std::vector<std::vector<double>> chunk_counts(chunks);
    pool.parallel_for(0, n, kGrain, [&](size_t chunk, size_t b, size_t e) {
        std::vector<float> f;
        std::vector<float> dist(e - b);
        pixel_features(image, params, b, e, r.d, f);
        assign_nearest(f.data(), e - b, r.d, r.centroids.data(), r.k, r.labels.data() + b, dist.data());
        std::vector<double>& counts = chunk_counts[chunk];
        counts.assign(static_cast<size_t>(r.k), 0.0);
        double sum = 0.0;
        for (size_t i = b; i < e; ++i) {
            if (every_pixel || image.rgba[4 * i + 3] >= alpha_threshold) {
                counts[r.labels[i]] += 1.0;
                sum += dist[i - b];
            }
        }
        chunk_inertia[chunk] = sum;
    });
    std::vector<double> counts(static_cast<size_t>(r.k), 0.0);
    double inertia = 0.0;
    for (size_t c = 0; c < chunks; ++c) {
        inertia += chunk_inertia[c];
        for (int j = 0; j < r.k; ++j) {
            counts[static_cast<size_t>(j)] += chunk_counts[c][static_cast<size_t>(j)];
        }
    }
    const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
    for (int j = 0; j < r.k; ++j) {
        r.shares[static_cast<size_t>(j)] = total > 0.0 ? counts[static_cast<size_t>(j)] / total : 0.0;
    }
    r.inertia = inertia;
    reorder_by_share(r);
    char note[200];
    std::snprintf(note, sizeof note,
                  "clustered on a %d x %d copy, labels applied to all %d x %d pixels",
                  work_w, work_h, image.width, image.height);
    r.note = r.note.empty() ? std::string(note) : r.note + "; " + note;
    // The whole job: downscale, clustering the copy and the full-size assignment.
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return r;
}

} // namespace core
