// What the k-means files share and nobody else sees: the points, the fixed grouping of every
// pass, the state the seeding hands to the first Lloyd pass, the bounds, and the one function
// each of kmeans_seeding.cpp, kmeans_assign.cpp and kmeans.cpp offers the others.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "exact_sum.h"
#include "kmeans.h"
#include "rng.h"

namespace core::detail {

/// Threading and reproducibility: every pass over the points is split into at most kGroups
/// contiguous groups whose boundaries depend only on n; a group is processed by one thread,
/// sequentially, into its own partial sums, and partial sums are merged in group order. Distances
/// are computed in float in a fixed order of operations (no FMA contraction, no -ffast-math), so
/// the result is bit-identical on any thread count, natively and in wasm.
constexpr size_t kGroups = 64;
constexpr size_t kMinGroupSize = 4096;
constexpr uint16_t kNoLabel = 0xFFFF;

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// The points: n * d floats and optional weights (nullptr: all 1).
struct Data {
    const float* x = nullptr;
    const double* w = nullptr;
    size_t n = 0;
    int d = 0;

    double weight(size_t i) const { return w ? w[i] : 1.0; }
    const float* point(size_t i) const { return x + i * static_cast<size_t>(d); }
};

/// Points per group: fixed by n alone, so group boundaries never depend on the thread count.
inline size_t group_size(size_t n)
{
    const size_t by_count = (n + kGroups - 1) / kGroups;
    return std::max(by_count, kMinGroupSize);
}

/// The squared distance every kernel reproduces lane by lane: t = p - c; s = t * t; s += t * t...
inline float squared_distance(const float* a, const float* b, int d)
{
    float s = 0.0f;
    for (int j = 0; j < d; ++j) {
        const float t = a[j] - b[j];
        s += t * t;
    }
    return s;
}

/// The squared distance in double, for bounds and pruning limits (not for labels).
inline double squared_gap(const float* a, const float* b, int d)
{
    double s = 0.0;
    for (int q = 0; q < d; ++q) {
        const double t = static_cast<double>(a[q]) - b[q];
        s += t * t;
    }
    return s;
}

/// The draws' walk: the first point i in [b, e) at which acc plus the values of b..i (value(i),
/// points without any left out) passes target; past the end (rounding), the last point in [b, e)
/// with any value (b when none has). Acc: double for the ordered sums of small k, __int128 for
/// the exact units of kmeans_seed_exact.cpp.
template <class Acc, class Value>
size_t first_past(size_t b, size_t e, Acc acc, Acc target, Value value)
{
    size_t last_positive = b;
    for (size_t i = b; i < e; ++i) {
        const auto v = value(i);
        if (v > 0) {
            last_positive = i;
            acc += v;
            if (acc > target) {
                return i;
            }
        }
    }
    return last_positive;
}

inline double total_of(const std::vector<double>& v)
{
    double s = 0.0;
    for (double x : v) {
        s += x;
    }
    return s;
}

/// What k-means++ with pruning knows at its end: every point's nearest centre among all but
/// the last one chosen, and its squared distance to it (the float operations of the kernels,
/// lowest index on ties). Folding the last centre in gives the first Lloyd assignment without a
/// scan over every centroid.
struct SeedAssignment {
    std::vector<uint16_t> nearest; // n; empty: not known
    std::vector<float> closest;    // n
    int last = -1;                 // the centre not folded in; -1: none
};

/// Greedy k-means++ (kmeans_seeding.cpp). Returns the number of centres chosen: fewer than k only
/// when every point already coincides with a centre. With params.seed_pruning, seeded receives
/// every point's nearest centre for the first Lloyd pass.
int init_kmeanspp(const Data& data, int k, const KMeansParams& params, Rng& rng, ThreadPool& pool,
                  Progress* progress, std::vector<float>& centroids, SeedAssignment& seeded);

/// Forgy (kmeans_seeding.cpp): k distinct points drawn with probability proportional to weight.
int init_random(const Data& data, int k, Rng& rng, ThreadPool& pool, std::vector<float>& centroids);

/// A point whose label an assignment pass changed, and its label before (kNoLabel: none).
struct Change {
    size_t point = 0;
    uint16_t from = kNoLabel;
};

/// Per-group results of one assignment pass, merged in group order by the caller.
struct Accumulators {
    /// Asked by the caller before the pass: every point's distance to its centroid, computed in
    /// float as plain Lloyd does, summed into inertia (the final pass: KMeansResult::inertia);
    /// the pass stores no bounds. Otherwise a point the bounds settle is not read at all and
    /// inertia stays 0 (the rounds' inertia comes from ClusterSums::inertia).
    bool exact_inertia = false;
    std::vector<double> inertia;              // groups
    std::vector<double> changed;              // groups
    std::vector<std::vector<Change>> changes; // groups: the points whose label changed
    /// At most a quarter of each group's points changed, and (unless full) all are in changes.
    bool complete = false;
    /// Asked by the caller before the pass: every cluster's sums, summed by the pass itself
    /// while each block of points is in cache (sums_units: groups * k * sum_stride(d)).
    bool full = false;
    std::vector<__int128> sums_units;
    size_t scanned = 0;          // points that needed the full scan over all centroids
    int lanes = 0;               // lanes of the kernel the scans ran on (8 or 4)
};

/// Cluster sums are counted in units of 2^-kSumFraction (ExactSum): colours are integers and
/// kpix's position features multiples of 2^-28 at xy = 1 (features.cpp), so their sums are
/// exact; other terms are rounded once, which still leaves every total independent of order.
constexpr int kSumFraction = 40;
using Sum = ExactSum<kSumFraction>;

/// Every cluster's weighted squared norm, sum of w * |x|^2 (for the round's inertia), counted in
/// coarser units of 2^-kSquareFraction: a term of kpix's features (|x|^2 below 2^19) stays below
/// 2^51 units up to a weight of 2^8, the fast path of add_points. Rounding each term by at most
/// 2^-25 is far below what a float distance loses.
constexpr int kSquareFraction = 24;
using SquareSum = ExactSum<kSquareFraction>;

/// The term SquareSum adds for a point of weight w: w * |p|^2, in double, axis by axis in order
/// (each product of two floats exact): every path gives the same bits.
inline double square_term(const float* p, int d, double w)
{
    double s = 0.0;
    for (int q = 0; q < d; ++q) {
        s += static_cast<double>(p[q]) * p[q];
    }
    return w * s;
}

/// Units per cluster in add_points' layout: the weight, the d weighted coordinates (Sum units),
/// then the weighted squared norm (SquareSum units).
inline size_t sum_stride(int d)
{
    return static_cast<size_t>(d) + 2;
}

/// Adds points [b, e) to their clusters' sums, out: k * sum_stride(d) units (kmeans_sums.cpp).
void add_points(const Data& data, const uint16_t* labels, size_t b, size_t e, __int128* out);

/// Every cluster's weight, weighted feature sums and weighted squared norm, exact and order-free
/// (kmeans_sums.cpp). The Lloyd loop keeps them up to date from the points whose label changed
/// (subtract from the old cluster, add to the new); a cluster none of whose points changed keeps
/// its sums, so its mean keeps its bits. Rebuilding from the labels gives the same totals bit for
/// bit.
class ClusterSums {
public:
    /// Sets every sum from the labels (every point labelled).
    void rebuild(const Data& data, const std::vector<uint16_t>& labels, int k, ThreadPool& pool);
    /// Sets every sum from per-group sums (groups * k * sum_stride(d) units, add_points' layout).
    void merge(const std::vector<__int128>& part, int k, int d);
    /// Moves the changed points (acc.changes, acc.complete) from their old cluster to their new.
    void apply(const Data& data, const std::vector<uint16_t>& labels, const Accumulators& acc);
    /// Moves point i of weight w from cluster from to cluster to (the empty-cluster rule).
    void move(const Data& data, size_t i, int from, int to);

