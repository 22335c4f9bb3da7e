// The assignment pass: every point's nearest centroid and the per-group sums for the update,
// skipping the scan over all centroids where Hamerly's bounds prove the label unchanged.
//
// Hamerly's bounds: for every point a lower bound on its distance to every centroid but its own,
// lowered each round by the largest move of another centroid, and for every centroid half the
// distance to its nearest other. A point whose distance to its own centroid (computed exactly each
// round: d operations instead of k * d) is below either bound keeps its label without the scan
// over all k centroids. The bounds carry a relative slack of 1e-5, far above float rounding, so a
// point is skipped only when its label is strictly the nearest in float too: labels, distances and
// sums are bit-identical to plain Lloyd's, ties included (lowest index). Round::scanned counts the
// points that still needed a scan. That scan runs the vector kernels of kmeans_simd.h, and the
// pass keeps a run of same-cluster points' sums in registers (assign_range): the same additions in
// the same order as the plain loop, so neither changes a bit.
//
// Large k (kmeans_grid.h): centroids bucketed on a grid of the last two axes. A point the global
// bounds do not settle tries a local bound (its old bound less the largest move among the
// centroids near it, capped by the distance to where "near" ends); a point that needs a scan
// scans the centroids of the cells around it, and all k only when those cannot prove the answer.
// Colour alone (d = 3) does both on a grid of all three axes instead (kmeans_colour_search.h).
#include <atomic>
#include <cmath>
#include <limits>

#include "kmeans_colour_search.h"
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
                  const CentroidGrid& grid, const ColourGrid& colour, const Bounds& bounds,
                  bool use_bounds,
                  const SeedAssignment* seeded, size_t b, size_t e, uint16_t* labels, float* lower,
                  GroupSums& out)
{
    const int d = D > 0 ? D : data.d;
    constexpr int kRun = D > 0 ? D : 1;
    const float* x = data.x;
    const double* w = data.w;
    const double* half_gap = bounds.half_gap.data();
    const double move_max = bounds.move_max;
    const double move_second = bounds.move_second;
    const int move_argmax = bounds.move_argmax;
    const bool local_moves = grid.active && !grid.window_move.empty();
    const size_t cells = static_cast<size_t>(grid.nx) * grid.ny;
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
            } else if (colour.active) {
                const double need = std::sqrt(kSlackSquared * static_cast<double>(best));
                const double local = colour.local_bound(p, need, static_cast<double>(lower[i]));
                if (std::max(local, half_gap[l]) > need) {
                    known = true;
                    lower[i] = float_below(std::max(local, low));
                }
            } else if (local_moves) {
                // The smallest window of cells reaching past (1 + kSlack) * sqrt(best): outside
                // it no centroid can be as near; inside, the bound drops by its largest move.
                const double need = std::sqrt(kSlackSquared * static_cast<double>(best));
                const double px = p[grid.ax];
                const double py = p[grid.ay];
                const int cx = grid.cell_x(px);
                const int cy = grid.cell_y(py);
                for (int r = 1; r <= CentroidGrid::kMaxWindow; ++r) {
                    const double reached = grid.reach(px, py, cx, cy, r);
                    if (reached > need) {
                        const size_t cell = static_cast<size_t>(cy) * grid.nx + cx;
                        const double local = std::min(
                            static_cast<double>(lower[i]) - grid.window_move[(r - 1) * cells + cell],
                            reached);
                        if (std::max(local, half_gap[l]) > need) {
                            known = true;
                            lower[i] = float_below(std::max(local, low));
                        }
                        break;
                    }
                }
            }
        }
        if (!known) {
            int nearest = 0;
            double other = 0.0;
            const bool found = colour.active ? colour.nearest(p, nearest, best, other)
                                             : grid.active && grid.nearest<D>(p, nearest, best, other);
            if (!found) {
                float second = 0.0f;
                nearest_two_any<D>(p, blocks, nearest, best, second);
                other = (1.0 - kSlack) * std::sqrt(static_cast<double>(second));
            }
            lower[i] = float_below(other);
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

/// assign_pass for dimension D (0: known at run time only).
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
    const bool use_bounds = bounds.enabled && bounds.valid;
    const float* c = centroids.data();
    CentroidGrid grid;
    CentroidBlocks blocks;
    blocks.build(c, k, d, bounds.wide);
    if (bounds.grid) {
        if (!bounds.box_valid) {
            point_box(data, bounds.box);
            bounds.box_valid = true;
        }
        grid.build(c, k, d, bounds.box, 1.0, blocks.wide);
        grid.half_gaps(c, k, bounds.half_gap);
        if (use_bounds && bounds.moves.size() == static_cast<size_t>(k)) {
            grid.build_window_moves(bounds.moves);
        }
    } else {
        update_half_gaps(centroids, k, d, bounds);
    }
    ColourGrid colour; // colour only (d = 3): the nearest search in all three axes
    if (bounds.grid && d == 3) {
        colour.build(c, k, ColourGrid::kCellsPerCentroid, blocks.wide);
        if (use_bounds && bounds.moves.size() == static_cast<size_t>(k)) {
            colour.build_window_moves(bounds.moves);
        }
    }
    acc.lanes = blocks.wide ? 8 : kLanes;
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
                assign_range<D, true>(data, c, blocks, grid, colour, bounds, use_bounds, seeded,
                                      bb, be, labels.data(), bounds.lower.data(), out);
            } else {
                assign_range<D, false>(data, c, blocks, grid, colour, bounds, use_bounds, seeded,
                                       bb, be, labels.data(), bounds.lower.data(), out);
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
