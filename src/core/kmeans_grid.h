// The centroid grid for large k: centroids bucketed by their last two coordinates (the position
// in RGB+XY features), so that a point scans only the centroids that can be nearest, and a
// point's lower bound drops only by the moves of the centroids near it. Exact: same labels.
//
// Any two axes give a lower bound: a point's squared distance to a centroid is at least their
// squared distance on those axes. A point in cell (cx, cy) scans the centroids of the cells within
// kRings rings of it (its window, precomputed per cell in vector blocks); every other centroid is
// at least R (the distance from the point to the window's edge) away, so if (1 + kSlack)^2 * best
// < R^2 the nearest is found, strictly nearer in float than anything outside (the slack is far
// above float rounding, as for the bounds); else the same in a wider window (kFarRings), and
// failing that the caller scans all. Ties are broken by index,
// as the full scan does. The distance to the second nearest in the window and R give the point's
// new lower bound.
//
// For a point already assigned, a centroid whose new position lies outside the window of cells
// within r rings is at least the distance to that window's edge away; one inside is at least the
// point's old lower bound less its move. Per cell and r, the largest move in the window
// (window_move) thus lowers the bound where Hamerly's global largest move would drop it to zero.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "kmeans_internal.h"
#include "kmeans_simd.h"

namespace core::detail {

struct CentroidGrid {
    /// Window radii (in rings of cells) kept in window_move.
    static constexpr int kMaxWindow = 4;
    /// Rings of cells around a point's cell that its search scans first, and next.
    static constexpr int kRings = 3;
    static constexpr int kFarRings = 6;

    bool active = false;
    int d = 0;
    int ax = 0; ///< the two axes: d - 2 and d - 1
    int ay = 0;
    double x0 = 0.0;  ///< the grid's corner; cell (i, j) covers [x0 + i s, x0 + (i + 1) s) ...
    double y0 = 0.0;
    double s = 1.0;   ///< cell side
    double inv_s = 1.0;
    double margin = 0.0; ///< subtracted from every geometric distance: rounding of cell indices
    int nx = 0;
    int ny = 0;
    int k_count = 0;
    std::vector<int> start;        ///< nx * ny + 1: each cell's first entry in order
    std::vector<uint16_t> order;   ///< k: centroid indices, cell by cell, ascending in a cell
    std::vector<float> coords;     ///< k * d: the centroids in that order
    /// Per cell, the centroids of its window (the cells within `rings` rings) in 4-lane blocks
    /// (as CentroidBlocks; missing lanes at +inf with index INT32_MAX): blocks
    /// [start[cell], start[cell + 1]), coords blocks * d, index blocks. With wide (the CPU has
    /// AVX2 and KMeansParams::max_lanes allows 8) the blocks have 8 lanes instead and start
    /// counts those: wide_coords blocks * d * 8 floats (block, axis, lane), wide_index blocks * 8.
    struct Window {
        int rings = 0;
        std::vector<int> start;
        std::vector<VecF> coords;
        std::vector<VecI> index;
        std::vector<float> wide_coords;
        std::vector<int32_t> wide_index;
    };
    /// The windows a search tries in turn: kRings rings, then kFarRings for the points that
    /// window cannot settle (far from every centroid near them), before the scan over all k.
    Window windows[2];
    bool wide = false;
    /// kMaxWindow * nx * ny: for r = 1..kMaxWindow, the largest move (Bounds::moves) of a
    /// centroid in the (2r + 1)^2 cells around each cell.
    std::vector<double> window_move;

    /// Buckets k centroids (k * d) on a grid covering them and box (the points' extent on the
    /// two axes: x min, x max, y min, y max), about cells_per_centroid cells per centroid; the
    /// windows in 8-lane blocks when wide_ (see wide).
    void build(const float* c, int k, int d_, const double box[4], double cells_per_centroid,
               bool wide_);
    /// Fills w (its rings set) from the buckets.
    void build_window(Window& w);
    /// Fills window_move from every centroid's move (k, distance units).
    void build_window_moves(const std::vector<double>& moves);
    /// half_gap (k): half the distance from each centroid to its nearest other, deflated by
    /// kSlack (the bound Hamerly's test uses), found by ring search.
    void half_gaps(const float* c, int k, std::vector<double>& half_gap) const;

