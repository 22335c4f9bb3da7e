// The centroid grid for large k: centroids bucketed on A axes of their features (the last A), so
// that a point scans only the centroids that can be nearest, and a point's lower bound drops only
// by the moves of the centroids near it. Exact: same labels. Two uses: PositionGrid (A = 2, the
// position in RGB+XY features) and ColourGrid (A = 3, all three axes of colour-only features:
// colour clouds lie along the grey diagonal, so bucketing two colour axes leaves a window holding
// a fifth of all centroids).
//
// Any A axes give a lower bound: a point's squared distance to a centroid is at least their
// squared distance on those axes. A point in cell c scans the centroids of the cells within kRings
// rings of c (its window, precomputed per cell in vector blocks); every other centroid is at least
// R (the distance from the point to the window's faces) away, so if (1 + kSlack)^2 * best < R^2
// the nearest is found, strictly nearer in float than anything outside (the slack is far above
// float rounding, as for the bounds); else the same in a wider window (kFarRings), and failing
// that the caller scans all. Ties are broken by index, as the full scan does. The distance to the
// second nearest in the window and R give the point's new lower bound.
//
// A pass with bounds knows a point's distance to its own centroid before it scans, and the
// nearest is no farther: where the first window's R does not pass that distance (with the slack),
// a scan of it proves nothing (the found nearest needs the same window as the own one in more
// than 99.7 % of the scans measured), so the search starts from the wide window, and where the
// wide window's R does not either, the caller scans all at once. Measured, rgb+xy 4 MP: the
// smallest window proving the own distance, over the points scanned, is of 1 / 2 / 3 / 4 / 5+
// rings for 30 / 52 / 16 / 1.5 / 0.1 % of them at k = 256, 16 / 28 / 40 / 13 / 2.6 % at k = 1000
// and 4 / 14 / 36 / 28 / 18 % at k = 4096 (1.3 % past 6 rings: 1.7 M scans over all 4096).
// Measured and left out: windows sized to the own distance (1 to 6 or 8 rings, one window per
// cell ring by ring, each smaller one a prefix). The stored bound min(second, R) then sits just
// past the own distance and the next moves spend it: k = 1000 scanned 0.1505 of the point visits
// instead of 0.1177; widening each window until R passes the second nearest (up to 4 or 5 rings)
// brought that to 0.108 and the blocks scanned down by a third, yet the search's varying window
// and merges cost more than the blocks saved (k = 1000 15.2 vs 13.9 s CPU, k = 4096 26.5 vs
// 25.1 s, 1 thread, against this code's parent).
// What the start from the wide window gives, CPU seconds, 1 thread, medians of 3 runs alternated
// with its parent's, twice (same rounds and inertia): rgb+xy 4 MP k = 4096 25.2-25.9 vs
// 26.7-27.1 s (0.94-0.95x), k = 1000 14.0 vs 14.1-14.3 s (0.98-0.99x), k = 256 6.7-6.9 vs 6.5 s
// (1.03-1.06x, three times: 1.6 % of its scans skip the first window, and one more compare a
// scan cannot cost that much; not understood). Colour only,
// 18 MP, the first window of 1 ring, the wide of 2: k = 256 1.98 vs 1.97 s, k = 1024 3.24 vs
// 3.00 s (main's three runs 2.82-3.41): no gain seen, so colour runs pass no known distance.
//
// For a point already assigned, a centroid whose new position lies outside the window of cells
// within r rings is at least the distance to that window's faces away; one inside is at least the
// point's old lower bound less its move. Per cell and r, the largest move in the window
// (window_move) thus lowers the bound where Hamerly's global largest move would drop it to zero.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <memory>
#include <new>
#include <utility>
#include <vector>

#include "kmeans_internal.h"
#include "kmeans_simd.h"
#include "thread_pool.h"

