// The assignment pass: every point's nearest centroid, the per-group inertia, and the points whose
// label changed (the update moves only those in the exact cluster sums, ClusterSums), skipping the
// scan over all centroids where Hamerly's bounds prove the label unchanged.
//
// Hamerly's bounds: for every point a lower bound on its distance to every centroid but its own,
// lowered each round by the largest move of another centroid, an upper bound on its distance to
// its own, raised by that centroid's move, and for every centroid half the distance to its nearest
// other. A point whose upper bound is below either lower bound keeps its label with a few loads
// and compares, its features unread; if not, its distance to its own centroid is computed exactly
// (d operations instead of k * d), tightens the upper bound and is tested again before the scan
// over all k centroids. The bounds carry a relative slack of 1e-5, far above float rounding, so a
// point is skipped only when its label is strictly the nearest in float too: labels and sums are
// bit-identical to plain Lloyd's, ties included (lowest index). Round::scanned counts the points
// that still needed a scan. That scan runs the vector kernels of kmeans_simd.h. The final pass
// (Accumulators::exact_inertia) computes every point's own distance for the inertia.
//
// Large k (kmeans_grid.h): centroids bucketed on a grid of the last two axes (PositionGrid). A
// point the global bounds do not settle tries a local bound (its old bound less the largest move among the
// centroids near it, capped by the distance to where "near" ends); a point that needs a scan
// scans the centroids of the cells around it, and all k only when those cannot prove the answer.
// Colour alone (d = 3) does both on a grid of all three axes instead (ColourGrid).
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

/// The points' extent on the grid's axes (the last two): x min, x max, y min, y max.
void point_box(const Data& data, double box[4])
{
    const int d = data.d;
    float b[4] = {data.x[d - 2], data.x[d - 2], data.x[d - 1], data.x[d - 1]};
    for (size_t i = 0; i < data.n; ++i) {
        const float* p = data.point(i);
        b[0] = std::min(b[0], p[d - 2]);
        b[1] = std::max(b[1], p[d - 2]);
        b[2] = std::min(b[2], p[d - 1]);
        b[3] = std::max(b[3], p[d - 1]);
    }
    std::copy(b, b + 4, box);
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

/// The upper bound stored for a point whose squared distance to its centroid is best (float, as
/// the passes compute it): (1 + kSlack) * sqrt(best), rounded up. The slack covers the float
/// rounding of the distance both now and after the centroid moves: raised by the inflated moves
/// it stays above every later float distance to the same centroid.
inline float upper_bound_of(float best)
{
    return float_above((1.0 + kSlack) * std::sqrt(static_cast<double>(best)));
}

/// What one group of points reports to the update: its slices of Accumulators.
struct GroupSums {
    double inertia = 0.0;
    double changed = 0.0;
    size_t scanned = 0;
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

/// The assignment of points [b, e) (D the dimension, 0: d at run time; Weighted: data.w is
/// set, else every weight is 1; Exact: every point's own distance is computed and its weighted
/// value added to the group's inertia). Per point, in point order: the label, the bounds, and a
/// Change when the label changed.
template <int D, bool Weighted, bool Exact>
void assign_range(const Data& data, const float* c, const CentroidBlocks& blocks,
                  const PositionGrid& grid, const ColourGrid& colour, const Bounds& bounds,
                  bool use_bounds, const double* moves, const SeedAssignment* seeded, size_t b,
                  size_t e, uint16_t* labels, float* lower, float* upper, GroupSums& out)
{
    const int d = D > 0 ? D : data.d;
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
            upper[i] = upper_bound_of(best);
            changed += Weighted ? w[i] : 1.0;
            out.record(i, l);
            labels[i] = static_cast<uint16_t>(nearest);
            l = nearest;
            known = true;
        } else if (use_bounds) {
            const double low =
                static_cast<double>(lower[i]) - (l == move_argmax ? move_second : move_max);
            // (1 + kSlack) * sqrt(best) < bound, squared: no square root on the common path.
            const double bound = std::max(low, half_gap[l]);
            const double bound2 = bound > 0.0 ? bound * bound : -1.0;
            if (!Exact && moves) {
                // The upper bound, raised by the own centroid's move: below the bound, the
                // distance it bounds is too, and the point's features are not even read.
                const double up = static_cast<double>(upper[i]) + moves[l];
                if (kSlackSquared * up * up < bound2) {
                    known = true;
                    lower[i] = float_below(low);
                    upper[i] = float_above(up);
                }
            }
            if (!known) {
                const float* own = c + static_cast<size_t>(l) * d;
                for (int a = 0; a < d; ++a) {
                    const float t = p[a] - own[a];
                    best += t * t;
                }
                if (kSlackSquared * static_cast<double>(best) < bound2) {
                    known = true;
                    lower[i] = float_below(low);
                } else if (colour.active || grid.active) {
                    // The smallest window of cells reaching past (1 + kSlack) * sqrt(best):
                    // outside it no centroid can be as near; inside, the bound drops by its
                    // largest move.
                    const double need = std::sqrt(kSlackSquared * static_cast<double>(best));
                    const double old = static_cast<double>(lower[i]);
                    const double local = colour.active ? colour.local_bound(p, need, old)
                                                       : grid.local_bound(p, need, old);
                    if (std::max(local, half_gap[l]) > need) {
                        known = true;
                        lower[i] = float_below(std::max(local, low));
                    }
                }
                if (known) {
                    upper[i] = upper_bound_of(best);
                }
            }
        }
        if (!known) {
            int nearest = 0;
            double other = 0.0;
            const bool found = colour.active ? colour.nearest<D>(p, nearest, best, other)
                                             : grid.active && grid.nearest<D>(p, nearest, best, other);
            if (!found) {
                float second = 0.0f;
                nearest_two_any<D>(p, blocks, nearest, best, second);
                other = (1.0 - kSlack) * std::sqrt(static_cast<double>(second));
            }
            lower[i] = float_below(other);
            upper[i] = upper_bound_of(best);
            ++full;
            if (l != nearest) {
                changed += Weighted ? w[i] : 1.0;
                out.record(i, l);
                labels[i] = static_cast<uint16_t>(nearest);
            }
            l = nearest;
        }
        if (Exact) {
            inertia += Weighted ? w[i] * best : best;
        }
    }
    out.inertia = inertia;
    out.changed = changed;
    out.scanned += full;
}

