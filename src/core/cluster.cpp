// From pixels to k-means and back. Colour-only clustering runs on the image's distinct colours
// weighted by their pixel counts (found with a 2^24 table), which gives exactly the result of
// clustering every pixel; each pixel then takes its colour's label through the same table. Each
// distinct colour is converted to the working space once, also when position is added.
#include "cluster.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <cmath>
#include <mutex>
#include <numeric>

namespace core {

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

/// The distinct colours of an image and their pixel counts, found with a 2^24 table (colour ->
/// count, then colour -> index), or for small images by sorting. The table is 64 MB, so one is
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

    /// Index into colours of the colour at p (which must be one of the image's pixels).
    uint32_t index_of(const uint8_t* p) const
    {
        const uint32_t c = packed_rgb(p);
        if (m_sorted) {
            return static_cast<uint32_t>(std::lower_bound(colours.begin(), colours.end(), c) -
                                         colours.begin());
        }
        return (*m_table)[c];
    }

    /// Zeroes the entries used and hands the shared table back; index_of is invalid afterwards.
    void release(ThreadPool& pool)
    {
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
    /// Small images: sorting their colours (radix, three 8-bit passes) is cheaper than touching
    /// a 64 MB table; lookups are then binary searches. Same colours, same order, same counts.
    void find_by_sorting(const uint8_t* rgba, size_t n)
    {
        m_sorted = true;
        std::vector<uint32_t> keys(n), tmp(n);
        for (size_t i = 0; i < n; ++i) {
            keys[i] = packed_rgb(rgba + 4 * i);
        }
        for (int shift = 0; shift < 24; shift += 8) {
            size_t count[257] = {};
            for (uint32_t k : keys) {
                ++count[((k >> shift) & 0xFF) + 1];
            }
            for (int b = 0; b < 256; ++b) {
                count[b + 1] += count[b];
            }
            for (uint32_t k : keys) {
                tmp[count[(k >> shift) & 0xFF]++] = k;
            }
            keys.swap(tmp);
        }
        colours.clear();
        weights.clear();
        for (size_t i = 0; i < n;) {
            size_t j = i + 1;
            while (j < n && keys[j] == keys[i]) {
                ++j;
            }
            colours.push_back(keys[i]);
            weights.push_back(static_cast<double>(j - i));
            i = j;
        }
    }

    static constexpr size_t kSortBelow = size_t{1} << 20;
    static constexpr size_t kSize = size_t{1} << 24;
    static constexpr size_t kSlice = size_t{1} << 18;
    static std::mutex s_mutex;
    static std::vector<uint32_t> s_table;
    std::vector<uint32_t>* m_table = nullptr;
    std::vector<uint32_t> m_own;
    bool m_shared = false;
    bool m_sorted = false;
};

std::mutex DistinctColours::s_mutex;
std::vector<uint32_t> DistinctColours::s_table;

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
        km = kmeans(colours.data(), distinct.weights.data(), distinct.count(), 3, params.kmeans,
                    pool, progress);
        if (km.cancelled || km.k == 0) {
            out.cancelled = km.cancelled;
            out.note = km.note;
            return out;
        }
        pool.parallel_for(0, n, 1 << 16, [&](size_t, size_t b, size_t e) {
            for (size_t i = b; i < e; ++i) {
                labels[i] = km.labels[distinct.index_of(rgba + 4 * i)];
            }
        });
    } else {
        const int w = image.width;
        const float scale = params.xy * space_span(params.space) /
            static_cast<float>(std::max(image.width, image.height));
        // Not zero-filled first (80 MB on 4 MP, on one thread): every float is written below.
        std::unique_ptr<float[]> points(new float[n * 5]);
        const bool table = !colours.empty();
        pool.parallel_for(0, n, 1 << 16, [&](size_t, size_t b, size_t e) {
            for (size_t i = b; i < e; ++i) {
                const uint8_t* p = rgba + 4 * i;
                float* f = points.get() + 5 * i;
                if (table) {
                    const float* c = colours.data() + 3 * size_t{distinct.index_of(p)};
                    f[0] = c[0];
                    f[1] = c[1];
                    f[2] = c[2];
                } else {
                    f[0] = p[0];
                    f[1] = p[1];
                    f[2] = p[2];
                }
                f[3] = scale * (static_cast<float>(i % w) + 0.5f);
                f[4] = scale * (static_cast<float>(i / w) + 0.5f);
            }
        });
        distinct.release(pool);
        km = kmeans(points.get(), nullptr, n, 5, params.kmeans, pool, progress);
        if (km.cancelled || km.k == 0) {
            out.cancelled = km.cancelled;
            out.note = km.note;
            return out;
        }
        labels = std::move(km.labels);
    }
    distinct.release(pool);
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
        space_to_srgb8(params.space, km.centroids.data() + static_cast<size_t>(c) * km.d,
                       out.palette.data() + static_cast<size_t>(c) * 3);
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