namespace core::detail {

/// An allocator that leaves new elements of trivial types uninitialised (resize() does not zero
/// them): for storage the caller fills in whole, on many threads.
template <class T>
struct UninitAllocator : std::allocator<T> {
    template <class U>
    struct rebind {
        using other = UninitAllocator<U>;
    };
    UninitAllocator() = default;
    template <class U>
    UninitAllocator(const UninitAllocator<U>&) noexcept
    {
    }
    template <class U>
    void construct(U* p) noexcept
    {
        ::new (static_cast<void*>(p)) U;
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args)
    {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};

/// The smallest k that searches centroids on a grid (KMeansParams::grid, NearestCentroids):
/// below it a scan over all of them costs about what the grid's bookkeeping does.
constexpr int kGridMinK = 64;

/// Centroids bucketed on the last A axes (A = 2 or 3) of their d features; cells are cubes of
/// side s, numbered with the first grid axis fastest.
template <int A>
struct CentroidGrid {
    static_assert(A == 2 || A == 3, "a grid over 2 or 3 axes");
    /// Rings of cells around a point's cell that its search scans first, and next.
    static constexpr int kRings = A == 2 ? 3 : 1;
    static constexpr int kFarRings = A == 2 ? 6 : 2;
    /// Window radii (in rings of cells) kept in window_move.
    static constexpr int kMaxWindow = A == 2 ? 4 : 3;
    /// Cells per centroid: in colour most of the cube's cells hold no centroid.
    static constexpr double kCellsPerCentroid = A == 2 ? 1.0 : 4.0;
    /// Most cells along one axis.
    static constexpr int kMaxCells = A == 2 ? 4096 : 256;

    bool active = false;
    int d = 0;     ///< the point dimension
    int axis0 = 0; ///< the first grid axis: d - A
    double o[A] = {};  ///< the grid's corner; cell (i, j, ...) starts at o + (i, j, ...) s
    double s = 1.0;    ///< cell side
    double inv_s = 1.0;
    double margin = 0.0; ///< subtracted from every geometric distance: rounding of cell indices
    int n[A] = {};       ///< cells along each grid axis
    int k_count = 0;
    bool wide = false;
    std::vector<int> start;      ///< cells + 1: each cell's first entry in order
    std::vector<uint16_t> order; ///< k: centroid indices, cell by cell, ascending in a cell
    std::vector<float> coords;   ///< k * d: the centroids in that order
    /// Per cell, the centroids of the cells within `rings` rings, in blocks of 4 lanes (as
    /// CentroidBlocks; coords: blocks * d vectors, index: blocks) or, when wide, 8 (wide_coords:
    /// blocks * d * 8 floats, block, axis, lane; wide_index: blocks * 8); missing lanes at +inf
    /// with index INT32_MAX.
    struct Window {
        int rings = 0;
        std::vector<int> start; ///< cells + 1, in blocks
        // Filled in whole by build_windows, so left unzeroed when allocated.
        std::vector<VecF, UninitAllocator<VecF>> coords;
        std::vector<VecI, UninitAllocator<VecI>> index;
        std::vector<float, UninitAllocator<float>> wide_coords;
        std::vector<int32_t, UninitAllocator<int32_t>> wide_index;
    };
    /// The windows a search tries in turn: kRings rings, then kFarRings for the points that
    /// window cannot settle (far from every centroid near them), before the scan over all k.
    Window windows[2];
    /// max_r * cells (build_window_moves): for r = 1..max_r, the largest move (Bounds::moves) of
    /// a centroid in the (2r + 1)^A cells around each cell; empty before the first update.
    std::vector<double> window_move;

    /// Buckets k centroids (k * d_) on a grid covering them and box (when given, the points'
    /// extent on the grid axes: min, max per axis), about cells_per_centroid cells per centroid;
    /// the windows in 8-lane blocks when wide_ (the CPU has AVX2 and KMeansParams::max_lanes
    /// allows 8). The windows are built cell-parallel on pool when given (the same on any
    /// thread count).
    void build(const float* c, int k, int d_, const double* box, double cells_per_centroid,
               bool wide_, ThreadPool* pool = nullptr);
    /// Fills window_move for radii 1..max_r (1 <= max_r <= kMaxWindow: the largest a reader
    /// asks for) from every centroid's move (k, distance units). (Serial: on two threads at
    /// k = 1000 and 4096 rgb+xy its parallel steps cost more to start than they saved.)
    void build_window_moves(const std::vector<double>& moves, int max_r = kMaxWindow);
    /// half_gap (k): half the distance from each centroid to its nearest other, deflated by
    /// kSlack (the bound Hamerly's test uses), found by ring search (on pool when given).
    void half_gaps(const float* c, int k, std::vector<double>& half_gap,
                   ThreadPool* pool = nullptr) const;

