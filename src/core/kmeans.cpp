// Weighted k-means, as scikit-learn's KMeans(algorithm="lloyd") defines it, made reproducible:
// the Lloyd loop and the public entry point. The rest lives beside it:
//   kmeans_seeding.cpp  greedy k-means++ (exact pruning, the first assignment) and Forgy;
//   kmeans_seed_runs.h  its small-k passes' runs of points no trial reaches, and the 8-lane pass;
//   kmeans_seed_exact.* its large-k passes (integer potentials summed over the tiles a trial
//                       reaches); kmeans_seed_tiles.* those tiles (position blocks cut
//                       across every axis, colour octree)
//   kmeans_init_grid.*  `init grid`: SLIC's lattice of k starting centres
//   kmeans_assign.cpp   the assignment pass and Hamerly's bounds
//   kmeans_sums.cpp     the exact cluster sums of the update (ClusterSums)
//   kmeans_grid.h/.cpp  large k: centroids on a grid of the last two axes, or all three in colour
//                       alone (nearby search, local bounds)
//   kmeans_simd.h       the 4- and 8-lane distance kernels; kmeans_kernels.cpp their blocks,
//                       NearestCentroids and the scalar twin
//   kmeans_internal.h   what those files share (points, groups, bounds)
//
// The algorithm. Initialisation is greedy k-means++, Forgy's random choice of k distinct points,
// or centroids the caller gives. Then Lloyd rounds: assign every point to its nearest centroid,
// move every centroid to the weighted mean of its points. A round that moves no point, or whose
// summed squared centroid shift is <= tol * (mean per-axis variance of the data), ends the run; a
// final assignment makes the labels agree with the returned centroids. An empty cluster takes the
// point farthest from its centroid (scikit-learn's rule), so k never silently shrinks.
//
// Memory layout. Points are flat floats, n * d, with an optional weight per point: colour-only
// clustering passes the distinct colours of an image weighted by their pixel counts, which gives
// exactly the Lloyd result of the full image at a fraction of the cost. Labels are uint16_t
// (k <= 4096). Centroids are k * d floats. Cluster sums are exact integers (ClusterSums,
// kmeans_sums.cpp), kept up to date from the points whose label changed: a cluster that kept its
// points keeps its centroid's bits.
//
// Threading and reproducibility: every pass is split into groups fixed by n alone, partial sums
// merged in group order, float distances in a fixed order of operations (kmeans_internal.h); every
// shortcut (bounds, vector lanes, pruning) is proven to change no bit, so 1, 2 or 16 threads,
// native or wasm, give the same labels.
#include "kmeans.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "kmeans_grid.h"
#include "kmeans_internal.h"
#include "rng.h"

