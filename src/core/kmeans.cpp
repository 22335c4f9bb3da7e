// Weighted k-means, as scikit-learn's KMeans(algorithm="lloyd") defines it, made reproducible.
//
// The algorithm. Initialisation is greedy k-means++ (Arthur & Vassilvitskii, with scikit-learn's
// 2 + floor(ln k) local trials per centre: each trial draws a point with probability proportional
// to weight * squared distance to the nearest centre so far, and the trial that lowers the total
// potential most wins), Forgy's random choice of k distinct points, or centroids the caller gives.
// Then Lloyd rounds: assign every point to its nearest centroid, move every centroid to the
// weighted mean of its points. A round that moves no point, or whose summed squared centroid shift
// is <= tol * (mean per-axis variance of the data), ends the run; a final assignment makes the
// labels agree with the returned centroids. An empty cluster takes the point farthest from its
// centroid (scikit-learn's rule), so k never silently shrinks.
//
// Memory layout. Points are flat floats, n * d, with an optional weight per point: colour-only
// clustering passes the distinct colours of an image weighted by their pixel counts, which gives
// exactly the Lloyd result of the full image at a fraction of the cost. Labels are uint16_t
// (k <= 4096). Centroids are k * d floats; sums are accumulated in double.
//
// Threading and reproducibility. Every pass over the points is split into at most kGroups
// contiguous groups whose boundaries depend only on n; a group is processed by one thread,
// sequentially, into its own partial sums, and partial sums are merged in group order. Distances
// are computed in float in a fixed order of operations (no FMA contraction, no -ffast-math), so
// the result is bit-identical on any thread count, natively and in wasm.
//
// Skipping work. Not yet: every round computes all n * k distances (see assign_nearest).
#include "kmeans.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>

#include "rng.h"

namespace core {
namespace {

constexpr size_t kGroups = 64;
constexpr size_t kMinGroupSize = 4096;
constexpr uint16_t kNoLabel = 0xFFFF;

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

struct Data {
    const float* x = nullptr;
    const double* w = nullptr;
    size_t n = 0;
    int d = 0;

