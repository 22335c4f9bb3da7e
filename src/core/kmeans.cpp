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
// Skipping work. Hamerly's bounds: for every point a lower bound on its distance to every centroid
// but its own, lowered each round by the largest move of another centroid, and for every
// centroid half the distance to its nearest other. A point whose distance to its own centroid
// (computed exactly each round: d operations instead of k * d) is below either bound keeps its
// label without the scan over all k centroids. The bounds carry a relative slack of 1e-5, far above
// float rounding, so a point is skipped only when its label is strictly the nearest in float too:
// labels, distances and sums are bit-identical to plain Lloyd's, ties included (lowest index).
// Round::scanned counts the points that still needed the full scan. That scan compares a point
// with kLanes centroids at once (a vector kernel, see CentroidBlocks; 8 lanes with AVX2 where
// the CPU has it, chosen at run time), lane by lane the same float operations as the scalar
// assign_nearest_scalar, so it changes no result either. k-means++ makes one pass over the points
// per centre, its trials side by side in vector lanes (TrialKernel), and the assignment pass keeps
// a run of same-cluster points' sums in registers (assign_range): both are the same additions in
// the same order as the plain loops, so they too change no bit. k-means++ also skips, per point,
// the trial distances the triangle inequality proves no nearer than the point's nearest centre
// (SeedPrune, with a margin far above float rounding): min(closest, distance) is closest either
// way, so the potentials keep every bit. Those pruned passes keep every point's nearest chosen centre,
// which with the last centre folded in is the first Lloyd assignment (SeedAssignment): the first
// pass scans no point, and its labels are the scan's (lowest index on ties).
#include "kmeans.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>

#include "rng.h"

// The 8-lane AVX2 kernel: natively on x86-64 with GCC or clang, chosen at run time (wasm32 is
// not x86-64, so the wasm build never sees it).
#if defined(__x86_64__) && defined(__GNUC__)
#define KPIX_AVX2 1
#else
#define KPIX_AVX2 0
#endif

namespace core {
namespace {

constexpr size_t kGroups = 64;
constexpr size_t kMinGroupSize = 4096;
constexpr uint16_t kNoLabel = 0xFFFF;

std::atomic<bool> g_allow_seed_prune{true};

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

// The vector kernel. Centroids are transposed into blocks of kLanes (block-major, then axis,
// then lane; missing centroids of the last block at +inf), and one point is compared against a
// whole block at once: each lane does exactly the scalar operations of its centroid, in the same
// order (t = p - c; s = t * t; s += t * t ...), so the distances are bit-identical. GCC/clang vector
// extensions compile to SSE natively and to
// simd128 in the wasm build, with no intrinsics and no platform checks.
constexpr int kLanes = 4;
using VecF = float __attribute__((vector_size(4 * kLanes)));
using VecI = int32_t __attribute__((vector_size(4 * kLanes)));
using VecD = double __attribute__((vector_size(16)));

/// Lane-wise minimum and maximum: a < b ? a : b, which is what x86's min instructions do, so
/// compilers emit one instruction (exact: a minimum rounds nothing).
template <class V>
inline V lane_min(V a, V b)
{
    return a < b ? a : b;
}

template <class V>
inline V lane_max(V a, V b)
{
    return a < b ? b : a;
}

inline VecF blend(VecI mask, VecF yes, VecF no)
{
    return reinterpret_cast<VecF>((mask & reinterpret_cast<VecI>(yes)) |
                                  (~mask & reinterpret_cast<VecI>(no)));
}

/// Exact pruning of the k-means++ trial pass by the triangle inequality. With c the chosen
/// centre nearest to a point x (closest = |x - c|^2), a centre or candidate t with
/// |c - t| >= 2 |x - c| is no nearer than c: |x - t| >= |c - t| - |x - c| >= |x - c|, so
/// min(closest, |x - t|^2) is closest and the distance need not be computed. Per chosen centre
/// the limits hold the largest closest for which that holds for every trial (trial_limit) and
/// for the centre chosen last (pending_limit): a quarter of the squared centre-to-candidate
/// distance, less a relative margin of 2^-10, far above the float rounding of any of the
/// distances (a few 2^-24 relative), so the float distance the skipped code would have computed
/// is >= closest too and the sums keep every bit. Limits below 2^-100 are 0 (where absolute
/// rounding of tiny squares could matter): only points at distance 0, whose min is 0, skip then.
struct SeedPrune {
    uint16_t* nearest = nullptr;        ///< n: index of each point's nearest chosen centre; nullptr: no pruning
    const float* trial_limit = nullptr; ///< per chosen centre
    const float* pending_limit = nullptr;
    uint16_t pending_index = 0;
};

/// The largest squared point-to-centre distance for which a centre at squared distance
/// centre_gap2 from the point's nearest centre cannot be nearer (see SeedPrune).
inline float prune_limit(double centre_gap2)
{
    const double v = centre_gap2 * 0.25 * (1.0 - 0x1p-10);
    if (!(v >= 0x1p-100)) {
        return 0.0f;
    }
    // Round down: float(v) may be above v by 2^-24 relative.
    return static_cast<float>(v * (1.0 - 0x1p-20));
}

inline double squared_gap(const float* a, const float* b, int d)
{
    double s = 0.0;
    for (int q = 0; q < d; ++q) {
        const double t = static_cast<double>(a[q]) - b[q];
        s += t * t;
    }
    return s;
}

/// The k-means++ trial pass with the vector kernel: the trials' candidates in the lanes of
/// blocks (as CentroidBlocks; lanes past the last trial repeat the first candidate and are not
/// read), a point against all of them at once, each lane the scalar squared_distance's
/// operations. Per trial, sums[t] += weight * min(closest, distance) over the points in order:
/// bit for bit what a scalar loop over the trials gives.
struct TrialKernel {
    static constexpr int kMaxBlocks = 4;
    int trials = 0;
    int d = 0;
    int blocks = 0;
    std::vector<VecF> c; // blocks * d

