// From pixels to k-means and back. Colour-only clustering runs on the image's distinct colours
// weighted by their pixel counts (found with a 2^24 table), which gives exactly the result of
// clustering every pixel; each pixel then takes its colour's label through the same table.
#include "cluster.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

namespace core {

const char* space_name(Space space)
{
    switch (space) {
    case Space::rgb: return "rgb";
    }
    return "rgb";
}

bool parse_space(const std::string& name, Space& space)
{
    if (name == "rgb") {
        space = Space::rgb;
        return true;
    }
    return false;
}

const char* init_name(Init init)
{
    switch (init) {
    case Init::kmeanspp: return "kmeans++";
    case Init::random: return "random";
    case Init::given: return "given";
    }
    return "kmeans++";
}

bool parse_init(const std::string& name, Init& init)
{
    if (name == "kmeans++" || name == "k-means++") {
        init = Init::kmeanspp;
        return true;
    }
    if (name == "random") {
        init = Init::random;
        return true;
    }
    return false;
}

namespace {

uint32_t packed_rgb(const uint8_t* p)
{
    return static_cast<uint32_t>(p[0]) << 16 | static_cast<uint32_t>(p[1]) << 8 | p[2];
}

/// Reorders clusters by weight, largest first (ties by index), through labels and history too.
void order_by_share(KMeansResult& km, std::vector<uint16_t>& pixel_labels)
{
    const int k = km.k;
    const int d = km.d;
    std::vector<int> order(k);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return km.weights[a] > km.weights[b]; });
    std::vector<uint16_t> new_index(k);
    for (int i = 0; i < k; ++i) {
        new_index[order[i]] = static_cast<uint16_t>(i);
    }
    auto permute = [&](std::vector<float>& c, size_t offset) {
        std::vector<float> copy(c.begin() + offset, c.begin() + offset + static_cast<size_t>(k) * d);
        for (int i = 0; i < k; ++i) {
            std::copy_n(copy.begin() + static_cast<size_t>(order[i]) * d, d,
                        c.begin() + offset + static_cast<size_t>(i) * d);
        }
    };
    permute(km.centroids, 0);
    for (size_t off = 0; off + static_cast<size_t>(k) * d <= km.history_centroids.size();
         off += static_cast<size_t>(k) * d) {
        permute(km.history_centroids, off);
    }
    std::vector<double> weights(k);
    for (int i = 0; i < k; ++i) {
        weights[i] = km.weights[order[i]];
    }
    km.weights = std::move(weights);
    for (uint16_t& l : pixel_labels) {
        l = new_index[l];
    }
}

} // namespace

ClusterResult cluster_image(const Image& image, const ClusterParams& params, ThreadPool& pool,
                            Progress* progress)
{
    const auto t0 = std::chrono::steady_clock::now();
    ClusterResult out;
    out.width = image.width;
    out.height = image.height;
    const size_t n = image.pixels();
    if (n == 0) {
        out.note = "the image has no pixels";
        return out;
    }
    const uint8_t* rgba = image.rgba.data();
    KMeansResult km;
    std::vector<uint16_t> labels(n);
    const bool with_xy = params.xy > 0.0f;
    if (!with_xy) {
        // Distinct colours: count into a 2^24 table, then reuse the table as colour -> index.
        std::vector<uint32_t> table(size_t{1} << 24, 0);
        for (size_t i = 0; i < n; ++i) {
            ++table[packed_rgb(rgba + 4 * i)];
        }
        std::vector<float> points;
        std::vector<double> weights;
        for (uint32_t c = 0; c < table.size(); ++c) {
            if (table[c] != 0) {
                weights.push_back(table[c]);
                points.push_back(static_cast<float>(c >> 16));
                points.push_back(static_cast<float>((c >> 8) & 0xFF));
                points.push_back(static_cast<float>(c & 0xFF));
                table[c] = static_cast<uint32_t>(weights.size() - 1);
            }
        }
        out.distinct_colours = weights.size();
        km = kmeans(points.data(), weights.data(), weights.size(), 3, params.kmeans, pool, progress);
        if (km.cancelled || km.k == 0) {
            out.cancelled = km.cancelled;
            out.note = km.note;
            return out;
        }
        pool.parallel_for(0, n, 1 << 16, [&](size_t, size_t b, size_t e) {
            for (size_t i = b; i < e; ++i) {
                labels[i] = km.labels[table[packed_rgb(rgba + 4 * i)]];
            }
        });
    } else {
        const int w = image.width;
        const float scale = params.xy * 255.0f / static_cast<float>(std::max(image.width, image.height));
        std::vector<float> points(n * 5);
        pool.parallel_for(0, n, 1 << 16, [&](size_t, size_t b, size_t e) {
            for (size_t i = b; i < e; ++i) {
                const uint8_t* p = rgba + 4 * i;
                float* f = points.data() + 5 * i;
                f[0] = p[0];
                f[1] = p[1];
                f[2] = p[2];
                f[3] = scale * (static_cast<float>(i % w) + 0.5f);
                f[4] = scale * (static_cast<float>(i / w) + 0.5f);
            }
        });
        km = kmeans(points.data(), nullptr, n, 5, params.kmeans, pool, progress);
        if (km.cancelled || km.k == 0) {
            out.cancelled = km.cancelled;
            out.note = km.note;
            return out;
        }
        labels = km.labels;
    }
    order_by_share(km, labels);

    out.k = km.k;
    out.d = km.d;
    out.palette.resize(static_cast<size_t>(km.k) * 3);
    out.shares.resize(km.k);
    double total = 0.0;
    for (double wgt : km.weights) {
        total += wgt;
    }
    for (int c = 0; c < km.k; ++c) {
        for (int q = 0; q < 3; ++q) {
            const float v = km.centroids[static_cast<size_t>(c) * km.d + q];
            out.palette[static_cast<size_t>(c) * 3 + q] =
                static_cast<uint8_t>(std::clamp(std::lround(v), 0L, 255L));
        }
        out.shares[c] = total > 0.0 ? km.weights[c] / total : 0.0;
    }
    out.labels = std::move(labels);
    out.centroids = std::move(km.centroids);
    out.history_centroids = std::move(km.history_centroids);
    out.rounds = std::move(km.rounds);
    out.inertia = km.inertia;
    out.iterations = km.iterations;
    out.converged = km.converged;
    out.note = km.note;
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

std::vector<uint8_t> render_clustered(const ClusterResult& result, const Image& image)
{
    std::vector<uint8_t> out(image.rgba.size());
    const size_t n = std::min(image.pixels(), result.labels.size());
    for (size_t i = 0; i < n; ++i) {
        const uint8_t* c = result.palette.data() + 3 * static_cast<size_t>(result.labels[i]);
        out[4 * i + 0] = c[0];
        out[4 * i + 1] = c[1];
        out[4 * i + 2] = c[2];
        out[4 * i + 3] = image.rgba[4 * i + 3];
    }
    return out;
}

} // namespace core
