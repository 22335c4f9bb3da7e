// The assignment pass: every point's nearest centroid and the points whose label changed (the
// update moves only those in the exact cluster sums, ClusterSums), in the final pass also the
// per-group inertia, skipping the scan over all centroids where Hamerly's bounds prove the label
// unchanged.
//
// Hamerly's bounds: for every point a lower bound on its distance to every centroid but its own,
// lowered each round by the largest move of another centroid, an upper bound on its distance to
// its own, raised by that centroid's move, and for every centroid half the distance to its nearest
// other. Both point bounds are stored against per-cluster sums of those moves (Bounds::drift_*),
// so a round changes no point's stored bounds. A block of points is first swept for those whose
// upper bound is below either lower bound: they keep their label at a few loads and compares
// each, their features unread, nothing stored. For the rest the distance to the own centroid is
// computed exactly (d operations instead of k * d), tightens the upper bound and is tested again
// before the scan over all k centroids. The bounds carry a relative slack of 1e-5, far above float
// rounding, so a point is skipped only when its label is strictly the nearest in float too: labels
// and sums are bit-identical to plain Lloyd's, ties included (lowest index). Round::scanned counts
// the points that still needed a scan. That scan runs the vector kernels of kmeans_simd.h. The
// final pass (Accumulators::exact_inertia) computes every point's own distance for the inertia.
//
// Large k (kmeans_grid.h): centroids bucketed on a grid of the last two axes (PositionGrid). A
// point that needs a scan scans the centroids of the cells around it, and all k only when those
// cannot prove the answer. Colour alone (d = 3) does the same on a grid of all three axes instead
// (ColourGrid). Where the points keep no local bound for the sweep (below: too many cells), a
// point the global bounds do not settle first tries one computed on the spot (its old bound less
// the largest move among the centroids near it, capped by the distance to where "near" ends).
// Measured and left out where they keep one: that second try. rgb+xy 4 MP, 1 thread, CPU
// seconds, medians of 3 alternated runs without it vs with it: k = 1000 14.3 vs 16.7 s (scanned
// 0.118 of the point visits instead of 0.103, same labels and rounds), k = 256 8.0 vs 8.3 s,
// k = 4096 28.2 vs 28.8 s: settling a point by it costs about what the window scan it saves
// does, and most of the points it was tried on were scanned anyway.
// Also measured with it, no gain (within the noise): one locate() shared by it and the window
// search, and skipping it when the old bound does not pass the need.
//
// Runs on the grid also keep a local lower bound per point for the sweep (Bounds::local, 4 + 2
// bytes a point with its cell): the grid's geometry comes from the points' box (on its two or
// three axes), so it and every point's cell stay fixed for the run; each cell sums the largest
// move in the window of kLocalRings rings around it (Bounds::local_drift), and a point's bound,
// capped by that window's reach, drops by its cell's sum instead of every round's largest move
// anywhere (position, k = 1000 on 4 MP: about 15 % more of the points settle in the sweep;
// colour, k = 256 on an 18 MP photo: 71 % of the point visits instead of 60 %, and 15 % scanned
// instead of 18 %). Measured and left out for colour: a per-point candidate pair (the label and
// the second nearest of the last scan, with a bound on every other centroid, from a scan keeping
// the three nearest) settled 43 % of the scans at no gain in time: a point the sweep does not
// settle costs its scattered reads whichever way it is then settled.
//
// Measured and left out for rgb+xy: making each point the sweep leaves from its RGBA8 pixel and
// index (4 bytes, cluster.cpp's expressions, same bits) instead of reading its 20 bytes of float
// features. 4 MP photo, 1 thread, CPU seconds, medians of alternated runs against this code:
// k = 1000 16.78 s vs 16.72 s (4 runs each); k = 16 seed 1 1.12 s vs 1.05 s, seeds 2 and 3 within
// the noise (3 each). The prefetch of assign_range already hides those reads (without it the
// k = 1000 run takes 19.5 s instead of 16.9 s), and building a point costs a division and five
// conversions that a feature read does not.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

#include "kmeans_grid.h"
#include "kmeans_internal.h"
#include "kmeans_simd.h"

