// Seeding: greedy k-means++ (with its exact triangle-inequality pruning and the first Lloyd
// assignment it hands on) and Forgy's random choice of k distinct points.
//
// k-means++ follows Arthur & Vassilvitskii with scikit-learn's 2 + floor(ln k) local trials per
// centre: each trial draws a point with probability proportional to weight * squared distance to
// the nearest centre so far, and the trial that lowers the total potential most wins. It makes one
// pass over the points per centre, its trials side by side in vector lanes (TrialKernel): the
// same additions in the same order as the plain loops, so it changes no bit. The pruned pass
// reads no features in a run of 32 consecutive points whose bounding box neither a trial nor the
// centre chosen last can bring below the run's largest closest (RunTiles: some 40 % of the
// points' passes on the 4 MP photo with position at k = 16); there every trial adds closest, the
// same additions. In the runs it reads, with 8 lanes (AVX2) it computes every trial and the
// pending centre at once, without a branch per point (trial_pass_avx2); with 4 it skips, per
// point, the trial distances the triangle inequality proves no nearer than the point's nearest
// centre (SeedPrune, with a margin far above float rounding). min(closest, distance) is closest
// either way, so the potentials keep every bit. Those pruned passes keep every point's nearest
// chosen centre, which with the last centre folded in is the first Lloyd assignment
// (SeedAssignment): the first pass scans no point, and its labels are the scan's (lowest index on
// ties). From k = kExactSeedMinK on, the passes after the first centre are kmeans_seed_exact.cpp's
// (exact integer potentials, summed only over the tiles a trial can reach).
#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "kmeans_internal.h"
#include "kmeans_seed_exact.h"
#include "kmeans_seed_runs.h"
#include "kmeans_simd.h"

namespace core::detail {
namespace {

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
    return first_past(b, std::min(data.n, b + gs), acc, target, value);
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
    RunTiles* runs = nullptr;           ///< the runs' boxes; nullptr: no pruning
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
    std::vector<const float*> points_of; // trials: the candidates' coordinates
    /// The pruned pass on 8 lanes (trial_pass_avx2): d * 8 floats, the pending centre in lane 7.
    bool wide = false;
    std::vector<float> wide_q;

    /// pending: the centre not yet folded in (nullptr: none).
    void build(const Data& data, const std::vector<size_t>& candidates, const float* pending)
    {
        if (wide) {
            wide_q.assign(static_cast<size_t>(data.d) * 8, 0.0f);
            for (int a = 0; a < data.d; ++a) {
                for (int l = 0; l < 7; ++l) {
                    const size_t t = l < static_cast<int>(candidates.size()) ? l : 0;
                    wide_q[a * 8 + l] = data.point(candidates[t])[a];
                }
                wide_q[a * 8 + 7] = pending ? pending[a] : std::numeric_limits<float>::infinity();
            }
        }
        trials = static_cast<int>(candidates.size());
        points_of.resize(candidates.size());
        for (int t = 0; t < trials; ++t) {
            points_of[t] = data.point(candidates[t]);
        }
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

    /// Group g, points [b, e): folds pending (when not nullptr) into closest, then sums as above.
    void pass(const Data& data, const float* pending, const SeedPrune& prune, float* closest,
              size_t g, size_t b, size_t e, double* sums) const
    {
#if KPIX_AVX2
        if (wide && prune.runs) {
            std::vector<uint8_t> reached;
            std::vector<uint8_t> one;
            runs_reached(*prune.runs, g, pending, points_of, reached, one);
            auto run = [&](auto d_tag, auto w_tag, auto two_tag) {
                trial_pass_avx2<decltype(d_tag)::value, decltype(w_tag)::value,
                                decltype(two_tag)::value>(
                    data, wide_q.data(), trials, prune.pending_index, reached.data(), *prune.runs,
                    g, b, e, closest, prune.nearest, sums);
            };
            using std::integral_constant;
            using T = std::true_type;
            using F = std::false_type;
            const bool two = trials > 4;
            if (d == 5) {
                using D5 = integral_constant<int, 5>;
                data.w ? (two ? run(D5{}, T{}, T{}) : run(D5{}, T{}, F{}))
                       : (two ? run(D5{}, F{}, T{}) : run(D5{}, F{}, F{}));
            } else if (d == 3) {
                using D3 = integral_constant<int, 3>;
                data.w ? (two ? run(D3{}, T{}, T{}) : run(D3{}, T{}, F{}))
                       : (two ? run(D3{}, F{}, T{}) : run(D3{}, F{}, F{}));
            } else {
                using D0 = integral_constant<int, 0>;
                data.w ? (two ? run(D0{}, T{}, T{}) : run(D0{}, T{}, F{}))
                       : (two ? run(D0{}, F{}, T{}) : run(D0{}, F{}, F{}));
            }
            return;
        }
#endif
        if (data.w) {
            pass_w<true>(data, pending, prune, closest, g, b, e, sums);
        } else {
            pass_w<false>(data, pending, prune, closest, g, b, e, sums);
        }
    }

    template <bool Weighted>
    void pass_w(const Data& data, const float* pending, const SeedPrune& prune,
                float* closest, size_t g, size_t b, size_t e, double* sums) const
    {
        switch (d == 5 ? blocks : 0) {
        case 1: pass_d<5, 1, Weighted>(data, pending, prune, closest, g, b, e, sums); break;
        case 2: pass_d<5, 2, Weighted>(data, pending, prune, closest, g, b, e, sums); break;
        case 3: pass_d<5, 3, Weighted>(data, pending, prune, closest, g, b, e, sums); break;
        default:
            switch (d == 3 ? blocks : 0) {
            case 1: pass_d<3, 1, Weighted>(data, pending, prune, closest, g, b, e, sums); break;
            case 2: pass_d<3, 2, Weighted>(data, pending, prune, closest, g, b, e, sums); break;
            default: pass_d<0, 0, Weighted>(data, pending, prune, closest, g, b, e, sums); break;
            }
        }
    }

    /// D the dimension and B the blocks (0: known at run time only). With both fixed, the
    /// trials' running sums live in registers. Without weights (all 1) the multiplications by
    /// the weight, exact, are left out. A distance SeedPrune proves no smaller than closest is
    /// not computed: min(closest, distance) is closest either way.
    template <int D, int B, bool Weighted>
    void pass_d(const Data& data, const float* pending, const SeedPrune& prune,
                float* closest, size_t g, size_t b, size_t e, double* sums) const
    {
        VecD acc[2 * kMaxBlocks] = {};
        if (!prune.runs) {
            points<D, B, Weighted>(data, pending, prune, closest, b, e, acc);
        } else {
            RunTiles& runs = *prune.runs;
            const size_t first = g * runs.per_group;
            const size_t count = (e - b + RunTiles::kRun - 1) / RunTiles::kRun;
            std::vector<uint8_t> reached;
            std::vector<uint8_t> one;
            runs_reached(runs, g, pending, points_of, reached, one);
            for (size_t r = 0; r < count; ++r) {
                const size_t rb = b + r * RunTiles::kRun;
                const size_t re = std::min(e, rb + RunTiles::kRun);
                if (!reached[r]) {
                    for (size_t i = rb; i < re; ++i) {
                        add_to_all<Weighted>(data, i, closest[i], B > 0 ? B : blocks, acc);
                    }
                    continue;
                }
                points<D, B, Weighted>(data, pending, prune, closest, rb, re, acc);
                runs.boxes.tile_max[first + r] = *std::max_element(closest + rb, closest + re);
            }
        }
        for (int t = 0; t < trials; ++t) {
            sums[t] = acc[t / 2][t % 2];
        }
    }

    /// The trial pass over points [b, e), the running sums in acc.
    template <int D, int B, bool Weighted>
    void points(const Data& data, const float* pending, const SeedPrune& prune, float* closest,
                size_t b, size_t e, VecD* acc) const
    {
        const int dim = D > 0 ? D : d;
        const int nb = B > 0 ? B : blocks;
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
                add_to_all<Weighted>(data, i, cl, nb, acc);
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
                add_to<Weighted>(data, i, lo, hi, acc + 2 * bl);
            }
        }
    }