    /// Where a point sits: its cell, and on each grid axis its distance to the cell's lower and
    /// upper faces.
    struct Spot {
        int c[A] = {};
        size_t id = 0;
        double to_lo[A] = {};
        double to_hi[A] = {};
    };

    Spot locate(const float* p) const
    {
        Spot at;
        size_t stride = 1;
        for (int a = 0; a < A; ++a) {
            const double v = p[axis0 + a];
            const double t = (v - o[a]) * inv_s;
            // Truncation is floor for t >= 0; below 0 and past the last cell, the end cells.
            at.c[a] = t < 1.0 ? 0 : t >= n[a] - 1 ? n[a] - 1 : static_cast<int>(t);
            at.to_lo[a] = v - (o[a] + at.c[a] * s);
            at.to_hi[a] = o[a] + (at.c[a] + 1) * s - v;
            at.id += static_cast<size_t>(at.c[a]) * stride;
            stride *= static_cast<size_t>(n[a]);
        }
        return at;
    }

    /// The distance from the point at `at` to the outside of the cube of cells within r rings of
    /// its cell, less the margin; infinite when the cube covers the grid (no centroid lies
    /// outside it).
    double reach(const Spot& at, int r) const
    {
        double m = std::numeric_limits<double>::infinity();
        for (int a = 0; a < A; ++a) {
            if (at.c[a] - r > 0) {
                m = std::min(m, at.to_lo[a]);
            }
            if (at.c[a] + r < n[a] - 1) {
                m = std::min(m, at.to_hi[a]);
            }
        }
        return m + r * s - margin;
    }

    /// The nearest centroid of p (lowest index on ties) and its squared distance, the float
    /// operations of squared_distance, and a lower bound on the distance to every other
    /// (other, distance units), from the window of kRings rings around p's cell, else
    /// kFarRings. known >= 0: p's squared distance to some centroid (its own, in a pass with
    /// bounds); the search then starts from the first window whose reach proves it (the nearest
    /// is no farther, so that window holds and proves it), and gives up at once when neither
    /// does. Returns false when no window proves the answer (the caller scans every centroid).
    /// D: the point dimension, 0 when known at run time only.
    template <int D>
    bool nearest(const float* p, int& best_c, float& best, double& other, double known = -1.0) const
    {
        const Spot at = locate(p);
        const Window* w = windows;
        double reached = reach(at, w->rings);
        if (known >= 0.0 && !proves(reached, known)) {
            w = windows + 1;
            reached = reach(at, w->rings);
            if (!proves(reached, known)) {
                return false;
            }
        }
        for (;;) {
            float second = 0.0f;
            scan<D>(*w, p, at.id, best_c, best, second);
            const double second_bound = (1.0 - kSlack) * std::sqrt(static_cast<double>(second));
            if (reached == std::numeric_limits<double>::infinity()) {
                // The window covers the grid: every centroid was scanned.
                other = second_bound;
                return best_c < k_count;
            }
            if (proves(reached, static_cast<double>(best))) {
                other = std::min(second_bound, reached);
                return true;
            }
            if (++w == std::end(windows)) {
                return false;
            }
            reached = reach(at, w->rings);
        }
    }

    /// Whether the window of cells within `reached` (reach()) of a point proves a nearest at
    /// squared distance best: every centroid outside it is strictly farther, with the slack.
    static bool proves(double reached, double best)
    {
        return reached > 0.0 && kSlackSquared * best < reached * reached;
    }