namespace core {
namespace detail {
namespace {

/// Mean over axes of the weighted per-axis variance (scikit-learn's tol is relative to it).
/// Two passes: the total weight and every axis's weighted sum, then every axis's squared
/// deviations; each axis's sums run over the points in order, one partial sum per group.
double mean_variance(const Data& data, ThreadPool& pool)
{
    const int d = data.d;
    const size_t stride = static_cast<size_t>(d) + 1;
    const size_t gs = group_size(data.n);
    const size_t groups = ThreadPool::chunk_count(0, data.n, gs);
    std::vector<double> part(groups * stride, 0.0);
    // Each group sums into its own local array and stores it once: neighbouring groups' slices
    // of part share cache lines, and storing per point made two threads fight over them.
    pool.parallel_for(0, data.n, gs, [&](size_t g, size_t b, size_t e) {
        std::vector<double> s(stride, 0.0);
        for (size_t i = b; i < e; ++i) {
            const double w = data.weight(i);
            const float* p = data.point(i);
            s[0] += w;
            for (int j = 0; j < d; ++j) {
                s[1 + j] += w * p[j];
            }
        }
        std::copy(s.begin(), s.end(), part.begin() + g * stride);
    });
    std::vector<double> sum(stride, 0.0);
    for (size_t g = 0; g < groups; ++g) {
        for (size_t j = 0; j < stride; ++j) {
            sum[j] += part[g * stride + j];
        }
    }
    const double total = sum[0];
    if (total <= 0.0) {
        return 0.0;
    }
    std::vector<double> mean(d);
    for (int j = 0; j < d; ++j) {
        mean[j] = sum[1 + j] / total;
    }
    std::fill(part.begin(), part.end(), 0.0);
    pool.parallel_for(0, data.n, gs, [&](size_t g, size_t b, size_t e) {
        std::vector<double> s(d, 0.0);
        for (size_t i = b; i < e; ++i) {
            const double w = data.weight(i);
            const float* p = data.point(i);
            for (int j = 0; j < d; ++j) {
                const double t = p[j] - mean[j];
                s[j] += w * t * t;
            }
        }
        std::copy(s.begin(), s.end(), part.begin() + g * stride);
    });
    double result = 0.0;
    for (int j = 0; j < d; ++j) {
        double var = 0.0;
        for (size_t g = 0; g < groups; ++g) {
            var += part[g * stride + j];
        }
        result += var / total;
    }
    return result / d;
}

/// Whether the next pass sums every cluster itself (Accumulators::full): the first pass, plain
/// Lloyd without bounds (the reference the tests compare against), and after a pass with too many
/// changes to record (the next is likely to have as many).
bool full_sums_next(bool first, const Bounds& bounds, const Accumulators& acc)
{
    return first || !bounds.enabled || !acc.complete;
}

/// Brings sums up to date with labels after an assignment pass: from the pass's own sums when it
/// summed every cluster, else from the changed points alone when it recorded them all, else
/// rebuilt from every label. All three give the same integers.
void update_sums(const Data& data, const std::vector<uint16_t>& labels, int k,
                 const Accumulators& acc, ThreadPool& pool, ClusterSums& sums)
{
    if (acc.full) {
        sums.merge(acc.sums_units, k, data.d);
    } else if (acc.complete) {
        sums.apply(data, labels, acc);
    } else {
        sums.rebuild(data, labels, k, pool);
    }
}

/// Runs Lloyd from centroids (k * d) and fills result's run fields (centroids, labels, weights,
/// inertia, iterations, converged, cancelled, history_centroids, rounds). seeded: k-means++'s
/// assignment of every point (see SeedAssignment), used by the first pass and then released;
/// nullptr or empty when there is none.
void run_lloyd(const Data& data, std::vector<float> centroids, int k, int max_iter, double tol_abs,
               const KMeansParams& params, SeedAssignment* seeded, ThreadPool& pool,
               Progress* progress, float progress_base, float progress_span, KMeansResult& r)
{
    const int d = data.d;
    const size_t kd = static_cast<size_t>(k) * d;
    r.labels.assign(data.n, kNoLabel);
    r.rounds.clear();
    r.inertia = 0.0;
    r.converged = false;
    r.cancelled = false;
    Accumulators acc;
    Bounds bounds;
    bounds.enabled = params.bounds;
    bounds.wide = params.max_lanes >= 8;
    bounds.grid = params.bounds && params.grid && k >= kGridMinK && d >= 3;
    std::vector<float> before(kd);
    r.history_centroids = centroids;
    ClusterSums sums;
    int it = 0;
    for (; it < max_iter; ++it) {
        const Clock::time_point t0 = Clock::now();
        const bool use_seeded = it == 0 && seeded && !seeded->nearest.empty();
        acc.full = full_sums_next(it == 0, bounds, acc);
        acc.exact_inertia = false;
        if (!assign_pass(data, centroids, k, pool, progress, use_seeded ? seeded : nullptr,
                         r.labels, bounds, acc)) {
            r.cancelled = true;
            return;
        }
        if (use_seeded) {
            *seeded = SeedAssignment{};
        }
        update_sums(data, r.labels, k, acc, pool, sums);
        Round round;
        // The pass settled most points without their distances: the round's inertia comes from
        // the clusters' moments, which the sums keep exactly (order-free, so the same bits with
        // bounds or without). It differs from a float sum per point in its last digits.
        round.inertia = sums.inertia(centroids);
        for (size_t g = 0; g < acc.changed.size(); ++g) {
            round.changed += acc.changed[g];
        }

        // Empty clusters take the points farthest from their centroids (scikit-learn's rule).
        // The points keep their labels (the next pass moves them), so the kept sums, which
        // follow the labels, stay as they are; this round's means come from a copy.
        std::vector<int> empty;
        for (int c = 0; c < k; ++c) {
            if (sums.is_empty(c)) {
                empty.push_back(c);
            }
        }
        ClusterSums relocated;
        if (!empty.empty()) {
            relocated = sums;
            // Each point's squared distance to the centroid it was just assigned to, the very
            // float operations of the pass (rare: the pass does not store them).
            std::vector<float> dist(data.n);
            pool.parallel_for(0, data.n, group_size(data.n), [&](size_t, size_t b, size_t e) {
                for (size_t i = b; i < e; ++i) {
                    dist[i] = squared_distance(
                        data.point(i), centroids.data() + static_cast<size_t>(r.labels[i]) * d, d);
                }
            });
            std::vector<size_t> order(data.n);
            std::iota(order.begin(), order.end(), size_t{0});
            auto farther = [&](size_t a, size_t b) {
                return dist[a] != dist[b] ? dist[a] > dist[b] : a < b;
            };
            const size_t m = std::min(empty.size(), data.n);
            std::partial_sort(order.begin(), order.begin() + m, order.end(), farther);
            for (size_t e = 0; e < m; ++e) {
                const size_t i = order[e];
                const int from = r.labels[i];
                if (relocated.weight(from) - data.weight(i) <= 0.0) {
                    continue; // would empty another cluster; leave it (only with duplicate points)
                }
                relocated.move(data, i, from, empty[e]);
            }
        }
        const ClusterSums& means = empty.empty() ? sums : relocated;

        before = centroids;
        double shift = 0.0;
        for (int c = 0; c < k; ++c) {
            for (int q = 0; q < d; ++q) {
                const size_t idx = static_cast<size_t>(c) * d + q;
                const float updated = means.is_empty(c) ? centroids[idx] : means.mean(c, q);
                const double t = static_cast<double>(updated) - centroids[idx];
                shift += t * t;
                centroids[idx] = updated;
            }
        }
        update_moves(before, centroids, k, d, bounds);
        r.lanes = acc.lanes;
        round.scanned = acc.scanned;
        round.seconds = seconds_since(t0);
        r.rounds.push_back(round);
        r.history_centroids.insert(r.history_centroids.end(), centroids.begin(), centroids.end());
        if (progress) {
            progress->round.store(it + 1, std::memory_order_relaxed);
            progress->fraction.store(
                progress_base + progress_span * static_cast<float>(it + 1) / max_iter,
                std::memory_order_relaxed);
        }
        if (round.changed == 0.0 || shift <= tol_abs) {
            r.converged = true;
            ++it;
            break;
        }
    }
    r.iterations = it;

    // Final assignment so that labels, weights and inertia agree with the returned centroids.
    acc.full = full_sums_next(false, bounds, acc);
    acc.exact_inertia = true;
    if (!assign_pass(data, centroids, k, pool, progress, nullptr, r.labels, bounds, acc)) {
        r.cancelled = true;
        return;
    }
    update_sums(data, r.labels, k, acc, pool, sums);
    r.weights.assign(k, 0.0);
    for (size_t g = 0; g < acc.inertia.size(); ++g) {
        r.inertia += acc.inertia[g];
    }
    for (int c = 0; c < k; ++c) {
        r.weights[c] = sums.weight(c);
    }
    r.centroids = std::move(centroids);
}

} // namespace
} // namespace detail

KMeansResult kmeans(const float* x, const double* w, size_t n, int d, const KMeansParams& params,
                    ThreadPool& pool, Progress* progress)
{
    using namespace detail;
    KMeansResult result;
    result.d = d;
    const Data data{x, w, n, d};
    const int k_asked = std::clamp(params.k, 1, kMaxK);
    if (n == 0 || d <= 0) {
        result.note = "no points to cluster";
        return result;
    }
    if (progress) {
        progress->fraction.store(0.0f);
        progress->round.store(0);
    }
    const double tol_abs = params.tol * mean_variance(data, pool);
    const int runs = std::max(1, params.n_init);
    Rng rng(params.seed);
    KMeansResult best;
    bool have_best = false;
    int k_used = k_asked;
    for (int run = 0; run < runs; ++run) {
        std::vector<float> centroids;
        SeedAssignment seeded; // filled by k-means++ with pruning
        int k = k_asked;
        switch (params.init) {
        case Init::kmeanspp:
            k = init_kmeanspp(data, k_asked, params, rng, pool, progress, centroids, seeded);
            break;
        case Init::random: k = init_random(data, k_asked, rng, pool, centroids); break;
        case Init::given:
        case Init::grid: // cluster() laid the lattice in given_centroids
            k = std::min(k_asked, static_cast<int>(params.given_centroids.size() / d));
            centroids.assign(params.given_centroids.begin(),
                             params.given_centroids.begin() + static_cast<size_t>(k) * d);
            break;
        }
        if (cancelled(progress)) {
            result.cancelled = true;
            return result;
        }
        if (k <= 0) {
            result.note = "no starting centroids";
            return result;
        }
        centroids.resize(static_cast<size_t>(k) * d);
        k_used = k;
        const float span = 1.0f / runs;
        KMeansResult r;
        run_lloyd(data, std::move(centroids), k, std::max(1, params.max_iter), tol_abs, params,
                  &seeded, pool, progress, span * run, span, r);
        if (r.cancelled) {
            result.cancelled = true;
            return result;
        }
        if (!have_best || r.inertia < best.inertia) {
            best = std::move(r);
            have_best = true;
        }
    }
    // The kept run's fields, and what holds for every run.
    best.k = k_used;
    best.d = result.d;
    if (k_used < k_asked) {
        best.note = "k reduced from " + std::to_string(k_asked) + " to " +
            std::to_string(k_used) + ": the image has only " + std::to_string(k_used) +
            " distinct " + (k_used == 1 ? "point" : "points");
    }
    if (progress) {
        progress->fraction.store(1.0f);
    }
    return best;
}

} // namespace core