    void build(const Data& data, const std::vector<size_t>& candidates)
    {
        trials = static_cast<int>(candidates.size());
        d = data.d;
        blocks = (trials + kLanes - 1) / kLanes;
        c.assign(static_cast<size_t>(blocks) * d, VecF{});
        for (int b = 0; b < blocks; ++b) {
            for (int a = 0; a < d; ++a) {
                for (int l = 0; l < kLanes; ++l) {
                    const int t = b * kLanes + l;
                    c[static_cast<size_t>(b) * d + a][l] = data.point(candidates[t < trials ? t : 0])[a];
                }
            }
        }
    }

    /// Points [b, e): folds pending (when not nullptr) into closest, then sums as above.
    void pass(const Data& data, const float* pending, const SeedPrune& prune, float* closest,
              size_t b, size_t e, double* sums) const
    {
        if (data.w) {
            pass_w<true>(data, pending, prune, closest, b, e, sums);
        } else {
            pass_w<false>(data, pending, prune, closest, b, e, sums);
        }
    }

    template <bool Weighted>
    void pass_w(const Data& data, const float* pending, const SeedPrune& prune, float* closest,
                size_t b, size_t e, double* sums) const
    {
        switch (d == 5 ? blocks : 0) {
        case 1: pass_d<5, 1, Weighted>(data, pending, prune, closest, b, e, sums); break;
        case 2: pass_d<5, 2, Weighted>(data, pending, prune, closest, b, e, sums); break;
        default:
            switch (d == 3 ? blocks : 0) {
            case 1: pass_d<3, 1, Weighted>(data, pending, prune, closest, b, e, sums); break;
            case 2: pass_d<3, 2, Weighted>(data, pending, prune, closest, b, e, sums); break;
            default: pass_d<0, 0, Weighted>(data, pending, prune, closest, b, e, sums); break;
            }
        }
    }