    /// Point i's part of one block's two running sums (lanes 0-1 in lo, 2-3 in hi): times its
    /// weight when Weighted (all 1 otherwise, and the exact multiplication is left out).
    template <bool Weighted>
    static void add_to(const Data& data, size_t i, VecD lo, VecD hi, VecD* block_acc)
    {
        if constexpr (Weighted) {
            const double w = data.w[i];
            block_acc[0] += w * lo;
            block_acc[1] += w * hi;
        } else {
            block_acc[0] += lo;
            block_acc[1] += hi;
        }
    }

    /// Point i's part of every trial's sum when every trial leaves it at closest: add_to with
    /// closest in every lane of all nb blocks.
    template <bool Weighted>
    static void add_to_all(const Data& data, size_t i, float closest, int nb, VecD* acc)
    {
        const VecD same = VecD{} + static_cast<double>(closest);
        for (int bl = 0; bl < nb; ++bl) {
            add_to<Weighted>(data, i, same, same, acc + 2 * bl);
        }
    }
};

} // namespace

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
/// From k = kExactSeedMinK on, every centre after the first is init_kmeanspp_exact's.
int init_kmeanspp(const Data& data, int k, const KMeansParams& params, Rng& rng, ThreadPool& pool,
                  Progress* progress, std::vector<float>& centroids, SeedAssignment& seeded)
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
    if (k >= kExactSeedMinK) {
        return init_kmeanspp_exact(data, k, trials, params.seed_pruning, rng, pool, progress,
                                   centroids, seeded);
    }

    std::vector<float> closest(data.n);
    const size_t gs = group_size(data.n);
    const size_t groups = ThreadPool::chunk_count(0, data.n, gs);
    std::vector<double> mass_sums(groups, 0.0);
    const bool pruned = params.seed_pruning;
    RunTiles runs;
    if (pruned) {
        runs.init(data, groups);
    }
    pool.parallel_for(0, data.n, gs, [&](size_t g, size_t b, size_t e) {
        double s = 0.0;
        for (size_t i = b; i < e; ++i) {
            closest[i] = squared_distance(data.point(i), centroids.data(), d);
            s += data.weight(i) * closest[i];
        }
        mass_sums[g] = s;
        if (pruned) {
            runs.set_group(data, closest.data(), g, b, e);
        }
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
    // Lanes 0-6 for the trials (at most 6 below kExactSeedMinK), lane 7 for the pending centre.
    kernel.wide = pruned && kernel_lanes(params.max_lanes) == 8 && trials <= 7;
    // Every point's nearest centre starts as centre 0.
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
        prune.runs = &runs;
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
        kernel.build(data, candidates, pending);
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
            kernel.pass(data, pending, prune, closest.data(), g, b, e,
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

} // namespace core::detail