/// assign_range for one block, with the template arguments of the pass.
template <int D>
void assign_block(const Data& data, const float* c, const CentroidBlocks& blocks,
                  const PositionGrid& grid, const ColourGrid& colour, Bounds& bounds,
                  bool use_bounds, bool exact, const double* moves, const SeedAssignment* seeded,
                  size_t b, size_t e, uint16_t* labels, GroupSums& out)
{
    float* lower = bounds.lower.data();
    float* upper = bounds.upper.data();
    if (data.w) {
        if (exact) {
            assign_range<D, true, true>(data, c, blocks, grid, colour, bounds, use_bounds, moves,
                                        seeded, b, e, labels, lower, upper, out);
        } else {
            assign_range<D, true, false>(data, c, blocks, grid, colour, bounds, use_bounds, moves,
                                         seeded, b, e, labels, lower, upper, out);
        }
    } else if (exact) {
        assign_range<D, false, true>(data, c, blocks, grid, colour, bounds, use_bounds, moves,
                                     seeded, b, e, labels, lower, upper, out);
    } else {
        assign_range<D, false, false>(data, c, blocks, grid, colour, bounds, use_bounds, moves,
                                      seeded, b, e, labels, lower, upper, out);
    }
}

/// assign_pass for dimension D (0: known at run time only).
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
    bounds.lower.resize(data.n);
    bounds.upper.resize(data.n);
    const bool use_bounds = bounds.enabled && bounds.valid;
    const float* c = centroids.data();
    PositionGrid grid;   // with position: the last two axes
    ColourGrid colour;   // colour only (d = 3): all three axes
    CentroidBlocks blocks;
    blocks.build(c, k, d, bounds.wide);
    const bool moves_known = use_bounds && bounds.moves.size() == static_cast<size_t>(k);
    const double* moves = moves_known ? bounds.moves.data() : nullptr;
    if (bounds.grid && d == 3) {
        colour.build(c, k, d, nullptr, ColourGrid::kCellsPerCentroid, blocks.wide);
        colour.half_gaps(c, k, bounds.half_gap);
        if (moves_known) {
            colour.build_window_moves(bounds.moves);
        }
    } else if (bounds.grid) {
        if (!bounds.box_valid) {
            point_box(data, bounds.box);
            bounds.box_valid = true;
        }
        grid.build(c, k, d, bounds.box, PositionGrid::kCellsPerCentroid, blocks.wide);
        grid.half_gaps(c, k, bounds.half_gap);
        if (moves_known) {
            grid.build_window_moves(bounds.moves);
        }
    } else {
        update_half_gaps(centroids, k, d, bounds);
    }
    acc.lanes = blocks.wide ? 8 : kLanes;
    std::atomic<bool> stop{false};
    pool.parallel_for(0, data.n, gs, [&](size_t g, size_t b, size_t e) {
        constexpr size_t kBlock = 4096;
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
            assign_block<D>(data, c, blocks, grid, colour, bounds, use_bounds, acc.exact_inertia,
                            moves, seeded, bb, be, labels.data(), out);
            if (acc.full) {
                add_points(data, labels.data(), bb, be, acc.sums_units.data() + g * ks);
            }
        }
        acc.inertia[g] = out.inertia;
        acc.changed[g] = out.changed;
        scanned[g] = out.scanned;
        overflow[g] = out.overflow;
    });
    acc.complete = std::find(overflow.begin(), overflow.end(), 1) == overflow.end();
    acc.scanned = 0;
    for (size_t v : scanned) {
        acc.scanned += v;
    }
    bounds.valid = !stop.load();
    return bounds.valid;
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
