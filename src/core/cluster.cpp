// From pixels to k-means and back, the steps of cluster() in the order they run: a working copy
// of a large image, transparent pixels left out, features, k-means, the copy's centroids applied
// to the full image, clusters ordered by share. Colour-only clustering runs on the image's
// distinct colours weighted by their pixel counts (found with a 2^24 table), which gives exactly
// the result of clustering every pixel; each pixel then takes its colour's label through the same
// table. Each distinct colour is converted to the working space once, also when position is added.
#include "cluster.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <mutex>
#include <numeric>
#include <type_traits>

#include "features.h"
#include "kmeans_init_grid.h"
#include "render.h"
#include "work_resolution.h"

namespace core {

const char* init_name(Init init)
{
    switch (init) {
    case Init::kmeanspp: return "kmeans++";
    case Init::random: return "random";
    case Init::given: return "given";
    case Init::grid: return "grid";
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
    if (name == "grid") {
        init = Init::grid;
        return true;
    }
    return false;
}

namespace {

uint32_t packed_rgb(const uint8_t* p)
{
    return static_cast<uint32_t>(p[0]) << 16 | static_cast<uint32_t>(p[1]) << 8 | p[2];
}

/// The distinct colours of an image and their pixel counts, found with a 2^24 table (colour ->
/// count, then colour -> index), or for images up to 4 MP by sorting. The table is 64 MB, so one is
/// kept for the process and reused, cleared entry by entry afterwards; a second concurrent user
/// gets a fresh one.
class DistinctColours {
public:
    /// Packed 0xRRGGBB, ascending, and pixel counts, count() each.
    std::vector<uint32_t> colours;
    std::vector<double> weights;

    size_t count() const { return colours.size(); }

    void find(const uint8_t* rgba, size_t n, ThreadPool& pool)
    {
        if (n < kSortBelow) {
            find_by_sorting(rgba, n);
            return;
        }
        if (s_mutex.try_lock()) {
            m_shared = true;
            if (s_table.empty()) {
                s_table.assign(kSize, 0);
            }
            m_table = &s_table;
        } else {
            m_own.assign(kSize, 0);
            m_table = &m_own;
        }
        uint32_t* t = m_table->data();
        // Counting in parallel without atomics: each thread reads every pixel but counts only the
        // colours in its own range of the table. Counts are integers, so the split (which does
        // depend on the thread count here) cannot change the result.
        const size_t parts = static_cast<size_t>(pool.threads());
        pool.parallel_for(0, parts, 1, [&](size_t part, size_t, size_t) {
            const uint32_t lo = static_cast<uint32_t>(kSize * part / parts);
            const uint32_t hi = static_cast<uint32_t>(kSize * (part + 1) / parts);
            for (size_t i = 0; i < n; ++i) {
                const uint32_t c = packed_rgb(rgba + 4 * i);
                if (c >= lo && c < hi) {
                    ++t[c];
                }
            }
        });
        // Collect in colour order: count per slice, offsets, then fill, all slices in parallel.
        const size_t slices = ThreadPool::chunk_count(0, kSize, kSlice);
        std::vector<size_t> offset(slices + 1, 0);
        pool.parallel_for(0, kSize, kSlice, [&](size_t s, size_t b, size_t e) {
            size_t m = 0;
            for (size_t c = b; c < e; ++c) {
                m += t[c] != 0;
            }
            offset[s + 1] = m;
        });
        for (size_t s = 0; s < slices; ++s) {
            offset[s + 1] += offset[s];
        }
        colours.resize(offset[slices]);
        weights.resize(offset[slices]);
        pool.parallel_for(0, kSize, kSlice, [&](size_t s, size_t b, size_t e) {
            size_t m = offset[s];
            for (size_t c = b; c < e; ++c) {
                if (t[c] != 0) {
                    colours[m] = static_cast<uint32_t>(c);
                    weights[m] = t[c];
                    t[c] = static_cast<uint32_t>(m);
                    ++m;
                }
            }
        });
    }

    /// Index into colours of pixel i's colour; rgba: the pixels find() was given.
    uint32_t index_of(const uint8_t* rgba, size_t i) const
    {
        return m_sorted ? m_pixel_index[i] : (*m_table)[packed_rgb(rgba + 4 * i)];
    }

    /// Zeroes the entries used and hands the shared table back; index_of is invalid afterwards.
    void release(ThreadPool& pool)
    {
        m_pixel_index = {};
        if (!m_table) {
            return;
        }
        if (m_shared) {
            uint32_t* t = m_table->data();
            pool.parallel_for(0, colours.size(), 1 << 16, [&](size_t, size_t b, size_t e) {
                for (size_t i = b; i < e; ++i) {
                    t[colours[i]] = 0;
                }
            });
            s_mutex.unlock();
        }
        m_table = nullptr;
        m_shared = false;
        m_own = {};
    }

    DistinctColours() = default;
    DistinctColours(const DistinctColours&) = delete;
    DistinctColours& operator=(const DistinctColours&) = delete;
    ~DistinctColours()
    {
        if (m_shared) {
            // Cancelled or failed half-way: the entries are not known to be clean, so zero all.
            std::fill(s_table.begin(), s_table.end(), 0u);
            s_mutex.unlock();
        }
    }

private:
    /// Images of up to kSortBelow pixels (the default 2 MP working copy among them): sorting
    /// (colour, pixel) pairs (radix, three 8-bit passes) is cheaper than touching a 64 MB table,
    /// and takes a third of its memory; each pixel's index is written while the sorted runs are
    /// walked. Same colours, same order, same counts as the table.
    void find_by_sorting(const uint8_t* rgba, size_t n)
    {
        m_sorted = true;
        std::vector<uint64_t> keys(n), tmp(n);
        for (size_t i = 0; i < n; ++i) {
            keys[i] = uint64_t{packed_rgb(rgba + 4 * i)} << 32 | i;
        }
        for (int shift = 32; shift < 56; shift += 8) {
            size_t count[257] = {};
            for (uint64_t k : keys) {
                ++count[((k >> shift) & 0xFF) + 1];
            }
            for (int b = 0; b < 256; ++b) {
                count[b + 1] += count[b];
            }
            for (uint64_t k : keys) {
                tmp[count[(k >> shift) & 0xFF]++] = k;
            }
            keys.swap(tmp);
        }
        tmp = {};
        colours.clear();
        weights.clear();
        m_pixel_index.resize(n);
        for (size_t i = 0; i < n;) {
            const uint32_t colour = static_cast<uint32_t>(keys[i] >> 32);
            const uint32_t index = static_cast<uint32_t>(colours.size());
            size_t j = i;
            for (; j < n && static_cast<uint32_t>(keys[j] >> 32) == colour; ++j) {
                m_pixel_index[keys[j] & 0xFFFFFFFFu] = index;
            }
            colours.push_back(colour);
            weights.push_back(static_cast<double>(j - i));
            i = j;
        }
    }

    static constexpr size_t kSortBelow = size_t{1} << 22;
    static constexpr size_t kSize = size_t{1} << 24;
    static constexpr size_t kSlice = size_t{1} << 18;
    static std::mutex s_mutex;
    static std::vector<uint32_t> s_table;
    std::vector<uint32_t>* m_table = nullptr;
    std::vector<uint32_t> m_own;
    /// Sorting path: each pixel's index into colours, n.
    std::vector<uint32_t> m_pixel_index;
    bool m_shared = false;
    bool m_sorted = false;
};

std::mutex DistinctColours::s_mutex;
std::vector<uint32_t> DistinctColours::s_table;

/// Puts clusters in order of key (k), largest first (ties keep their order), through centroids,
/// palette, shares, history and labels.
void reorder_by(ClusterResult& r, std::vector<double> key)
{
    const int k = r.k;
    const size_t d = static_cast<size_t>(r.d);
    std::vector<int> order(static_cast<size_t>(k));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return key[a] > key[b]; });
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

/// Appends a sentence to the result's note.
void add_note(ClusterResult& r, const std::string& note)
{
    r.note = r.note.empty() ? note : r.note + "; " + note;
}

/// Features and k-means over every pixel of the image, transparent or not; clusters ordered by
/// their weight.
ClusterResult cluster_pixels(const Image& image, const ClusterParams& params, ThreadPool& pool,
                             Progress* progress)
{
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
    // Colour only, or any space but rgb: convert each distinct colour once. rgb+XY needs no table.
    DistinctColours distinct;
    std::vector<float> colours; // distinct.count() * 3, in the working space
    if (!with_xy || params.space != Space::rgb) {
        distinct.find(rgba, n, pool);
        out.distinct_colours = distinct.count();
        colours.resize(distinct.count() * 3);
        pool.parallel_for(0, distinct.count(), 1 << 14, [&](size_t, size_t b, size_t e) {
            for (size_t i = b; i < e; ++i) {
                const uint32_t c = distinct.colours[i];
                const uint8_t rgb[3] = {static_cast<uint8_t>(c >> 16),
                                        static_cast<uint8_t>(c >> 8), static_cast<uint8_t>(c)};
                srgb8_to_space(params.space, rgb, colours.data() + 3 * i);
            }
        });
    }
    if (!with_xy) {
        // A lattice over the image says nothing about colours alone: grid falls back to k-means++
        // (so compare mode's colour-only half, a link or a sweep still run), and says so.
        const bool grid = params.kmeans.init == Init::grid;
        KMeansParams fallback;
        if (grid) {
            fallback = params.kmeans;
            fallback.init = Init::kmeanspp;
        }
        km = kmeans(colours.data(), distinct.weights.data(), distinct.count(), 3,
                    grid ? fallback : params.kmeans, pool, progress);
        if (grid) {
            km.note = (km.note.empty() ? "" : km.note + "; ") +
                "init grid needs position (xy > 0): k-means++ used";
        }
        if (km.cancelled || km.k == 0) {
            out.cancelled = km.cancelled;
            out.note = km.note;
            return out;
        }
        pool.parallel_for(0, n, 1 << 16, [&](size_t, size_t b, size_t e) {
            for (size_t i = b; i < e; ++i) {
                labels[i] = km.labels[distinct.index_of(rgba, i)];
            }
        });
    } else {
        const int w = image.width;
        const float scale = position_scale(image, params);
        // Not zero-filled first (80 MB on 4 MP, on one thread): every float is written below.
        std::unique_ptr<float[]> points(new float[n * 5]);
        const bool table = !colours.empty();
        pool.parallel_for(0, n, 1 << 16, [&](size_t, size_t b, size_t e) {
            for (size_t i = b; i < e; ++i) {
                const uint8_t* p = rgba + 4 * i;
                float* f = points.get() + 5 * i;
                if (table) {
                    const float* c = colours.data() + 3 * size_t{distinct.index_of(rgba, i)};
                    f[0] = c[0];
                    f[1] = c[1];
                    f[2] = c[2];
                } else {
                    f[0] = p[0];
                    f[1] = p[1];
                    f[2] = p[2];
                }
                position_features(scale, i % w, i / w, f + 3);
            }
        });
        distinct.release(pool);
        // Init grid: SLIC's lattice on this image (the working copy when there is one).
        KMeansParams grid;
        if (params.kmeans.init == Init::grid) {
            grid = params.kmeans;
            grid.given_centroids.clear();
            for (size_t i : grid_seed_pixels(points.get(), 5, image.width, image.height, grid.k)) {
                grid.given_centroids.insert(grid.given_centroids.end(), points.get() + 5 * i,
                                            points.get() + 5 * i + 5);
            }
        }
        km = kmeans(points.get(), nullptr, n, 5,
                    params.kmeans.init == Init::grid ? grid : params.kmeans, pool, progress);
        if (km.cancelled || km.k == 0) {
            out.cancelled = km.cancelled;
            out.note = km.note;
            return out;
        }
        labels = std::move(km.labels);
    }
    distinct.release(pool);

    out.palette.resize(static_cast<size_t>(km.k) * 3);
    out.shares.resize(km.k);
    double total = 0.0;
    for (double wgt : km.weights) {
        total += wgt;
    }
    for (int c = 0; c < km.k; ++c) {
        space_to_srgb8(params.space, km.centroids.data() + static_cast<size_t>(c) * km.d,
                       out.palette.data() + static_cast<size_t>(c) * 3);
        out.shares[c] = total > 0.0 ? km.weights[c] / total : 0.0;
    }
    // The run's facts as they are, then the labels per pixel; km.weights is not moved.
    static_cast<KMeansRun&>(out) = std::move(km);
    out.labels = std::move(labels);
    reorder_by(out, km.weights);
    return out;
}

/// cluster_pixels, leaving out transparent pixels: colour-only clustering does not care where a
/// pixel is, so the opaque ones are packed into one row; the transparent ones then take their
/// colour's nearest final centroid, so the label map has no holes.
ClusterResult cluster_opaque(const Image& image, const ClusterParams& params, ThreadPool& pool,
                             Progress* progress)
{
    if (!has_transparent(image)) {
        return cluster_pixels(image, params, pool, progress);
    }
    if (params.xy > 0.0f) {
        // Leaving them out here would need a mask inside the feature building.
        ClusterResult r = cluster_pixels(image, params, pool, progress);
        add_note(r, "with position features, transparent pixels are clustered too");
        return r;
    }
    Image opaque;
    std::vector<size_t> where;
    for (size_t i = 0; i < image.pixels(); ++i) {
        if (image.rgba[4 * i + 3] >= kAlphaThreshold) {
            where.push_back(i);
            opaque.rgba.insert(opaque.rgba.end(), image.rgba.begin() + 4 * i,
                               image.rgba.begin() + 4 * i + 4);
        }
    }
    if (where.empty()) {
        ClusterResult r;
        r.width = image.width;
        r.height = image.height;
        r.note = "every pixel of the image is transparent";
        return r;
    }
    opaque.width = static_cast<int>(where.size());
    opaque.height = 1;
    ClusterResult r = cluster_pixels(opaque, params, pool, progress);
    if (r.k == 0) {
        return r;
    }
    std::vector<uint16_t> labels = round_labels(r, image, params, r.iterations, pool);
    for (size_t j = 0; j < where.size(); ++j) {
        labels[where[j]] = r.labels[j];
    }
    r.labels = std::move(labels);
    r.width = image.width;
    r.height = image.height;
    return r;
}

/// A working copy's result applied to the full image: every pixel to its nearest final centroid,
/// with the full image's features; then labels, shares, inertia and size are the full image's,
/// in order of the new shares. The assignment is split into fixed chunks and the inertia summed
/// per chunk, then merged in chunk order, so the result does not depend on the thread count.
void apply_to_full_image(ClusterResult& r, const Image& image, const ClusterParams& params,
                         ThreadPool& pool)
{
    const size_t n = image.pixels();
    const bool every_pixel = params.xy > 0.0f; // cluster_opaque's rule for transparent pixels
    r.width = image.width;
    r.height = image.height;
    r.labels.assign(n, 0);
    constexpr size_t kGrain = 1 << 14;
    const size_t chunks = ThreadPool::chunk_count(0, n, kGrain);
    std::vector<double> chunk_inertia(chunks, 0.0);
    std::vector<std::vector<double>> chunk_counts(chunks);
    const NearestCentroids nearest(r.centroids.data(), r.k, r.d);
    pool.parallel_for(0, n, kGrain, [&](size_t chunk, size_t b, size_t e) {
        std::vector<float> f;
        std::vector<float> dist(e - b);
        pixel_features(image, params, b, e, r.d, f);
        nearest.assign(f.data(), e - b, r.labels.data() + b, dist.data());
        std::vector<double>& counts = chunk_counts[chunk];
        counts.assign(static_cast<size_t>(r.k), 0.0);
        double sum = 0.0;
        for (size_t i = b; i < e; ++i) {
            if (every_pixel || image.rgba[4 * i + 3] >= kAlphaThreshold) {
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
    reorder_by(r, r.shares);
}

} // namespace

ClusterResult cluster(const Image& image, const ClusterParams& params, ThreadPool& pool,
                      Progress* progress)
{
    const auto t0 = std::chrono::steady_clock::now();
    int work_w = 0;
    int work_h = 0;
    work_size(image.width, image.height, params.work_pixels, work_w, work_h);
    const bool copy = work_w != image.width || work_h != image.height;
    ClusterResult r = copy ? cluster_opaque(downscale_area(image, params.work_pixels, &pool), params, pool, progress)
                           : cluster_opaque(image, params, pool, progress);
    if (copy) {
        if (r.k == 0 || r.cancelled) {
            r.width = image.width;
            r.height = image.height;
            r.labels.clear();
        } else {
            apply_to_full_image(r, image, params, pool);
            char note[200];
            std::snprintf(note, sizeof note,
                          "clustered on a %d x %d copy, labels applied to all %d x %d pixels",
                          work_w, work_h, image.width, image.height);
            add_note(r, note);
        }
    }
    r.rounds_width = work_w;
    r.rounds_height = work_h;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return r;
}

ClusterParams params_at_k(const ClusterParams& params, int k)
{
    ClusterParams p = params;
    p.kmeans.k = k;
    p.work_pixels = 0;
    if (p.kmeans.init == Init::given) {
        p.kmeans.init = Init::kmeanspp;
        p.kmeans.given_centroids.clear();
    }
    return p;
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