    double weight(size_t i) const { return w ? w[i] : 1.0; }
    const float* point(size_t i) const { return x + i * static_cast<size_t>(d); }
};

/// Points per group: fixed by n alone, so group boundaries never depend on the thread count.
size_t group_size(size_t n)
{
    const size_t by_count = (n + kGroups - 1) / kGroups;
    return std::max(by_count, kMinGroupSize);
}

inline float squared_distance(const float* a, const float* b, int d)
{
    float s = 0.0f;
    for (int j = 0; j < d; ++j) {
        const float t = a[j] - b[j];
        s += t * t;
    }
    return s;
}

bool cancelled(const Progress* progress)
{
    return progress && progress->cancel.load(std::memory_order_relaxed);
}

/// Sum over groups (in group order) of fn(begin, end), each group's value computed sequentially.
template <class Fn>
double group_sum(const Data& data, ThreadPool& pool, Fn fn)
{
    const size_t gs = group_size(data.n);
    std::vector<double> partial(ThreadPool::chunk_count(0, data.n, gs), 0.0);
    pool.parallel_for(0, data.n, gs, [&](size_t g, size_t b, size_t e) { partial[g] = fn(b, e); });
    double s = 0.0;
    for (double v : partial) {
        s += v;
    }
    return s;
}

/// Mean over axes of the weighted per-axis variance (scikit-learn's tol is relative to it).
double mean_variance(const Data& data, ThreadPool& pool)
{
    const double total = group_sum(data, pool, [&](size_t b, size_t e) {
        double s = 0.0;
        for (size_t i = b; i < e; ++i) {
            s += data.weight(i);
        }
        return s;
    });
    if (total <= 0.0) {
        return 0.0;
    }
    double result = 0.0;
    for (int j = 0; j < data.d; ++j) {
        const double mean = group_sum(data, pool, [&](size_t b, size_t e) {
            double s = 0.0;
            for (size_t i = b; i < e; ++i) {
                s += data.weight(i) * data.point(i)[j];
            }
            return s;
        }) / total;
        const double var = group_sum(data, pool, [&](size_t b, size_t e) {
            double s = 0.0;
            for (size_t i = b; i < e; ++i) {
                const double t = data.point(i)[j] - mean;
                s += data.weight(i) * t * t;
            }
            return s;
        }) / total;
        result += var;
    }
    return result / data.d;
}

/// Index of the first point at which the running sum of value(i) exceeds target: sampling a point
/// with probability proportional to value. Group sums come first, so the scan is short.
template <class Value>
size_t sample_index(const Data& data, const std::vector<double>& group_sums, double target,
                    Value value)
{
    const size_t gs = group_size(data.n);
    double acc = 0.0;
    size_t g = 0;
    for (; g + 1 < group_sums.size(); ++g) {
        if (acc + group_sums[g] > target) {
            break;
        }
        acc += group_sums[g];
    }
    const size_t b = g * gs;
    const size_t e = std::min(data.n, b + gs);
    size_t last_positive = b;
    for (size_t i = b; i < e; ++i) {
        const double v = value(i);
        if (v > 0.0) {
            last_positive = i;
            acc += v;
            if (acc > target) {
                return i;
            }
        }
    }
    // Rounding left target just past the end: the last point with any mass.
    return last_positive;
}

template <class Value>
std::vector<double> group_sums_of(const Data& data, ThreadPool& pool, Value value)
{
    const size_t gs = group_size(data.n);
    std::vector<double> sums(ThreadPool::chunk_count(0, data.n, gs), 0.0);
    pool.parallel_for(0, data.n, gs, [&](size_t g, size_t b, size_t e) {
        double s = 0.0;
        for (size_t i = b; i < e; ++i) {
            s += value(i);
        }
        sums[g] = s;
    });
    return sums;
}

double total_of(const std::vector<double>& v)
{
    double s = 0.0;
    for (double x : v) {
        s += x;
    }
    return s;
}

/// Greedy k-means++. Returns the number of centres chosen: fewer than k only when every point
/// already coincides with a centre (the data has fewer distinct points than k).
int init_kmeanspp(const Data& data, int k, Rng& rng, ThreadPool& pool, Progress* progress,
                  std::vector<float>& centroids)
{
    const int d = data.d;
    centroids.assign(static_cast<size_t>(k) * d, 0.0f);
    const int trials = 2 + static_cast<int>(std::log(static_cast<double>(k)));

    const std::vector<double> weight_sums =
        group_sums_of(data, pool, [&](size_t i) { return data.weight(i); });
    const size_t first =
        sample_index(data, weight_sums, rng.uniform() * total_of(weight_sums),
                     [&](size_t i) { return data.weight(i); });
    std::copy_n(data.point(first), d, centroids.begin());

    std::vector<float> closest(data.n);
    pool.parallel_for(0, data.n, group_size(data.n), [&](size_t, size_t b, size_t e) {
        for (size_t i = b; i < e; ++i) {
            closest[i] = squared_distance(data.point(i), centroids.data(), d);
        }
    });
    auto mass = [&](size_t i) { return data.weight(i) * closest[i]; };
    std::vector<double> mass_sums = group_sums_of(data, pool, mass);
    double potential = total_of(mass_sums);

    const size_t gs = group_size(data.n);
    const size_t groups = ThreadPool::chunk_count(0, data.n, gs);
    std::vector<size_t> candidates(trials);
    std::vector<double> trial_partial(groups * trials);
    for (int c = 1; c < k; ++c) {
        if (cancelled(progress)) {
            return c;
        }
        if (progress) {
            progress->fraction.store(0.1f * c / k, std::memory_order_relaxed);
        }
        if (!(potential > 0.0)) {
            return c;
        }
        for (int t = 0; t < trials; ++t) {
            candidates[t] = sample_index(data, mass_sums, rng.uniform() * potential, mass);
        }
        // Potential after adding each candidate, all trials in one pass over the points.
        pool.parallel_for(0, data.n, gs, [&](size_t g, size_t b, size_t e) {
            for (int t = 0; t < trials; ++t) {
                const float* cand = data.point(candidates[t]);
                double s = 0.0;
                for (size_t i = b; i < e; ++i) {
                    const float dd = std::min(closest[i], squared_distance(data.point(i), cand, d));
                    s += data.weight(i) * dd;
                }
                trial_partial[g * trials + t] = s;
            }
        });
        int best = 0;
        double best_potential = std::numeric_limits<double>::infinity();
        for (int t = 0; t < trials; ++t) {
            double s = 0.0;
            for (size_t g = 0; g < groups; ++g) {
                s += trial_partial[g * trials + t];
            }
            if (s < best_potential) {
                best_potential = s;
                best = t;
            }
        }
        const float* chosen = data.point(candidates[best]);
        std::copy_n(chosen, d, centroids.begin() + static_cast<size_t>(c) * d);
        pool.parallel_for(0, data.n, gs, [&](size_t, size_t b, size_t e) {
            for (size_t i = b; i < e; ++i) {
                closest[i] = std::min(closest[i], squared_distance(data.point(i), chosen, d));
            }
        });
        mass_sums = group_sums_of(data, pool, mass);
        potential = total_of(mass_sums);
    }
    return k;
}

/// Forgy: k points drawn with probability proportional to weight (a uniformly drawn pixel),
/// all with distinct coordinates. Returns fewer than k when there are fewer distinct points.
int init_random(const Data& data, int k, Rng& rng, ThreadPool& pool, std::vector<float>& centroids)
{
    const int d = data.d;
    centroids.clear();
    const std::vector<double> weight_sums =
        group_sums_of(data, pool, [&](size_t i) { return data.weight(i); });
    const double total = total_of(weight_sums);
    int chosen = 0;
    auto is_new = [&](const float* p) {
        for (int c = 0; c < chosen; ++c) {
            if (std::equal(p, p + d, centroids.begin() + static_cast<size_t>(c) * d)) {
                return false;
            }
        }
        return true;
    };
    // Rejection sampling, bounded; then a deterministic sweep for whatever is still missing.
    for (int attempt = 0; chosen < k && attempt < 8 * k + 64; ++attempt) {
        const size_t i = sample_index(data, weight_sums, rng.uniform() * total,
                                      [&](size_t j) { return data.weight(j); });
        if (is_new(data.point(i))) {
            centroids.insert(centroids.end(), data.point(i), data.point(i) + d);
            ++chosen;
        }
    }
    for (size_t i = 0; chosen < k && i < data.n; ++i) {
        if (is_new(data.point(i))) {
            centroids.insert(centroids.end(), data.point(i), data.point(i) + d);
            ++chosen;
        }
    }
    return chosen;
}

struct Accumulators {
    std::vector<double> sums;    // groups * k * d
    std::vector<double> weights; // groups * k
    std::vector<double> inertia; // groups
    std::vector<double> changed; // groups
};

/// One assignment pass: labels and distances for every point against centroids, and per-group
/// sums for the update. Returns false when cancelled.
bool assign_pass(const Data& data, const std::vector<float>& centroids, int k, ThreadPool& pool,
                 Progress* progress, std::vector<uint16_t>& labels, std::vector<float>& dist,
                 Accumulators& acc)
{
    const int d = data.d;
    const size_t gs = group_size(data.n);
    const size_t groups = ThreadPool::chunk_count(0, data.n, gs);
    const size_t kd = static_cast<size_t>(k) * d;
    acc.sums.assign(groups * kd, 0.0);
    acc.weights.assign(groups * k, 0.0);
    acc.inertia.assign(groups, 0.0);
    acc.changed.assign(groups, 0.0);
    std::atomic<bool> stop{false};
    pool.parallel_for(0, data.n, gs, [&](size_t g, size_t b, size_t e) {
        constexpr size_t kBlock = 1024;
        std::vector<uint16_t> block_labels(kBlock);
        double* sums = acc.sums.data() + g * kd;
        double* weights = acc.weights.data() + g * k;
        double inertia = 0.0;
        double changed = 0.0;
        for (size_t bb = b; bb < e; bb += kBlock) {
            if (cancelled(progress)) {
                stop.store(true, std::memory_order_relaxed);
                return;
            }
            const size_t m = std::min(kBlock, e - bb);
            assign_nearest(data.point(bb), m, d, centroids.data(), k, block_labels.data(),
                           dist.data() + bb);
            for (size_t j = 0; j < m; ++j) {
                const size_t i = bb + j;
                const uint16_t l = block_labels[j];
                const double w = data.weight(i);
                if (labels[i] != l) {
                    changed += w;
                    labels[i] = l;
                }
                inertia += w * dist[i];
                weights[l] += w;
                const float* p = data.point(i);
                double* s = sums + static_cast<size_t>(l) * d;
                for (int q = 0; q < d; ++q) {
                    s[q] += w * p[q];
                }
            }
        }
        acc.inertia[g] = inertia;
        acc.changed[g] = changed;
    });
    return !stop.load();
}

struct RunResult {
    std::vector<float> centroids;
    std::vector<uint16_t> labels;
    std::vector<double> weights;
    std::vector<float> history;
    std::vector<Round> rounds;
    double inertia = 0.0;
    int iterations = 0;
    bool converged = false;
    bool cancelled = false;
};

RunResult run_lloyd(const Data& data, std::vector<float> centroids, int k, int max_iter,
                    double tol_abs, ThreadPool& pool, Progress* progress, float progress_base,
                    float progress_span)
{
    const int d = data.d;
    const size_t kd = static_cast<size_t>(k) * d;
    RunResult r;
    r.labels.assign(data.n, kNoLabel);
    std::vector<float> dist(data.n);
    Accumulators acc;
    r.history = centroids;
    std::vector<double> sums(kd);
    std::vector<double> weights(k);
    int it = 0;
    for (; it < max_iter; ++it) {
        const Clock::time_point t0 = Clock::now();
        if (!assign_pass(data, centroids, k, pool, progress, r.labels, dist, acc)) {
            r.cancelled = true;
            return r;
        }
        const size_t groups = acc.inertia.size();
        std::fill(sums.begin(), sums.end(), 0.0);
        std::fill(weights.begin(), weights.end(), 0.0);
        Round round;
        for (size_t g = 0; g < groups; ++g) {
            for (size_t q = 0; q < kd; ++q) {
                sums[q] += acc.sums[g * kd + q];
            }
            for (int c = 0; c < k; ++c) {
                weights[c] += acc.weights[g * k + c];
            }
            round.inertia += acc.inertia[g];
            round.changed += acc.changed[g];
        }

        // Empty clusters take the points farthest from their centroids (scikit-learn's rule).
        std::vector<int> empty;
        for (int c = 0; c < k; ++c) {
            if (weights[c] == 0.0) {
                empty.push_back(c);
            }
        }
        if (!empty.empty()) {
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
                const int to = empty[e];
                const double w = data.weight(i);
                if (weights[from] - w <= 0.0) {
                    continue; // would empty another cluster; leave it (only with duplicate points)
                }
                for (int q = 0; q < d; ++q) {
                    sums[static_cast<size_t>(from) * d + q] -= w * data.point(i)[q];
                    sums[static_cast<size_t>(to) * d + q] = w * data.point(i)[q];
                }
                weights[from] -= w;
                weights[to] = w;
            }
        }

        double shift = 0.0;
        for (int c = 0; c < k; ++c) {
            for (int q = 0; q < d; ++q) {
                const size_t idx = static_cast<size_t>(c) * d + q;
                const float updated = weights[c] > 0.0
                    ? static_cast<float>(sums[idx] / weights[c])
                    : centroids[idx];
                const double t = static_cast<double>(updated) - centroids[idx];
                shift += t * t;
                centroids[idx] = updated;
            }
        }
        round.seconds = seconds_since(t0);
        r.rounds.push_back(round);
        r.history.insert(r.history.end(), centroids.begin(), centroids.end());
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
    if (!assign_pass(data, centroids, k, pool, progress, r.labels, dist, acc)) {
        r.cancelled = true;
        return r;
    }
    r.weights.assign(k, 0.0);
    for (size_t g = 0; g < acc.inertia.size(); ++g) {
        r.inertia += acc.inertia[g];
        for (int c = 0; c < k; ++c) {
            r.weights[c] += acc.weights[g * k + c];
        }
    }
    r.centroids = std::move(centroids);
    return r;
}

template <int D>
void assign_fixed(const float* x, size_t n, const float* c, int k, uint16_t* labels, float* dist)
{
    for (size_t i = 0; i < n; ++i) {
        const float* p = x + i * D;
        float best = std::numeric_limits<float>::infinity();
        int best_c = 0;
        for (int j = 0; j < k; ++j) {
            const float* q = c + static_cast<size_t>(j) * D;
            float s = 0.0f;
            for (int a = 0; a < D; ++a) {
                const float t = p[a] - q[a];
                s += t * t;
            }
            if (s < best) {
                best = s;
                best_c = j;
            }
        }
        labels[i] = static_cast<uint16_t>(best_c);
        dist[i] = best;
    }
}

} // namespace

void assign_nearest_scalar(const float* x, size_t n, int d, const float* c, int k,
                           uint16_t* labels, float* dist)
{
    for (size_t i = 0; i < n; ++i) {
        const float* p = x + i * static_cast<size_t>(d);
        float best = std::numeric_limits<float>::infinity();
        int best_c = 0;
        for (int j = 0; j < k; ++j) {
            const float s = squared_distance(p, c + static_cast<size_t>(j) * d, d);
            if (s < best) {
                best = s;
                best_c = j;
            }
        }
        labels[i] = static_cast<uint16_t>(best_c);
        dist[i] = best;
    }
}

void assign_nearest(const float* x, size_t n, int d, const float* c, int k, uint16_t* labels,
                    float* dist)
{
    switch (d) {
    case 3: assign_fixed<3>(x, n, c, k, labels, dist); break;
    case 5: assign_fixed<5>(x, n, c, k, labels, dist); break;
    default: assign_nearest_scalar(x, n, d, c, k, labels, dist); break;
    }
}

KMeansResult kmeans(const float* x, const double* w, size_t n, int d, const KMeansParams& params,
                    ThreadPool& pool, Progress* progress)
{
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
    bool have_best = false;
    RunResult best;
    int k_used = k_asked;
    for (int run = 0; run < runs; ++run) {
        std::vector<float> centroids;
        int k = k_asked;
        switch (params.init) {
        case Init::kmeanspp: k = init_kmeanspp(data, k_asked, rng, pool, progress, centroids); break;
        case Init::random: k = init_random(data, k_asked, rng, pool, centroids); break;
        case Init::given:
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
        RunResult r = run_lloyd(data, std::move(centroids), k, std::max(1, params.max_iter),
                                tol_abs, pool, progress, span * run, span);
        if (r.cancelled) {
            result.cancelled = true;
            return result;
        }
        if (!have_best || r.inertia < best.inertia) {
            best = std::move(r);
            have_best = true;
        }
    }
    result.k = k_used;
    if (k_used < k_asked) {
        result.note = "k reduced from " + std::to_string(k_asked) + " to " +
            std::to_string(k_used) + ": the image has only " + std::to_string(k_used) +
            " distinct " + (k_used == 1 ? "point" : "points");
    }
    result.centroids = std::move(best.centroids);
    result.labels = std::move(best.labels);
    result.weights = std::move(best.weights);
    result.inertia = best.inertia;
    result.iterations = best.iterations;
    result.converged = best.converged;
    result.history_centroids = std::move(best.history);
    result.rounds = std::move(best.rounds);
    if (progress) {
        progress->fraction.store(1.0f);
    }
    return result;
}

} // namespace core