    bool is_empty(int c) const { return units_[static_cast<size_t>(c) * sum_stride(d_)] == 0; }
    double weight(int c) const
    {
        return Sum::value_of(units_[static_cast<size_t>(c) * sum_stride(d_)]);
    }
    /// Cluster c's mean, coordinate q: sum / weight, rounded to float (c not empty).
    float mean(int c, int q) const
    {
        const __int128* s = units_.data() + static_cast<size_t>(c) * sum_stride(d_);
        return static_cast<float>(Sum::value_of(s[1 + q]) / Sum::value_of(s[0]));
    }
    /// The weighted squared distances of every point to its cluster's centroid in centroids
    /// (k * d), from the moments: per cluster S2 - c . (2 S1 - W c), in double, summed in
    /// cluster order. Depends only on the labels and centroids, not on how the sums were kept.
    double inertia(const std::vector<float>& centroids) const;
    /// The same integers in every sum.
    bool operator==(const ClusterSums& other) const
    {
        return d_ == other.d_ && units_ == other.units_;
    }

private:
    int d_ = 0;
    /// k * sum_stride(d), add_points' layout: per cluster the weight and the d weighted sums
    /// (Sum units), then the weighted squared norm (SquareSum units).
    std::vector<__int128> units_;
};

/// Relative slack on every bound: far above the float rounding of a squared distance
/// ((d + 3) * 2^-24 relative, all terms being positive), so a skipped point is one whose
/// nearest centroid is strictly nearer, in float, than every other: its Lloyd label.
constexpr double kSlack = 1e-5;
constexpr double kSlackSquared = (1.0 + kSlack) * (1.0 + kSlack);

/// Hamerly's bounds (Hamerly 2010, "Making k-means even faster"), kept in distance units (not
/// squared). A point whose upper bound is below its lower bound (or its centroid's half gap)
/// keeps its label without reading its features; otherwise the distance to its own centroid is
/// computed exactly (the float operations of plain Lloyd) and tested again. 4 + 4 bytes a point.
struct Bounds {
    /// Use the bounds at all (KMeansParams::bounds).
    bool enabled = true;
    /// The vector kernel may use 8 lanes (KMeansParams::max_lanes).
    bool wide = true;
    /// labels, lower and upper hold the last pass's values.
    bool valid = false;
    /// The upper bounds alone settled at least half the points in the last pass: the next one
    /// sweeps for the points they settle before looking at the rest (kmeans_assign.cpp). Below
    /// that (the first rounds) each point's own distance is computed at once, as most need it.
    bool sweep = false;
    /// n: lower bound on the distance from each point to every centroid but its own, plus
    /// drift_lower[its label] at the time it was stored: less drift_lower[label] now, it has
    /// dropped by every move since, and a point the bounds settle needs no store.
    std::vector<float> lower;
    /// n: upper bound on the distance from each point to its own centroid (in float, as the
    /// passes compute it: (1 + kSlack) times its square root when it was last computed), less
    /// drift_upper[its label] at the time: plus drift_upper[label] now, it has risen by every
    /// move of that centroid since.
    std::vector<float> upper;
    /// k: the sums over all updates of how far a point's lower bound drops (the largest move of
    /// another centroid) and of the centroid's own move, per label. Stored bounds are rounded
    /// outwards to float, so they stay bounds.
    std::vector<double> drift_lower;
    std::vector<double> drift_upper;
    /// k: half the distance from each centroid to its nearest other, deflated by kSlack.
    std::vector<double> half_gap;
    /// Largest and second largest centroid move of the last update, inflated by kSlack, and
    /// the centroid that moved most: a point's lower bound drops by the largest move of the
    /// other centroids.
    double move_max = 0.0;
    double move_second = 0.0;
    int move_argmax = -1;
    /// k: every centroid's move in the last update, inflated by kSlack (for the grid's local
    /// bound); empty before the first update.
    std::vector<double> moves;
    /// Search nearby centroids on a grid (KMeansParams::grid, large k): of the last two axes
    /// with position, of all three for colour alone.
    bool grid = false;
    /// The points' extent on the grid's axes (min, max per axis: 4 or 6 values), once box_valid.
    double box[6] = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
    bool box_valid = false;
    /// Runs on the grid (PositionGrid or ColourGrid, built on box every pass): a second lower
    /// bound that drops only by the moves near the point (kmeans_assign.cpp). The grid's
    /// geometry stays the same while every centroid lies in box (means of points do), so a
    /// point's cell does too. n: the point's cell, found when its first local bound was stored.
    std::vector<uint16_t> cell;
    /// n: lower bound on the distance from the point to every centroid but its own, at most
    /// local_reach, plus local_drift[its cell] at the time it was stored.
    std::vector<float> local;
    /// cells: per cell, the sum over all updates of the largest move in the window of
    /// kLocalRings rings around it (CentroidGrid::window_move).
    std::vector<double> local_drift;
    /// The smallest reach of that window from any point of its centre cell: kLocalRings * s
    /// less the grid's margin.
    double local_reach = 0.0;
    /// The geometry cell, local and local_drift refer to (the grid's origin, cell side and cells
    /// per axis; unused entries 0); another geometry starts them over.
    double local_geometry[7] = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
};

/// Records how far every centroid moved from before to after (k * d each) in bounds.
void update_moves(const std::vector<float>& before, const std::vector<float>& after, int k, int d,
                  Bounds& bounds);

/// One assignment pass (kmeans_assign.cpp): labels for every point against centroids, and
/// per-group sums for the update; points whose bounds prove their label unchanged skip the scan
/// over all centroids. seeded: k-means++'s assignment for the first pass (nullptr: none).
/// Returns false when cancelled.
bool assign_pass(const Data& data, const std::vector<float>& centroids, int k, ThreadPool& pool,
                 Progress* progress, const SeedAssignment* seeded, std::vector<uint16_t>& labels,
                 Bounds& bounds, Accumulators& acc);

} // namespace core::detail
