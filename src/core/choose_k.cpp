// Choosing k: a sweep of clusterings over a range of k and three ways to read it (elbow,
// silhouette, gap statistic). The scores that need pairwise work run on a pixel sample.
//
// The ks run one after another, each clustering parallel over the pool, rather than several ks
// at once: every concurrent run would hold its own features, labels and bounds (tens of MB for a
// 12 MP photo, times the threads), and one run at a time keeps the pool's fixed chunking, so the
// numbers are the same on any thread count.
//
// The silhouette is exact for the sample (all pairwise distances, O(m^2 d)); the gap statistic
// (Tibshirani, Walther & Hastie 2001) compares log W_k of the sample, labelled by the clustering
// of the whole image, with k-means on B uniform reference sets in the sample's bounding box, of
// the sample's size. Both on the sample keep a 2..16 sweep of a photo to seconds.
#include "choose_k.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include "features.h"
#include "kmeans.h"
#include "render.h"
#include "rng.h"

namespace core {

namespace {

/// m pixel indices, uniform without replacement (a partial Fisher-Yates shuffle), ascending.
std::vector<size_t> sample_indices(size_t n, size_t m, uint64_t seed)
{
    std::vector<size_t> idx(n);
    std::iota(idx.begin(), idx.end(), size_t{0});
    if (m >= n) {
        return idx;
    }
    Rng rng(seed);
    for (size_t i = 0; i < m; ++i) {
        const size_t j = i + static_cast<size_t>(rng.below(n - i));
        std::swap(idx[i], idx[j]);
    }
    idx.resize(m);
    std::sort(idx.begin(), idx.end());
    return idx;
}

/// Sum of the Euclidean distances from xi to the points [begin, end) of pts (d per point), in
/// four interleaved partial sums: a fixed order, whatever the thread count.
double distance_sum(const double* xi, const double* pts, int d, size_t begin, size_t end)
{
    double part[4] = {0.0, 0.0, 0.0, 0.0};
    for (size_t j = begin; j < end; ++j) {
        double d2 = 0.0;
        for (int q = 0; q < d; ++q) {
            const double t = xi[q] - pts[j * d + q];
            d2 += t * t;
        }
        part[j & 3] += std::sqrt(d2);
    }
    return (part[0] + part[1]) + (part[2] + part[3]);
}

/// log W with a floor, so that a perfect clustering (W = 0) gives a large finite gap.
double log_w(double w) { return std::log(std::max(w, 1e-12)); }

} // namespace

int elbow_k(const std::vector<int>& ks, const std::vector<double>& values)
{
    const size_t n = std::min(ks.size(), values.size());
    if (n == 0) {
        return 0;
    }
    if (n < 3) {
        return ks[0];
    }
    const double x0 = ks.front();
    const double x1 = ks[n - 1];
    const auto [lo_it, hi_it] = std::minmax_element(values.begin(), values.begin() + n);
    const double lo = *lo_it;
    const double span = *hi_it - lo;
    if (span <= 0.0) {
        return ks[0];
    }
    const double y0 = (values[0] - lo) / span;
    const double y1 = (values[n - 1] - lo) / span;
    int best = ks[0];
    double best_d = 0.0;
    for (size_t i = 1; i + 1 < n; ++i) {
        const double x = (ks[i] - x0) / (x1 - x0);
        const double y = (values[i] - lo) / span;
        const double chord = y0 + (y1 - y0) * x;
        const double dist = chord - y;
        if (dist > best_d) {
            best_d = dist;
            best = ks[i];
        }
    }
    return best;
}

double mean_silhouette(const float* x, const uint16_t* labels, size_t n, int d, int k,
                       ThreadPool& pool)
{
    std::vector<size_t> count(static_cast<size_t>(k), 0);
    for (size_t i = 0; i < n; ++i) {
        ++count[labels[i]];
    }
    const long used = std::count_if(count.begin(), count.end(), [](size_t c) { return c > 0; });
    if (used < 2) {
        return 0.0;
    }
    // The points regrouped by cluster, so that each point's sum over a cluster is one
    // contiguous loop the compiler can vectorise (four partial sums, a fixed order).
    std::vector<size_t> start(static_cast<size_t>(k) + 1, 0);
    for (int c = 0; c < k; ++c) {
        start[c + 1] = start[c] + count[c];
    }
    std::vector<double> sorted(n * d);
    {
        std::vector<size_t> at(start.begin(), start.end() - 1);
        for (size_t i = 0; i < n; ++i) {
            const size_t j = at[labels[i]]++;
            for (int q = 0; q < d; ++q) {
                sorted[j * d + q] = x[i * d + q];
            }
        }
    }
    std::vector<double> s(n, 0.0);
    pool.parallel_for(0, n, 64, [&](size_t, size_t begin, size_t end) {
        std::vector<double> sum(static_cast<size_t>(k));
        std::vector<double> xi(static_cast<size_t>(d));
        for (size_t i = begin; i < end; ++i) {
            for (int q = 0; q < d; ++q) {
                xi[q] = x[i * d + q];
            }
            for (int c = 0; c < k; ++c) {
                sum[c] = distance_sum(xi.data(), sorted.data(), d, start[c], start[c + 1]);
            }
            const int own = labels[i];
            if (count[own] < 2) {
                s[i] = 0.0;
                continue;
            }
            const double a = sum[own] / static_cast<double>(count[own] - 1);
            double b = INFINITY;
            for (int c = 0; c < k; ++c) {
                if (c != own && count[c] > 0) {
                    b = std::min(b, sum[c] / static_cast<double>(count[c]));
                }
            }
            const double m = std::max(a, b);
            s[i] = m > 0.0 ? (b - a) / m : 0.0;
        }
    });
    double total = 0.0;
    for (double v : s) {
        total += v;
    }
    return total / static_cast<double>(n);
}

double within_dispersion(const float* x, const uint16_t* labels, size_t n, int d, int k)
{
    std::vector<double> mean(static_cast<size_t>(k) * d, 0.0);
    std::vector<double> count(static_cast<size_t>(k), 0.0);
    for (size_t i = 0; i < n; ++i) {
        count[labels[i]] += 1.0;
        for (int q = 0; q < d; ++q) {
            mean[labels[i] * d + q] += x[i * d + q];
        }
    }
    for (int c = 0; c < k; ++c) {
        for (int q = 0; q < d && count[c] > 0; ++q) {
            mean[c * d + q] /= count[c];
        }
    }
    double w = 0.0;
    for (size_t i = 0; i < n; ++i) {
        for (int q = 0; q < d; ++q) {
            const double t = x[i * d + q] - mean[labels[i] * d + q];
            w += t * t;
        }
    }
    return w;
}

int gap_k(const std::vector<int>& ks, const std::vector<double>& gap,
          const std::vector<double>& sd)
{
    if (ks.empty()) {
        return 0;
    }
    for (size_t i = 0; i + 1 < ks.size(); ++i) {
        if (gap[i] >= gap[i + 1] - sd[i + 1]) {
            return ks[i];
        }
    }
    return ks.back();
}

SweepResult sweep_k(const Image& image, const ClusterParams& params, int k_lo, int k_hi,
                    const ChooseKOptions& options, ThreadPool& pool, Progress* progress)
{
    SweepResult out;
    if (k_lo < 2 || k_hi < k_lo || k_hi - k_lo + 1 > kMaxSweep || k_hi > kMaxK) {
        out.note = "k runs from 2 up, at most " + std::to_string(kMaxSweep) + " values";
        return out;
    }
    if (params.xy == 0.0f && has_transparent(image)) {
        // Colour only, so the opaque pixels in a row are the same features (as cluster() does).
        Image opaque;
        for (size_t i = 0; i < image.pixels(); ++i) {
            if (image.rgba[4 * i + 3] >= kAlphaThreshold) {
                opaque.rgba.insert(opaque.rgba.end(), image.rgba.begin() + 4 * i,
                                   image.rgba.begin() + 4 * i + 4);
            }
        }
        if (opaque.rgba.empty()) {
            out.note = "every pixel of the image is transparent";
            return out;
        }
        opaque.width = static_cast<int>(opaque.rgba.size() / 4);
        opaque.height = 1;
        return sweep_k(opaque, params, k_lo, k_hi, options, pool, progress);
    }
    const int d = feature_dimension(params);
    const size_t m_want = static_cast<size_t>(std::max(options.sample, 2));
    const std::vector<size_t> idx = sample_indices(image.pixels(), m_want, params.kmeans.seed);
    const size_t m = idx.size();
    std::vector<float> xs(m * d);
    std::vector<float> f;
    for (size_t i = 0; i < m; ++i) {
        pixel_features(image, params, idx[i], idx[i] + 1, d, f);
        std::copy(f.begin(), f.begin() + d, xs.begin() + i * d);
    }

    // The reference sets of the gap statistic, drawn once and reused for every k (as R's clusGap).
    const int refs = std::max(options.gap_refs, 1);
    std::vector<std::vector<float>> ref_sets;
    if (options.gap) {
        std::vector<float> lo(d, INFINITY), hi(d, -INFINITY);
        for (size_t i = 0; i < m; ++i) {
            for (int q = 0; q < d; ++q) {
                lo[q] = std::min(lo[q], xs[i * d + q]);
                hi[q] = std::max(hi[q], xs[i * d + q]);
            }
        }
        Rng rng(params.kmeans.seed ^ 0x6A09E667F3BCC909ull);
        for (int b = 0; b < refs; ++b) {
            std::vector<float> r(m * d);
            for (size_t i = 0; i < m; ++i) {
                for (int q = 0; q < d; ++q) {
                    r[i * d + q] = lo[q] + static_cast<float>(rng.uniform()) * (hi[q] - lo[q]);
                }
            }
            ref_sets.push_back(std::move(r));
        }
    }

    const int count = k_hi - k_lo + 1;
    std::vector<uint16_t> labels(m);
    for (int i = 0; i < count; ++i) {
        if (cancelled(progress)) {
            out.cancelled = true;
            return out;
        }
        SweepPoint pt;
        pt.k = k_lo + i;
        ClusterParams p = params;
        p.kmeans.k = pt.k;
        p.work_pixels = 0;
        if (p.kmeans.init == Init::given) {
            p.kmeans.init = Init::kmeanspp;
            p.kmeans.given_centroids.clear();
        }
        const ClusterResult r = cluster(image, p, pool, nullptr);
        if (r.cancelled) {
            out.cancelled = true;
            return out;
        }
        pt.k_used = r.k;
        pt.inertia = r.inertia;
        pt.iterations = r.iterations;
        pt.seconds = r.seconds;
        for (size_t j = 0; j < m; ++j) {
            labels[j] = r.labels[idx[j]];
        }
        if (options.silhouette && !cancelled(progress)) {
            pt.silhouette = mean_silhouette(xs.data(), labels.data(), m, d, r.k, pool);
        }
        if (options.gap && !cancelled(progress)) {
            const double log_wk = log_w(within_dispersion(xs.data(), labels.data(), m, d, r.k));
            std::vector<double> logs;
            for (int b = 0; b < refs; ++b) {
                KMeansParams kp = p.kmeans;
                kp.seed = params.kmeans.seed + 1000003ull * static_cast<uint64_t>(b + 1);
                const KMeansResult kr =
                    kmeans(ref_sets[b].data(), nullptr, m, d, kp, pool, nullptr);
                logs.push_back(log_w(kr.inertia));
            }
            double mean = 0.0;
            for (double v : logs) {
                mean += v;
            }
            mean /= refs;
            double var = 0.0;
            for (double v : logs) {
                var += (v - mean) * (v - mean);
            }
            var /= refs;
            pt.gap = mean - log_wk;
            pt.gap_sd = std::sqrt(var) * std::sqrt(1.0 + 1.0 / refs);
        }
        out.points.push_back(pt);
        set_fraction(progress, static_cast<double>(i + 1) / count);
    }
    if (cancelled(progress)) {
        out.cancelled = true;
        return out;
    }

    std::vector<int> ks;
    std::vector<double> inertia, sil, gap, sd;
    for (const SweepPoint& pt : out.points) {
        ks.push_back(pt.k);
        inertia.push_back(pt.inertia);
        sil.push_back(pt.silhouette);
        gap.push_back(pt.gap);
        sd.push_back(pt.gap_sd);
    }
    out.elbow = elbow_k(ks, inertia);
    if (options.silhouette) {
        out.silhouette = ks[std::max_element(sil.begin(), sil.end()) - sil.begin()];
    }
    if (options.gap) {
        out.gap = gap_k(ks, gap, sd);
    }
    return out;
}

} // namespace core