    /// D the dimension and B the blocks (0: known at run time only). With both fixed, the
    /// trials' running sums live in registers. Without weights (all 1) the multiplications by
    /// the weight, exact, are left out. A distance SeedPrune proves no smaller than closest is
    /// not computed: min(closest, distance) is closest either way.
    template <int D, int B, bool Weighted>
    void pass_d(const Data& data, const float* pending, const SeedPrune& prune, float* closest,
                size_t b, size_t e, double* sums) const
    {
        const int dim = D > 0 ? D : d;
        const int nb = B > 0 ? B : blocks;
        VecD acc[2 * kMaxBlocks] = {};
        for (size_t i = b; i < e; ++i) {
            const float* p = data.point(i);
            float cl = closest[i];
            uint16_t near = prune.nearest ? prune.nearest[i] : uint16_t{0};
            if (pending && !(prune.nearest && cl <= prune.pending_limit[near])) {
                const float dp = squared_distance(p, pending, dim);
                if (dp < cl) {
                    cl = dp;
                    closest[i] = cl;
                    if (prune.nearest) {
                        near = prune.pending_index;
                        prune.nearest[i] = near;
                    }
                }
            }
            if (prune.nearest && cl <= prune.trial_limit[near]) {
                const VecD same = VecD{} + static_cast<double>(cl);
                for (int bl = 0; bl < nb; ++bl) {
                    if constexpr (Weighted) {
                        const double w = data.w[i];
                        acc[2 * bl] += w * same;
                        acc[2 * bl + 1] += w * same;
                    } else {
                        acc[2 * bl] += same;
                        acc[2 * bl + 1] += same;
                    }
                }
                continue;
            }
            const VecF vcl = VecF{} + cl;
            const VecF* q = c.data();
            for (int bl = 0; bl < nb; ++bl, q += dim) {
                VecF t = p[0] - q[0];
                VecF s = t * t;
                for (int a = 1; a < dim; ++a) {
                    t = p[a] - q[a];
                    s += t * t;
                }
                const VecF dd = blend(s < vcl, s, vcl);
                const VecD lo = __builtin_convertvector(__builtin_shufflevector(dd, dd, 0, 1), VecD);
                const VecD hi = __builtin_convertvector(__builtin_shufflevector(dd, dd, 2, 3), VecD);
                if constexpr (Weighted) {
                    const double w = data.w[i];
                    acc[2 * bl] += w * lo;
                    acc[2 * bl + 1] += w * hi;
                } else {
                    acc[2 * bl] += lo;
                    acc[2 * bl + 1] += hi;
                }
            }
        }
        for (int t = 0; t < trials; ++t) {
            sums[t] = acc[t / 2][t % 2];
        }
    }
};

/// What k-means++ with pruning knows at its end: every point's nearest centre among all but
/// the last one chosen, and its squared distance to it (the float operations of the kernels,
/// lowest index on ties). Folding the last centre in gives the first Lloyd assignment without a
/// scan over every centroid.
struct SeedAssignment {
    std::vector<uint16_t> nearest; // n; empty: not known
    std::vector<float> closest;    // n
    int last = -1;                 // the centre not folded in; -1: none
};

/// Greedy k-means++. Returns the number of centres chosen: fewer than k only when every point
/// already coincides with a centre (the data has fewer distinct points than k).
///
/// One pass over the points per centre. The pass for centre c first folds centre c - 1 into each
/// point's distance to its nearest centre (closest), then computes the potential each of the
/// trials would leave, the trials side by side in the lanes of a vector (TrialKernel). The pass
/// that chose centre c - 1 already summed, per group, exactly the masses weight * closest that
/// centre leaves (the winning trial's partial sums, the same operations in the same order), so
/// those are the group sums for sampling, and the few points of the group a draw lands in fold the
/// pending centre in on the fly. The same numbers as three separate passes, a third of the reads.
int init_kmeanspp(const Data& data, int k, Rng& rng, ThreadPool& pool, Progress* progress,
                  std::vector<float>& centroids, SeedAssignment& seeded)
{
    seeded.nearest.clear();
    seeded.closest.clear();
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
    const size_t gs = group_size(data.n);
    const size_t groups = ThreadPool::chunk_count(0, data.n, gs);
    std::vector<double> mass_sums(groups, 0.0);
    pool.parallel_for(0, data.n, gs, [&](size_t g, size_t b, size_t e) {
        double s = 0.0;
        for (size_t i = b; i < e; ++i) {
            closest[i] = squared_distance(data.point(i), centroids.data(), d);
            s += data.weight(i) * closest[i];
        }
        mass_sums[g] = s;
    });
    double potential = total_of(mass_sums);

    // The centre chosen last, not yet folded into closest (nullptr: none).
    const float* pending = nullptr;
    auto mass = [&](size_t i) {
        const float c = pending ? std::min(closest[i], squared_distance(data.point(i), pending, d))
                                : closest[i];
        return data.weight(i) * c;
    };
    std::vector<size_t> candidates(trials);
    std::vector<double> trial_partial(groups * trials);
    TrialKernel kernel;
    // Every point's nearest centre starts as centre 0.
    const bool pruned = g_allow_seed_prune.load(std::memory_order_relaxed);
    std::vector<uint16_t> nearest(pruned ? data.n : 0, uint16_t{0});
    std::vector<float> trial_limit(pruned ? k : 0, 0.0f);
    std::vector<float> pending_limit(pruned ? k : 0, 0.0f);
    SeedPrune prune;
    // Hands the pruning's nearest centres on to the first Lloyd pass.
    auto finish = [&](int chosen) {
        if (pruned) {
            seeded.nearest = std::move(nearest);
            seeded.closest = std::move(closest);
            seeded.last = pending ? chosen - 1 : -1;
        }
        return chosen;
    };
    if (pruned) {
        prune.nearest = nearest.data();
        prune.trial_limit = trial_limit.data();
        prune.pending_limit = pending_limit.data();
    }
    for (int c = 1; c < k; ++c) {
        if (cancelled(progress)) {
            return c;
        }
        if (progress) {
            progress->fraction.store(0.1f * c / k, std::memory_order_relaxed);
        }
        if (!(potential > 0.0)) {
            return finish(c);
        }
        for (int t = 0; t < trials; ++t) {
            candidates[t] = sample_index(data, mass_sums, rng.uniform() * potential, mass);
        }
        kernel.build(data, candidates);
        if (pruned) {
            // Centres 0 .. c - 1 are chosen; c - 1 is the pending one.
            for (int j = 0; j < c; ++j) {
                const float* cj = centroids.data() + static_cast<size_t>(j) * d;
                float lim = std::numeric_limits<float>::infinity();
                for (int t = 0; t < trials; ++t) {
                    lim = std::min(lim, prune_limit(squared_gap(cj, data.point(candidates[t]), d)));
                }
                trial_limit[j] = lim;
                pending_limit[j] = pending ? prune_limit(squared_gap(cj, pending, d)) : 0.0f;
            }
            prune.pending_index = static_cast<uint16_t>(c - 1);
        }
        // Potential after adding each candidate, all trials in one pass over the points; each
        // trial's sum still runs over the points in order.
        pool.parallel_for(0, data.n, gs, [&](size_t g, size_t b, size_t e) {
            kernel.pass(data, pending, prune, closest.data(), b, e,
                        trial_partial.data() + g * trials);
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
        pending = centroids.data() + static_cast<size_t>(c) * d;
        for (size_t g = 0; g < groups; ++g) {
            mass_sums[g] = trial_partial[g * trials + best];
        }
        potential = total_of(mass_sums);
    }
    return finish(k);
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
    size_t scanned = 0;          // points that needed the full scan over all centroids
};

/// Relative slack on every bound: far above the float rounding of a squared distance
/// ((d + 3) * 2^-24 relative, all terms being positive), so a skipped point is one whose
/// nearest centroid is strictly nearer, in float, than every other: its Lloyd label.
constexpr double kSlack = 1e-5;
constexpr double kSlackSquared = (1.0 + kSlack) * (1.0 + kSlack);

/// Hamerly's bounds (Hamerly 2010, "Making k-means even faster"), kept in distance units (not
/// squared). The upper bound is not stored: the distance to the point's own centroid is computed
/// exactly every pass (d operations), which keeps inertia and the empty-cluster rule
/// bit-identical to plain Lloyd.
struct Bounds {
    /// Use the bounds at all (KMeansParams::bounds).
    bool enabled = true;
    /// labels and lower hold the last pass's values.
    bool valid = false;
    /// n: lower bound on the distance from each point to every centroid but its own.
    std::vector<float> lower;
    /// k: half the distance from each centroid to its nearest other, deflated by kSlack.
    std::vector<double> half_gap;
    /// Largest and second largest centroid move of the last update, inflated by kSlack, and
    /// the centroid that moved most: a point's lower bound drops by the largest move of the
    /// other centroids.
    double move_max = 0.0;
    double move_second = 0.0;
    int move_argmax = -1;
};

/// The largest float not above v: lower bounds stay lower bounds however many rounds they are
/// carried.
inline float float_below(double v)
{
    // Rounding to float moves v by at most |v| * 2^-24; step down by |v| * 2^-22 first.
    return static_cast<float>(v - std::fabs(v) * 0x1p-22);
}

inline double distance_between(const float* a, const float* b, int d)
{
    double s = 0.0;
    for (int q = 0; q < d; ++q) {
        const double t = static_cast<double>(a[q]) - b[q];
        s += t * t;
    }
    return std::sqrt(s);
}

void update_half_gaps(const std::vector<float>& centroids, int k, int d, Bounds& bounds)
{
    bounds.half_gap.assign(k, std::numeric_limits<double>::infinity());
    for (int a = 0; a < k; ++a) {
        for (int b = a + 1; b < k; ++b) {
            const double g = 0.5 * (1.0 - kSlack) *
                distance_between(centroids.data() + static_cast<size_t>(a) * d,
                                 centroids.data() + static_cast<size_t>(b) * d, d);
            bounds.half_gap[a] = std::min(bounds.half_gap[a], g);
            bounds.half_gap[b] = std::min(bounds.half_gap[b], g);
        }
    }
}

void update_moves(const std::vector<float>& before, const std::vector<float>& after, int k, int d,
                  Bounds& bounds)
{
    bounds.move_max = 0.0;
    bounds.move_second = 0.0;
    bounds.move_argmax = -1;
    for (int c = 0; c < k; ++c) {
        const double m = (1.0 + kSlack) *
            distance_between(before.data() + static_cast<size_t>(c) * d,
                             after.data() + static_cast<size_t>(c) * d, d);
        if (m > bounds.move_max) {
            bounds.move_second = bounds.move_max;
            bounds.move_max = m;
            bounds.move_argmax = c;
        } else if (m > bounds.move_second) {
            bounds.move_second = m;
        }
    }
}

/// Nearest and second nearest centroid of one point, D the dimension (0: d at run time). Same
/// operations, in the same order, as assign_nearest_scalar, and the same tie rule (lowest index).
template <int D>
inline void nearest_two(const float* p, int d_runtime, const float* c, int k, int& best_c,
                        float& best, float& second)
{
    const int d = D > 0 ? D : d_runtime;
    best = std::numeric_limits<float>::infinity();
    second = std::numeric_limits<float>::infinity();
    best_c = 0;
    for (int j = 0; j < k; ++j) {
        const float* q = c + static_cast<size_t>(j) * d;
        float s = 0.0f;
        for (int a = 0; a < d; ++a) {
            const float t = p[a] - q[a];
            s += t * t;
        }
        if (s < best) {
            second = best;
            best = s;
            best_c = j;
        } else if (s < second) {
            second = s;
        }
    }
}

/// Centroids transposed into blocks of L lanes (block-major, then axis, then lane; missing
/// centroids of the last block at +inf), as flat floats.
template <int L>
void transpose_blocks(const float* c, int k, int d, std::vector<float>& out)
{
    const int blocks = (k + L - 1) / L;
    out.assign(static_cast<size_t>(blocks) * d * L, 0.0f);
    for (int b = 0; b < blocks; ++b) {
        for (int a = 0; a < d; ++a) {
            for (int l = 0; l < L; ++l) {
                const int j = b * L + l;
                out[(static_cast<size_t>(b) * d + a) * L + l] =
                    j < k ? c[static_cast<size_t>(j) * d + a] : std::numeric_limits<float>::infinity();
            }
        }
    }
}

#if KPIX_AVX2
// The 8-lane twin of nearest_two_vec for x86 CPUs with AVX2, chosen at run time. Each lane still
// does its centroid's scalar operations in the scalar order (AVX2 has no FMA, and
// -ffp-contract=off keeps it so), and the reduction over lanes gives the same nearest (lowest
// index on ties) and the same second-smallest distance as 4 lanes or none: both are properties
// of the multiset of distances, not of how it is split into lanes.
using VecF8 = float __attribute__((vector_size(32), aligned(4)));
using VecI8 = int32_t __attribute__((vector_size(32)));

// lane_min and lane_max for 8 lanes, and the horizontal minimum (exact: a minimum rounds
// nothing).
template <class V>
__attribute__((target("avx2"), always_inline)) inline V min8(V a, V b)
{
    return a < b ? a : b;
}

template <class V>
__attribute__((target("avx2"), always_inline)) inline V max8(V a, V b)
{
    return a < b ? b : a;
}

template <class V>
__attribute__((target("avx2"), always_inline)) inline V hmin8(V v)
{
    v = min8(v, __builtin_shufflevector(v, v, 4, 5, 6, 7, 0, 1, 2, 3));
    v = min8(v, __builtin_shufflevector(v, v, 2, 3, 0, 1, 6, 7, 4, 5));
    return min8(v, __builtin_shufflevector(v, v, 1, 0, 3, 2, 5, 4, 7, 6));
}

template <int D>
__attribute__((target("avx2"), noinline)) void nearest_two_avx2(const float* p, const float* cb,
                                                               int blocks, int d_runtime,
                                                               int& best_c, float& best,
                                                               float& second)
{
    const int d = D > 0 ? D : d_runtime;
    const float inf = std::numeric_limits<float>::infinity();
    VecF8 vbest = VecF8{} + inf;
    VecF8 vsecond = VecF8{} + inf;
    VecI8 vindex = VecI8{};
    const VecI8 lane = {0, 1, 2, 3, 4, 5, 6, 7};
    const VecF8* c = reinterpret_cast<const VecF8*>(cb);
    for (int b = 0; b < blocks; ++b, c += d) {
        VecF8 t = p[0] - c[0];
        VecF8 s = t * t;
        for (int a = 1; a < d; ++a) {
            t = p[a] - c[a];
            s += t * t;
        }
        // Nearer: s takes best's place and best is displaced to second; else s may be second.
        const VecI8 nearer = s < vbest;
        vsecond = min8(max8(s, vbest), vsecond);
        vbest = min8(s, vbest);
        vindex = (nearer & (lane + b * 8)) | (~nearer & vindex);
    }
    // Folding the lanes in halves, pairs, neighbours: each lane's smallest and second smallest
    // of the two lanes it meets (min of the firsts; min of the larger first and both seconds),
    // then the lowest index among the lanes holding the smallest.
    VecF8 first = vbest;
    auto fold = [&](VecF8 f2, VecF8 s2) __attribute__((target("avx2"), always_inline)) {
        const VecF8 larger = max8(first, f2);
        first = min8(first, f2);
        vsecond = min8(larger, min8(vsecond, s2));
    };
    fold(__builtin_shufflevector(first, first, 4, 5, 6, 7, 0, 1, 2, 3),
         __builtin_shufflevector(vsecond, vsecond, 4, 5, 6, 7, 0, 1, 2, 3));
    fold(__builtin_shufflevector(first, first, 2, 3, 0, 1, 6, 7, 4, 5),
         __builtin_shufflevector(vsecond, vsecond, 2, 3, 0, 1, 6, 7, 4, 5));
    fold(__builtin_shufflevector(first, first, 1, 0, 3, 2, 5, 4, 7, 6),
         __builtin_shufflevector(vsecond, vsecond, 1, 0, 3, 2, 5, 4, 7, 6));
    const VecI8 candidates = vbest == first ? vindex : VecI8{} + 0x7FFFFFFF;
    best = first[0];
    second = vsecond[0];
    best_c = hmin8(candidates)[0];
}

bool cpu_has_avx2()
{
    static const bool has = __builtin_cpu_supports("avx2");
    return has;
}
#endif

std::atomic<bool> g_allow_wide{true};

bool use_wide_kernel()
{
#if KPIX_AVX2
    return g_allow_wide.load(std::memory_order_relaxed) && cpu_has_avx2();
#else
    return false;
#endif
}

/// The centroids laid out for the vector kernels: 4-lane blocks always, 8-lane blocks when
/// the wide kernel is in use.
struct CentroidBlocks {
    int k = 0;
    int d = 0;
    int blocks = 0;
    std::vector<VecF> data; // blocks * d
    bool wide = false;
    int wide_blocks = 0;
    std::vector<float> wide_data; // wide_blocks * d * 8

    void build(const float* c, int k_, int d_)
    {
        k = k_;
        d = d_;
        blocks = (k + kLanes - 1) / kLanes;
        std::vector<float> flat;
        transpose_blocks<kLanes>(c, k, d, flat);
        data.assign(static_cast<size_t>(blocks) * d, VecF{});
        for (size_t v = 0; v < data.size(); ++v) {
            for (int l = 0; l < kLanes; ++l) {
                data[v][l] = flat[v * kLanes + l];
            }
        }
        wide = use_wide_kernel();
        if (wide) {
            wide_blocks = (k + 7) / 8;
            transpose_blocks<8>(c, k, d, wide_data);
        }
    }
};

// Horizontal minimum of 4 lanes (exact: a minimum rounds nothing).
template <class V>
inline V hmin4(V v)
{
    v = lane_min(v, __builtin_shufflevector(v, v, 2, 3, 0, 1));
    return lane_min(v, __builtin_shufflevector(v, v, 1, 0, 3, 2));
}

/// nearest_two with the vector kernel: the same best centroid and distance (lowest index on
/// ties) and the same second-smallest distance.
template <int D>
inline void nearest_two_vec(const float* p, const CentroidBlocks& cb, int& best_c, float& best,
                            float& second)
{
    const int d = D > 0 ? D : cb.d;
    const float inf = std::numeric_limits<float>::infinity();
    VecF vbest = VecF{} + inf;
    VecF vsecond = VecF{} + inf;
    VecI vindex = VecI{};
    VecI lane = VecI{};
    for (int l = 0; l < kLanes; ++l) {
        lane[l] = l;
    }
    const VecF* c = cb.data.data();
    for (int b = 0; b < cb.blocks; ++b, c += d) {
        VecF t = p[0] - c[0];
        VecF s = t * t;
        for (int a = 1; a < d; ++a) {
            t = p[a] - c[a];
            s += t * t;
        }
        // Nearer: s takes best's place and best is displaced to second; else s may be second.
        const VecI nearer = s < vbest;
        vsecond = lane_min(lane_max(s, vbest), vsecond);
        vbest = lane_min(s, vbest);
        vindex = (nearer & (lane + b * kLanes)) | (~nearer & vindex);
    }
    // As in nearest_two_avx2: fold the lanes keeping each lane's smallest and second smallest,
    // then the lowest index among the lanes holding the smallest.
    VecF first = vbest;
    auto fold = [&](VecF f2, VecF s2) {
        const VecF larger = lane_max(first, f2);
        first = lane_min(first, f2);
        vsecond = lane_min(larger, lane_min(vsecond, s2));
    };
    fold(__builtin_shufflevector(first, first, 2, 3, 0, 1),
         __builtin_shufflevector(vsecond, vsecond, 2, 3, 0, 1));
    fold(__builtin_shufflevector(first, first, 1, 0, 3, 2),
         __builtin_shufflevector(vsecond, vsecond, 1, 0, 3, 2));
    const VecI candidates = vbest == first ? vindex : VecI{} + 0x7FFFFFFF;
    best = first[0];
    second = vsecond[0];
    best_c = hmin4(candidates)[0];
}

/// nearest_two_vec, or its 8-lane twin when the blocks were built for it: the same results.
template <int D>
inline void nearest_two_any(const float* p, const CentroidBlocks& cb, int& best_c, float& best,
                            float& second)
{
#if KPIX_AVX2
    if (cb.wide) {
        nearest_two_avx2<D>(p, cb.wide_data.data(), cb.wide_blocks, cb.d, best_c, best, second);
        return;
    }
#endif
    nearest_two_vec<D>(p, cb, best_c, best, second);
}

/// What one group of points adds to the update: its own slices of Accumulators.
struct GroupSums {
    double* sums = nullptr;    // k * d
    double* weights = nullptr; // k
    double inertia = 0.0;
    double changed = 0.0;
    size_t scanned = 0;
};

/// The assignment of points [b, e) (D the dimension, 0: d at run time; Weighted: data.w is
/// set, else every weight is 1 and the multiplications by it, exact, are left out). Per point, in
/// point order: the label, the lower bound, and its weight and weight * point added to its
/// cluster's sums. While consecutive points share a cluster (most do: neighbouring pixels) its
/// running sums stay in registers: the same additions in the same order as adding to memory.
template <int D, bool Weighted>
void assign_range(const Data& data, const float* c, const CentroidBlocks& blocks,
                  const Bounds& bounds, bool use_bounds, const SeedAssignment* seeded, size_t b,
                  size_t e, uint16_t* labels, float* lower, GroupSums& out)
{
    const int d = D > 0 ? D : data.d;
    constexpr int kRun = D > 0 ? D : 1;
    const float* x = data.x;
    const double* w = data.w;
    const double* half_gap = bounds.half_gap.data();
    const double move_max = bounds.move_max;
    const double move_second = bounds.move_second;
    const int move_argmax = bounds.move_argmax;
    // Running totals carried across calls: one sum per group, in point order.
    double inertia = out.inertia;
    double changed = out.changed;
    size_t full = 0;
    int run = -1;         // cluster whose sums are held in run_sums (D > 0 only)
    double run_sums[kRun] = {};
    double run_weight = 0.0;
    auto flush = [&]() {
        if (run >= 0) {
            for (int q = 0; q < kRun; ++q) {
                out.sums[static_cast<size_t>(run) * kRun + q] = run_sums[q];
            }
            out.weights[run] = run_weight;
        }
    };
    for (size_t i = b; i < e; ++i) {
        const float* p = x + i * static_cast<size_t>(d);
        int l = labels[i];
        float best = 0.0f;
        bool known = false;
        if (seeded) {
            // The first pass after k-means++: its nearest centre, and the last one chosen.
            int nearest = seeded->nearest[i];
            best = seeded->closest[i];
            if (seeded->last >= 0) {
                const float dl = squared_distance(p, c + static_cast<size_t>(seeded->last) * d, d);
                if (dl < best) {
                    best = dl;
                    nearest = seeded->last;
                }
            }
            // No second nearest is known: the next pass has only the half gaps to go by.
            lower[i] = 0.0f;
            changed += Weighted ? w[i] : 1.0;
            labels[i] = static_cast<uint16_t>(nearest);
            l = nearest;
            known = true;
        } else if (use_bounds) {
            const float* own = c + static_cast<size_t>(l) * d;
            for (int a = 0; a < d; ++a) {
                const float t = p[a] - own[a];
                best += t * t;
            }
            const double low =
                static_cast<double>(lower[i]) - (l == move_argmax ? move_second : move_max);
            // (1 + kSlack) * sqrt(best) < bound, squared: no square root on the common path.
            const double bound = std::max(low, half_gap[l]);
            if (bound > 0.0 && kSlackSquared * static_cast<double>(best) < bound * bound) {
                known = true;
                lower[i] = float_below(low);
            }
        }
        if (!known) {
            int nearest = 0;
            float second = 0.0f;
            nearest_two_any<D>(p, blocks, nearest, best, second);
            lower[i] = float_below((1.0 - kSlack) * std::sqrt(static_cast<double>(second)));
            ++full;
            if (l != nearest) {
                changed += Weighted ? w[i] : 1.0;
                labels[i] = static_cast<uint16_t>(nearest);
            }
            l = nearest;
        }
        if constexpr (D > 0) {
            if (l != run) {
                flush();
                run = l;
                for (int q = 0; q < D; ++q) {
                    run_sums[q] = out.sums[static_cast<size_t>(l) * D + q];
                }
                run_weight = out.weights[l];
            }
            if constexpr (Weighted) {
                const double wi = w[i];
                inertia += wi * best;
                run_weight += wi;
                for (int q = 0; q < D; ++q) {
                    run_sums[q] += wi * p[q];
                }
            } else {
                inertia += best;
                run_weight += 1.0;
                for (int q = 0; q < D; ++q) {
                    run_sums[q] += p[q];
                }
            }
        } else {
            const double wi = Weighted ? w[i] : 1.0;
            inertia += wi * best;
            out.weights[l] += wi;
            double* s = out.sums + static_cast<size_t>(l) * d;
            for (int q = 0; q < d; ++q) {
                s[q] += wi * p[q];
            }
        }
    }
    flush();
    out.inertia = inertia;
    out.changed = changed;
    out.scanned += full;
}

/// One assignment pass: labels and distances for every point against centroids, and per-group
/// sums for the update. Points whose bounds prove their label unchanged skip the scan over all
/// centroids. Returns false when cancelled.
template <int D>
bool assign_pass_d(const Data& data, const std::vector<float>& centroids, int k, ThreadPool& pool,
                   Progress* progress, const SeedAssignment* seeded, std::vector<uint16_t>& labels,
                   Bounds& bounds, Accumulators& acc)
{
    const int d = D > 0 ? D : data.d;
    const size_t gs = group_size(data.n);
    const size_t groups = ThreadPool::chunk_count(0, data.n, gs);
    const size_t kd = static_cast<size_t>(k) * d;
    acc.sums.assign(groups * kd, 0.0);
    acc.weights.assign(groups * k, 0.0);
    acc.inertia.assign(groups, 0.0);
    acc.changed.assign(groups, 0.0);
    std::vector<size_t> scanned(groups, 0);
    bounds.lower.resize(data.n);
    update_half_gaps(centroids, k, d, bounds);
    const bool use_bounds = bounds.enabled && bounds.valid;
    const float* c = centroids.data();
    CentroidBlocks blocks;
    blocks.build(c, k, d);
    std::atomic<bool> stop{false};
    pool.parallel_for(0, data.n, gs, [&](size_t g, size_t b, size_t e) {
        constexpr size_t kBlock = 4096;
        GroupSums out;
        out.sums = acc.sums.data() + g * kd;
        out.weights = acc.weights.data() + g * k;
        for (size_t bb = b; bb < e; bb += kBlock) {
            if (cancelled(progress)) {
                stop.store(true, std::memory_order_relaxed);
                return;
            }
            const size_t be = std::min(e, bb + kBlock);
            if (data.w) {
                assign_range<D, true>(data, c, blocks, bounds, use_bounds, seeded, bb, be,
                                      labels.data(), bounds.lower.data(), out);
            } else {
                assign_range<D, false>(data, c, blocks, bounds, use_bounds, seeded, bb, be,
                                       labels.data(), bounds.lower.data(), out);
            }
        }
        acc.inertia[g] = out.inertia;
        acc.changed[g] = out.changed;
        scanned[g] = out.scanned;
    });
    acc.scanned = 0;
    for (size_t v : scanned) {
        acc.scanned += v;
    }
    bounds.valid = !stop.load();
    return bounds.valid;
}

/// seeded: k-means++'s assignment for the first pass (nullptr: none, or not the first pass).
bool assign_pass(const Data& data, const std::vector<float>& centroids, int k, ThreadPool& pool,
                 Progress* progress, const SeedAssignment* seeded, std::vector<uint16_t>& labels,
                 Bounds& bounds, Accumulators& acc)
{
    switch (data.d) {
    case 3: return assign_pass_d<3>(data, centroids, k, pool, progress, seeded, labels, bounds, acc);
    case 5: return assign_pass_d<5>(data, centroids, k, pool, progress, seeded, labels, bounds, acc);
    default: return assign_pass_d<0>(data, centroids, k, pool, progress, seeded, labels, bounds, acc);
    }
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

/// seeded: k-means++'s assignment of every point (see SeedAssignment), used by the first pass
/// and then released; nullptr or empty when there is none.
RunResult run_lloyd(const Data& data, std::vector<float> centroids, int k, int max_iter,
                    double tol_abs, bool use_bounds, SeedAssignment* seeded, ThreadPool& pool,
                    Progress* progress, float progress_base, float progress_span)
{
    const int d = data.d;
    const size_t kd = static_cast<size_t>(k) * d;
    RunResult r;
    r.labels.assign(data.n, kNoLabel);
    Accumulators acc;
    Bounds bounds;
    bounds.enabled = use_bounds;
    std::vector<float> before(kd);
    r.history = centroids;
    std::vector<double> sums(kd);
    std::vector<double> weights(k);
    int it = 0;
    for (; it < max_iter; ++it) {
        const Clock::time_point t0 = Clock::now();
        const bool use_seeded = it == 0 && seeded && !seeded->nearest.empty();
        if (!assign_pass(data, centroids, k, pool, progress, use_seeded ? seeded : nullptr,
                         r.labels, bounds, acc)) {
            r.cancelled = true;
            return r;
        }
        if (use_seeded) {
            *seeded = SeedAssignment{};
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

        before = centroids;
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
        update_moves(before, centroids, k, d, bounds);
        round.scanned = acc.scanned;
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
    if (!assign_pass(data, centroids, k, pool, progress, nullptr, r.labels, bounds, acc)) {
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
void assign_fixed(const float* x, size_t n, int d, const float* c, int k, uint16_t* labels,
                  float* dist)
{
    CentroidBlocks blocks;
    blocks.build(c, k, d);
    for (size_t i = 0; i < n; ++i) {
        int best_c = 0;
        float second = 0.0f;
        nearest_two_any<D>(x + i * static_cast<size_t>(d), blocks, best_c, dist[i], second);
        labels[i] = static_cast<uint16_t>(best_c);
    }
}

} // namespace

void allow_wide_kernel(bool allow)
{
    g_allow_wide.store(allow, std::memory_order_relaxed);
}

void allow_seeding_pruning(bool allow)
{
    g_allow_seed_prune.store(allow, std::memory_order_relaxed);
}

int kernel_lanes()
{
    return use_wide_kernel() ? 8 : kLanes;
}

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
    case 3: assign_fixed<3>(x, n, d, c, k, labels, dist); break;
    case 5: assign_fixed<5>(x, n, d, c, k, labels, dist); break;
    default: assign_fixed<0>(x, n, d, c, k, labels, dist); break;
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
        SeedAssignment seeded; // filled by k-means++ with pruning
        int k = k_asked;
        switch (params.init) {
        case Init::kmeanspp:
            k = init_kmeanspp(data, k_asked, rng, pool, progress, centroids, seeded);
            break;
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
                                tol_abs, params.bounds, &seeded, pool, progress, span * run, span);
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