    /// A lower bound on the distance from p to every centroid but its own after an update, given
    /// lower, one before it (Bounds::lower), when it exceeds need: in the smallest window of
    /// cells reaching past need, lower less the window's largest move, and past the window its
    /// reach. Returns -infinity when no kept window reaches past need (or window_move is empty).
    double local_bound(const float* p, double need, double lower) const
    {
        if (window_move.empty()) {
            return -std::numeric_limits<double>::infinity();
        }
        const Spot at = locate(p);
        const size_t cells_n = start.size() - 1;
        const int kept = static_cast<int>(window_move.size() / cells_n);
        for (int r = 1; r <= kept; ++r) {
            const double reached = reach(at, r);
            if (reached > need) {
                return std::min(lower - window_move[(r - 1) * cells_n + at.id], reached);
            }
        }
        return -std::numeric_limits<double>::infinity();
    }

private:
    /// Both windows, cell-parallel on pool when given.
    void build_windows(ThreadPool* pool);

    /// Calls f(first cell of the row, first x, last x, whether the row is on the cube's shell)
    /// for every row (cells consecutive along the first grid axis) of the cube of cells within
    /// r rings of cell c, clamped to the grid, in cell order.
    template <class F>
    void for_each_row(const int c[A], int r, F&& f) const
    {
        const int x0 = std::max(c[0] - r, 0);
        const int x1 = std::min(c[0] + r, n[0] - 1);
        int z0 = 0;
        int z1 = 0;
        if constexpr (A == 3) {
            z0 = std::max(c[2] - r, 0);
            z1 = std::min(c[2] + r, n[2] - 1);
        }
        for (int z = z0; z <= z1; ++z) {
            for (int y = std::max(c[1] - r, 0); y <= std::min(c[1] + r, n[1] - 1); ++y) {
                bool shell = y == c[1] - r || y == c[1] + r;
                if constexpr (A == 3) {
                    shell = shell || z == c[2] - r || z == c[2] + r;
                }
                f((static_cast<size_t>(z) * n[1] + y) * n[0], x0, x1, shell);
            }
        }
    }

    /// The scan of window w of cell cell_id: nearest (lowest index on ties), its squared
    /// distance, the second smallest; in 8 lanes when wide.
    template <int D>
    void scan(const Window& w, const float* p, size_t cell_id, int& best_c, float& best,
              float& second) const
    {
        const int dim = D > 0 ? D : d;
#if KPIX_AVX2
        if (wide) {
            const int b0 = w.start[cell_id];
            window_two_avx2<D>(p, w.wide_coords.data() + static_cast<size_t>(b0) * dim * 8,
                               w.wide_index.data() + static_cast<size_t>(b0) * 8,
                               w.start[cell_id + 1] - b0, dim, best_c, best, second);
            return;
        }
#endif
        const float inf = std::numeric_limits<float>::infinity();
        VecF vbest = VecF{} + inf;
        VecF vsecond = VecF{} + inf;
        VecI vindex = VecI{} + std::numeric_limits<int32_t>::max();
        const VecF* q = w.coords.data() + static_cast<size_t>(w.start[cell_id]) * dim;
        for (int b = w.start[cell_id]; b < w.start[cell_id + 1]; ++b, q += dim) {
            VecF t = p[0] - q[0];
            VecF s2 = t * t;
            for (int a = 1; a < dim; ++a) {
                t = p[a] - q[a];
                s2 += t * t;
            }
            // Nearer, or as near with a lower index (the window is not in index order): s2
            // takes best's place and best is displaced to second; else s2 may be second.
            const VecI idx = w.index[b];
            const VecI nearer = (s2 < vbest) | ((s2 == vbest) & (idx < vindex));
            vsecond = lane_min(lane_max(s2, vbest), vsecond);
            vbest = lane_min(s2, vbest);
            vindex = (nearer & idx) | (~nearer & vindex);
        }
        VecF first = vbest;
        fold_nearest_two(first, vsecond);
        const VecI candidates =
            vbest == first ? vindex : VecI{} + std::numeric_limits<int32_t>::max();
        best = first[0];
        second = vsecond[0];
        best_c = hmin4(candidates)[0];
    }
};

extern template struct CentroidGrid<2>;
extern template struct CentroidGrid<3>;

/// Position runs (RGB+XY): the grid on the last two axes.
using PositionGrid = CentroidGrid<2>;
/// Colour-only runs (d = 3): the grid on all three axes.
using ColourGrid = CentroidGrid<3>;

} // namespace core::detail