namespace core::detail {
namespace {

/// The largest float not above v: lower bounds stay lower bounds however many rounds they are
/// carried.
inline float float_below(double v)
{
    // Rounding to float moves v by at most |v| * 2^-24; step down by |v| * 2^-22 first.
    return static_cast<float>(v - std::fabs(v) * 0x1p-22);
}

inline double distance_between(const float* a, const float* b, int d)
{
    return std::sqrt(squared_gap(a, b, d));
}

/// The points' extent on the grid's A axes (the last A): min, max per axis (2A values).
template <int A>
void point_box(const Data& data, double* box)
{
    const int a0 = data.d - A;
    float b[2 * A];
    for (int a = 0; a < A; ++a) {
        b[2 * a] = b[2 * a + 1] = data.x[a0 + a];
    }
    for (size_t i = 0; i < data.n; ++i) {
        const float* p = data.point(i) + a0;
        for (int a = 0; a < A; ++a) {
            b[2 * a] = std::min(b[2 * a], p[a]);
            b[2 * a + 1] = std::max(b[2 * a + 1], p[a]);
        }
    }
    std::copy(b, b + 2 * A, box);
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

/// The smallest float not below v.
inline float float_above(double v)
{
    return static_cast<float>(v + std::fabs(v) * 0x1p-22);
}

/// What one group of points reports to the update: its slices of Accumulators.
struct GroupSums {
    double inertia = 0.0;
    double changed = 0.0;
    size_t scanned = 0;
    size_t settled = 0;   // points the upper bound alone settled (or would have)
    std::vector<Change>* changes = nullptr;
    size_t cap = 0;       // changes recorded at most; past it the caller rebuilds the sums
    bool count_only = false; // the pass sums every cluster: changes are only counted
    size_t count = 0;
    bool overflow = false;

    void record(size_t i, int from)
    {
        if (overflow) {
            return;
        }
        if (++count > cap) {
            overflow = true;
            changes->clear();
            return;
        }
        if (!count_only) {
            changes->push_back(Change{i, static_cast<uint16_t>(from)});
        }
    }
};

/// What a pass needs of cluster l to read and store its points' bounds (Bounds::lower/upper
/// hold them offset by the cluster's drifts), and its half gap.
struct ClusterDrift {
    double lower = 0.0;    // Bounds::drift_lower[l]
    double upper = 0.0;    // Bounds::drift_upper[l]
    double half_gap = 0.0; // Bounds::half_gap[l]
    double last = 0.0;     // how far the lower bounds of its points dropped in the last update
};

/// One block of a pass over one group's points (D the dimension, 0: d at run time; Weighted:
/// data.w is set, else every weight is 1): what assigning a point reads and writes, and the
/// group's running totals (one sum per group, in point order).
template <int D, bool Weighted>
struct BlockAssigner {
    const Data& data;
    const float* c;
    const CentroidBlocks& blocks;
    const PositionGrid& grid;
    const ColourGrid& colour;
    const ClusterDrift* drift;
    uint16_t* labels;
    float* lower;
    float* upper;
    GroupSums& out;
    /// Runs on a grid: the local bounds (Bounds::cell, local, local_drift, local_reach), on
    /// the colour grid when it is active, else the position grid; local is null without them.
    uint16_t* cell;
    float* local;
    const double* local_drift;
    double local_reach;

    /// Point i's local lower bound now (-infinity without one).
    double local_low(size_t i) const
    {
        return static_cast<double>(local[i]) - local_drift[cell[i]];
    }

    /// Stores point i's bounds, now that its label is l: low on its distance to every other
    /// centroid, and (1 + kSlack) * sqrt(best) on its distance to its own, best being that
    /// squared distance in float (the slack covers its rounding now and after moves).
    template <bool Exact>
    void keep(size_t i, int l, double low, float best)
    {
        if (Exact) {
            return; // the final pass: no pass follows to use the bounds
        }
        // The float square root is within 2^-24 of the true one, far inside the slack.
        const ClusterDrift& cd = drift[l];
        lower[i] = float_below(low + cd.lower);
        upper[i] = float_above((1.0 + kSlack) * static_cast<double>(std::sqrt(best)) - cd.upper);
        if (local) {
            if (local[i] == -std::numeric_limits<float>::infinity()) {
                // The point's first bound on this geometry: its cell, which stays.
                const int d = D > 0 ? D : data.d;
                const float* p = data.x + i * static_cast<size_t>(d);
                cell[i] = static_cast<uint16_t>(colour.active ? colour.locate(p).id
                                                              : grid.locate(p).id);
            }
            local[i] = float_below(min_of(low, local_reach) + local_drift[cell[i]]);
        }
    }

    /// Settles the points of [b, e) whose upper bound is below their lower bound or their
    /// centroid's half gap: their label and stored bounds stand, and their features are not even
    /// read. No branch depends on the outcome, so a point costs a few loads and compares. Writes
    /// the offsets (from b) of the other points to rest, in order; returns how many there are.
    size_t settle(size_t b, size_t e, uint16_t* rest) const
    {
        return local ? settle_with<true>(b, e, rest) : settle_with<false>(b, e, rest);
    }

    /// settle(), Local: with the local bounds too.
    template <bool Local>
    size_t settle_with(size_t b, size_t e, uint16_t* rest) const
    {
        size_t m = 0;
        for (size_t i = b; i < e; ++i) {
            const ClusterDrift& cd = drift[labels[i]];
            const double up = static_cast<double>(upper[i]) + cd.upper;
            double bound = max_of(static_cast<double>(lower[i]) - cd.lower, cd.half_gap);
            if (Local) {
                bound = max_of(bound, local_low(i));
            }
            // up bounds sqrt(best) from above: the test below then holds for best, and it is the
            // one assign() makes, (1 + kSlack) * sqrt(best) < bound.
            const bool settled = (1.0 + kSlack) * up < bound;
            rest[m] = static_cast<uint16_t>(i - b);
            m += settled ? 0 : 1;
        }
        return m;
    }

    /// Point i's label, bounds and Change (Exact: its weighted distance added to the inertia).
    /// With use_bounds, its upper bound did not settle it (or was not tried): its distance to
    /// its own centroid is computed and tested against the bounds before any scan.
    template <bool Exact>
    [[gnu::always_inline]] inline void assign(size_t i, bool use_bounds,
                                              const SeedAssignment* seeded)
    {
        const int d = D > 0 ? D : data.d;
        const float* p = data.x + i * static_cast<size_t>(d);
        const double weight = Weighted ? data.w[i] : 1.0;
        const int l = labels[i];
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
            // No second nearest is known: the next pass has only the half gaps to go by. (A
            // bound on it kept by k-means++ was measured, commit 353ec4f: at rgb+xy 4 MP k = 16
            // round 1 scanned 0.55 -> 0.38-0.48 of the points, but round 2 more, as the points
            // it settled keep the seeds' bound less two large moves: a whole run scanned 0.03 -
            // 0.08 of a pass fewer, while this pass took 67 -> 85 ms (a square root and 4 bytes
            // a point) and k-means++ some 10 ms more. Slower.)
            keep<Exact>(i, nearest, 0.0, best);
            out.changed += weight;
            out.record(i, l);
            labels[i] = static_cast<uint16_t>(nearest);
            known = true;
        } else if (use_bounds) {
            const ClusterDrift& cd = drift[l];
            const float* own = c + static_cast<size_t>(l) * d;
            for (int a = 0; a < d; ++a) {
                const float t = p[a] - own[a];
                best += t * t;
            }
            const double low = static_cast<double>(lower[i]) - cd.lower;
            const double both = local ? max_of(low, local_low(i)) : low;
            // (1 + kSlack) * sqrt(best) < bound, squared: no square root on this test.
            const double bound = max_of(both, cd.half_gap);
            // What settle() would have made of the point (for Bounds::sweep).
            const double up = static_cast<double>(upper[i]) + cd.upper;
            out.settled += bound - (1.0 + kSlack) * up > 0.0 ? 1 : 0;
            if (bound > 0.0 && kSlackSquared * static_cast<double>(best) < bound * bound) {
                known = true;
                keep<Exact>(i, l, both, best);
            } else if ((grid.active || colour.active) && !local) {
                // (Runs with local bounds skip this: the sweep's bound already holds most of what
                // it finds, and a point it settles costs about what its window scan does; see
                // the note at the top.) The smallest window of cells reaching past
                // (1 + kSlack) * sqrt(best): outside it no centroid can be as near; inside, the
                // bound of the last pass drops by its largest move.
                const double need = std::sqrt(kSlackSquared * static_cast<double>(best));
                const double old = low + cd.last;
                const double local = colour.active ? colour.local_bound(p, need, old)
                                                   : grid.local_bound(p, need, old);
                if (std::max(local, cd.half_gap) > need) {
                    known = true;
                    keep<Exact>(i, l, std::max(local, both), best);
                }
            }
        }
        if (!known) {
            int nearest = 0;
            double other = 0.0;
            // With the bounds, best is the distance to the own centroid: on the position grid the
            // search starts from the window that proves it (kmeans_grid.h).
            const double known = use_bounds ? static_cast<double>(best) : -1.0;
            const bool found = colour.active
                ? colour.nearest<D>(p, nearest, best, other)
                : grid.active && grid.nearest<D>(p, nearest, best, other, known);
            if (!found) {
                float second = 0.0f;
                nearest_two_any<D>(p, blocks, nearest, best, second);
                other = (1.0 - kSlack) * std::sqrt(static_cast<double>(second));
            }
            keep<Exact>(i, nearest, other, best);
            ++out.scanned;
            if (l != nearest) {
                out.changed += weight;
                out.record(i, l);
                labels[i] = static_cast<uint16_t>(nearest);
            }
        }
        if (Exact) {
            out.inertia += weight * best;
        }
    }
};

/// The window radius (in rings of cells) of the local bounds (Bounds::local) on a grid of A axes.
template <int A>
constexpr int kLocalRings = A == 2 ? 3 : 1;
static_assert(kLocalRings<2> >= 1 && kLocalRings<2> <= PositionGrid::kMaxWindow, "a kept window");
static_assert(kLocalRings<3> >= 1 && kLocalRings<3> <= ColourGrid::kMaxWindow, "a kept window");

/// Most cells the local bounds number (Bounds::cell: 16 bits); a grid with more (k near 2^16)
/// goes without them.
constexpr size_t kMaxLocalCells = size_t{1} << 16;

/// Brings the local bounds (Bounds::cell, local, local_drift) to this pass, grid being built on
/// Bounds::box: when the grid has the geometry they refer to and moved (the moves of the last
/// update are in grid.window_move), every cell's drift grows by the largest move in its window;
/// else they start over (no point has a local bound until it is stored, with its cell).
/// Returns false when the grid has too many cells for them.
///
/// Why local[i] - local_drift[cell] stays a lower bound on the distance from point p to every
/// centroid but its own: stored, it is B0 = min(L, R) with L such a bound and R = local_reach
/// <= the distance from p to anything outside the window of kLocalRings rings around its cell.
/// After an update, a centroid whose new position is outside the window is >= R away, one
/// inside is >= its old distance less its move >= B_prev - w (w: the window's largest move,
/// added to local_drift[cell]); so B_new = min(B_prev - w, R) is a bound, and by induction,
/// as B0 <= R and every w >= 0, B_new >= B0 - (the growth of local_drift[cell] since).
template <int A>
bool follow_local_drift(const Data& data, const CentroidGrid<A>& grid, bool moved, Bounds& bounds)
{
    constexpr int kRings = kLocalRings<A>;
    const size_t cells_n = grid.start.size() - 1;
    if (cells_n > kMaxLocalCells) {
        bounds.local_drift.clear();
        bounds.local.clear();
        bounds.cell.clear();
        return false;
    }
    double geometry[7] = {grid.s, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
    for (int a = 0; a < A; ++a) {
        geometry[1 + a] = grid.o[a];
        geometry[1 + A + a] = static_cast<double>(grid.n[a]);
    }
    const bool same = std::equal(geometry, geometry + 7, bounds.local_geometry) &&
        bounds.local_drift.size() == cells_n && bounds.local.size() == data.n;
    if (moved && same && !grid.window_move.empty()) {
        const double* w = grid.window_move.data() + (kRings - 1) * cells_n;
        for (size_t cell = 0; cell < cells_n; ++cell) {
            bounds.local_drift[cell] += w[cell];
        }
        return true;
    }
    std::copy(geometry, geometry + 7, bounds.local_geometry);
    bounds.local_drift.assign(cells_n, 0.0);
    bounds.local.assign(data.n, -std::numeric_limits<float>::infinity());
    bounds.cell.assign(data.n, 0);
    bounds.local_reach = kRings * grid.s - grid.margin;
    return true;
}

/// Points a group hands to assign_range at a time (checking for cancellation in between).
constexpr size_t kBlock = 4096;

/// Assigns points [b, e) (at most kBlock), in point order. exact: every point's own distance is
/// computed and summed into the inertia (Accumulators::exact_inertia); otherwise, with the
/// bounds in use and sweep (Bounds::sweep), the points their upper bounds settle are sifted out
/// first, in one sweep, and only the rest are looked at one by one.
template <int D, bool Weighted>
void assign_range(BlockAssigner<D, Weighted>& a, bool use_bounds, bool sweep, bool exact,
                  const SeedAssignment* seeded, size_t b, size_t e)
{
    if (exact) {
        for (size_t i = b; i < e; ++i) {
            a.template assign<true>(i, use_bounds, seeded);
        }
    } else if (use_bounds && sweep && !seeded) {
        // The rest are scattered, which the memory's own prefetching does not follow: each
        // point's features are fetched a few points ahead, or every one waits on memory.
        constexpr size_t kAhead = 8;
        uint16_t rest[kBlock];
        const size_t m = a.settle(b, e, rest);
        a.out.settled += (e - b) - m;
        const size_t d = static_cast<size_t>(D > 0 ? D : a.data.d);
        for (size_t j = 0; j < m; ++j) {
            if (j + kAhead < m) {
                const float* ahead = a.data.x + (b + rest[j + kAhead]) * d;
                __builtin_prefetch(ahead);
                __builtin_prefetch(ahead + d - 1);
            }
            a.template assign<false>(b + rest[j], true, nullptr);
        }
    } else {
        for (size_t i = b; i < e; ++i) {
            a.template assign<false>(i, use_bounds, seeded);
        }
    }
}

/// assign_range for one block, with the template arguments of the pass.
template <int D>
void assign_block(const Data& data, const float* c, const CentroidBlocks& blocks,
                  const PositionGrid& grid, const ColourGrid& colour, const ClusterDrift* drift,
                  Bounds& bounds, bool use_bounds, bool local_on, bool exact,
                  const SeedAssignment* seeded, size_t b, size_t e, uint16_t* labels,
                  GroupSums& out)
{
    float* lower = bounds.lower.data();
    float* upper = bounds.upper.data();
    uint16_t* cell = bounds.cell.data();
    float* local = local_on ? bounds.local.data() : nullptr;
    const double* ld = bounds.local_drift.data();
    const double lr = bounds.local_reach;
    if (data.w) {
        BlockAssigner<D, true> a{data,  c,     blocks, grid,  colour, drift, labels, lower,
                                 upper, out,   cell,   local, ld,     lr};
        assign_range(a, use_bounds, bounds.sweep, exact, seeded, b, e);
    } else {
        BlockAssigner<D, false> a{data,  c,     blocks, grid,  colour, drift, labels, lower,
                                  upper, out,   cell,   local, ld,     lr};
        assign_range(a, use_bounds, bounds.sweep, exact, seeded, b, e);
    }
}

/// assign_pass for dimension D (0: known at run time only).
/// Builds this pass's grid of the k centroids c (on the points' box, found once a run), their
/// half gaps and, when the last update's moves are known, the window moves; then brings the
/// local bounds up to date (follow_local_drift). Returns whether the points keep local bounds.
template <int A>
bool build_grid(const Data& data, const float* c, int k, bool wide, bool moved,
                CentroidGrid<A>& grid, Bounds& bounds, ThreadPool& pool)
{
    if (!bounds.box_valid) {
        point_box<A>(data, bounds.box);
        bounds.box_valid = true;
    }
    grid.build(c, k, data.d, bounds.box, CentroidGrid<A>::kCellsPerCentroid, wide, &pool);
    grid.half_gaps(c, k, bounds.half_gap, &pool);
    if (moved) {
        // With local bounds only their window's moves are read (follow_local_drift); without,
        // every radius (CentroidGrid::local_bound).
        const bool local = grid.start.size() - 1 <= kMaxLocalCells;
        grid.build_window_moves(bounds.moves, local ? kLocalRings<A> : CentroidGrid<A>::kMaxWindow);
    }
    return follow_local_drift(data, grid, moved, bounds);
}

template <int D>
bool assign_pass_d(const Data& data, const std::vector<float>& centroids, int k, ThreadPool& pool,
                   Progress* progress, const SeedAssignment* seeded, std::vector<uint16_t>& labels,
                   Bounds& bounds, Accumulators& acc)
{
    const int d = D > 0 ? D : data.d;
    const size_t gs = group_size(data.n);
    const size_t groups = ThreadPool::chunk_count(0, data.n, gs);
    acc.inertia.assign(groups, 0.0);
    acc.changed.assign(groups, 0.0);
    acc.changes.resize(groups);
    const size_t ks = static_cast<size_t>(k) * sum_stride(d);
    if (acc.full) {
        acc.sums_units.assign(groups * ks, 0);
    }
    std::vector<char> overflow(groups, 0);
    std::vector<size_t> scanned(groups, 0);
    std::vector<size_t> settled(groups, 0);
    bounds.lower.resize(data.n);
    bounds.upper.resize(data.n);
    const bool use_bounds = bounds.enabled && bounds.valid;
    const float* c = centroids.data();
    PositionGrid grid;   // with position: the last two axes
    ColourGrid colour;   // colour only (d = 3): all three axes
    CentroidBlocks blocks;
    blocks.build(c, k, d, bounds.wide);
    const bool moves_known = use_bounds && bounds.moves.size() == static_cast<size_t>(k);
    bool local_on = false;
    if (bounds.grid && d == 3) {
        local_on = build_grid(data, c, k, blocks.wide, moves_known, colour, bounds, pool);
    } else if (bounds.grid) {
        local_on = build_grid(data, c, k, blocks.wide, moves_known, grid, bounds, pool);
    } else {
        update_half_gaps(centroids, k, d, bounds);
    }
    acc.lanes = blocks.wide ? 8 : kLanes;
    if (bounds.drift_lower.size() != static_cast<size_t>(k)) {
        bounds.drift_lower.assign(k, 0.0);
        bounds.drift_upper.assign(k, 0.0);
    }
    std::vector<ClusterDrift> drift(k);
    for (int l = 0; l < k; ++l) {
        drift[l].lower = bounds.drift_lower[l];
        drift[l].upper = bounds.drift_upper[l];
        drift[l].half_gap = bounds.half_gap[l];
        drift[l].last = l == bounds.move_argmax ? bounds.move_second : bounds.move_max;
    }
    std::atomic<bool> stop{false};
    pool.parallel_for(0, data.n, gs, [&](size_t g, size_t b, size_t e) {
        GroupSums out;
        out.changes = &acc.changes[g];
        out.changes->clear();
        // Past a quarter of the points, rebuilding the sums costs less than moving each (a
        // move reads a scattered point and updates two clusters; a rebuild streams them all).
        out.cap = (e - b) / 4;
        out.count_only = acc.full;
        for (size_t bb = b; bb < e; bb += kBlock) {
            if (cancelled(progress)) {
                stop.store(true, std::memory_order_relaxed);
                return;
            }
            const size_t be = std::min(e, bb + kBlock);
            assign_block<D>(data, c, blocks, grid, colour, drift.data(), bounds, use_bounds,
                            local_on, acc.exact_inertia, seeded, bb, be, labels.data(), out);
            if (acc.full) {
                add_points(data, labels.data(), bb, be, acc.sums_units.data() + g * ks);
            }
        }
        acc.inertia[g] = out.inertia;
        acc.changed[g] = out.changed;
        scanned[g] = out.scanned;
        settled[g] = out.settled;
        overflow[g] = out.overflow;
    });
    acc.complete = std::find(overflow.begin(), overflow.end(), 1) == overflow.end();
    acc.scanned = 0;
    size_t by_upper = 0;
    for (size_t g = 0; g < groups; ++g) {
        acc.scanned += scanned[g];
        by_upper += settled[g];
    }
    bounds.sweep = 2 * by_upper >= data.n;
    // The final pass keeps no bounds: a pass after it would start from scratch.
    bounds.valid = !stop.load() && !acc.exact_inertia;
    return !stop.load();
}

} // namespace

void update_moves(const std::vector<float>& before, const std::vector<float>& after, int k, int d,
                  Bounds& bounds)
{
    bounds.move_max = 0.0;
    bounds.move_second = 0.0;
    bounds.move_argmax = -1;
    bounds.moves.assign(k, 0.0);
    for (int c = 0; c < k; ++c) {
        const double m = (1.0 + kSlack) *
            distance_between(before.data() + static_cast<size_t>(c) * d,
                             after.data() + static_cast<size_t>(c) * d, d);
        bounds.moves[c] = m;
        if (m > bounds.move_max) {
            bounds.move_second = bounds.move_max;
            bounds.move_max = m;
            bounds.move_argmax = c;
        } else if (m > bounds.move_second) {
            bounds.move_second = m;
        }
    }
    if (bounds.drift_lower.size() != static_cast<size_t>(k)) {
        bounds.drift_lower.assign(k, 0.0);
        bounds.drift_upper.assign(k, 0.0);
    }
    for (int c = 0; c < k; ++c) {
        bounds.drift_lower[c] += c == bounds.move_argmax ? bounds.move_second : bounds.move_max;
        bounds.drift_upper[c] += bounds.moves[c];
    }
}

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

} // namespace core::detail