    int cell_x(double v) const { return clamp_cell(std::floor((v - x0) * inv_s), nx); }
    int cell_y(double v) const { return clamp_cell(std::floor((v - y0) * inv_s), ny); }

    /// The distance from (px, py) in cell (cx, cy) to the outside of the square of cells within
    /// r rings, less the margin; infinite when the square covers the grid.
    double reach(double px, double py, int cx, int cy, int r) const
    {
        const double inf = std::numeric_limits<double>::infinity();
        const double left = cx - r <= 0 ? inf : px - (x0 + (cx - r) * s);
        const double right = cx + r >= nx - 1 ? inf : x0 + (cx + r + 1) * s - px;
        const double below = cy - r <= 0 ? inf : py - (y0 + (cy - r) * s);
        const double above = cy + r >= ny - 1 ? inf : y0 + (cy + r + 1) * s - py;
        return std::min(std::min(left, right), std::min(below, above)) - margin;
    }

    /// Whether the square of cells within r rings of (cx, cy) covers the grid.
    bool covers(int cx, int cy, int r) const
    {
        return cx - r <= 0 && cx + r >= nx - 1 && cy - r <= 0 && cy + r >= ny - 1;
    }

    /// The nearest centroid of p (lowest index on ties) and its squared distance, the float
    /// operations of squared_distance, and a lower bound on the distance to every other
    /// (other, distance units), from the centroids within kRings rings of p's cell (its first
    /// window), else within kFarRings. Returns false when neither can prove the answer (the
    /// caller scans every centroid).
    template <int D>
    bool nearest(const float* p, int& best_c, float& best, double& other) const
    {
        const double px = p[ax];
        const double py = p[ay];
        const int cx = cell_x(px);
        const int cy = cell_y(py);
        const int cell = cy * nx + cx;
        for (const Window& w : windows) {
            float second = 0.0f;
            scan<D>(w, p, cell, best_c, best, second);
            const double second_bound = (1.0 - kSlack) * std::sqrt(static_cast<double>(second));
            if (covers(cx, cy, w.rings)) {
                other = second_bound;
                return best_c < k_count;
            }
            const double reached = reach(px, py, cx, cy, w.rings);
            if (reached > 0.0 && kSlackSquared * static_cast<double>(best) < reached * reached) {
                other = std::min(second_bound, reached);
                return true;
            }
        }
        return false;
    }

private:
    /// The scan of cell's window w: nearest (lowest index on ties), its squared distance, the
    /// second smallest; in 8 lanes when wide.
    template <int D>
    void scan(const Window& w, const float* p, int cell, int& best_c, float& best,
              float& second) const
    {
        const int dim = D > 0 ? D : d;
#if KPIX_AVX2
        if (wide) {
            const int b0 = w.start[cell];
            window_two_avx2<D>(p, w.wide_coords.data() + static_cast<size_t>(b0) * dim * 8,
                               w.wide_index.data() + static_cast<size_t>(b0) * 8,
                               w.start[cell + 1] - b0, dim, best_c, best, second);
            return;
        }
#endif
        const float inf = std::numeric_limits<float>::infinity();
        VecF vbest = VecF{} + inf;
        VecF vsecond = VecF{} + inf;
        VecI vindex = VecI{} + std::numeric_limits<int32_t>::max();
        const VecF* q = w.coords.data() + static_cast<size_t>(w.start[cell]) * dim;
        for (int b = w.start[cell]; b < w.start[cell + 1]; ++b, q += dim) {
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
        const VecI candidates = vbest == first ? vindex : VecI{} + std::numeric_limits<int32_t>::max();
        best = first[0];
        second = vsecond[0];
        best_c = hmin4(candidates)[0];
    }

    static int clamp_cell(double v, int n)
    {
        return v < 0.0 ? 0 : v >= n - 1 ? n - 1 : static_cast<int>(v);
    }
};

} // namespace core::detail
