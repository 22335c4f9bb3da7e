// Colour-only large k: the centroids bucketed on a 3D grid of colour space, so that a point the
// bounds do not settle scans only the centroids in the cells around it. Exact: same labels.
//
// kmeans_grid.h buckets centroids on two axes, which with position in the features are the
// position; with colour alone they are two of the three colour axes, and the third (colour clouds
// lie along the grey diagonal) leaves its windows holding a fifth of all centroids. Here all three
// axes are bucketed. A point in cell c scans the centroids of the cells within kRings rings of c
// (its window, precomputed per cell in vector blocks); every other centroid is at least R (the
// distance from the point to the window's faces) away, so if (1 + kSlack)^2 * best < R^2 the
// nearest is found, strictly nearer in float than anything outside (the slack is far above float
// rounding, as for the bounds); else the same in a wider window (kFarRings), and failing that the
// caller scans all. Ties go to the lowest index, as the full scan's. The second nearest in the
// window and R give the point's new lower bound.
//
// The local bound, as kmeans_grid.h's in 3D: after an update, a centroid outside the cube of cells
// within r rings of a point is at least that cube's reach away; one inside is at least the point's
// old lower bound less its move. Per cell and r, the largest move in the cube (window_move) thus
// lowers the bound where Hamerly's global largest move would drop it to zero.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "kmeans_internal.h"
#include "kmeans_simd.h"

namespace core::detail {

struct ColourGrid {
    /// Rings of cells around a point's cell that its search scans first, and next.
    static constexpr int kRings = 1;
    static constexpr int kFarRings = 2;
    /// Window radii (in rings of cells) kept in window_move.
    static constexpr int kMaxWindow = 3;
    /// Cells per centroid: most of the colour cube's cells hold no centroid.
    static constexpr double kCellsPerCentroid = 4.0;

    bool active = false;
    double o[3] = {0.0, 0.0, 0.0}; ///< the grid's corner; cell (i, j, l) starts at o + (i, j, l) s
    double s = 1.0;                ///< cell side
    double inv_s = 1.0;
    double margin = 0.0; ///< subtracted from every geometric distance: rounding of cell indices
    int n[3] = {0, 0, 0};
    int k_count = 0;
    bool wide = false;
    std::vector<int> start;      ///< cells + 1: each cell's first entry in order
    std::vector<uint16_t> order; ///< k: centroid indices, cell by cell, ascending in a cell
    std::vector<float> coords;   ///< k * 3: the centroids in that order
    /// Per cell, the centroids of the cells within `rings` rings, in blocks of 4 lanes (coords:
    /// blocks * 3 vectors, index: blocks) or, when wide, 8 (wide_coords: blocks * 3 * 8 floats,
    /// block, axis, lane; wide_index: blocks * 8); missing lanes at +inf with index INT32_MAX.
    struct Window {
        int rings = 0;
        std::vector<int> start; ///< cells + 1, in blocks
        std::vector<VecF> coords;
        std::vector<VecI> index;
        std::vector<float> wide_coords;
        std::vector<int32_t> wide_index;
    };
    Window windows[2];
    /// kMaxWindow * cells: for r = 1..kMaxWindow, the largest move (Bounds::moves) of a centroid
    /// in the (2r + 1)^3 cells around each cell; empty before the first update.
    std::vector<double> window_move;

    /// Buckets k centroids (k * 3) on a grid over their extent, about cells_per_centroid cells
    /// per centroid; the windows in 8-lane blocks when wide_ (the CPU has AVX2 and
    /// KMeansParams::max_lanes allows 8).
    void build(const float* c, int k, double cells_per_centroid, bool wide_);

    /// Where a point sits: its cell, and on each axis its distance to the cell's lower and upper
    /// faces.
    struct Spot {
        int c[3] = {0, 0, 0};
        size_t id = 0;
        double to_lo[3] = {0.0, 0.0, 0.0};
        double to_hi[3] = {0.0, 0.0, 0.0};
    };

    Spot locate(const float* p) const
    {
        Spot at;
        for (int a = 0; a < 3; ++a) {
            const double t = (p[a] - o[a]) * inv_s;
            // Truncation is floor for t >= 0; below 0 and past the last cell, the end cells.
            at.c[a] = t < 1.0 ? 0 : t >= n[a] - 1 ? n[a] - 1 : static_cast<int>(t);
            at.to_lo[a] = p[a] - (o[a] + at.c[a] * s);
            at.to_hi[a] = o[a] + (at.c[a] + 1) * s - p[a];
        }
        at.id = (static_cast<size_t>(at.c[2]) * n[1] + at.c[1]) * n[0] + at.c[0];
        return at;
    }

    /// The distance from the point at `at` to the outside of the cube of cells within r rings of
    /// its cell, less the margin; infinite when the cube covers the grid (no centroid lies outside
    /// it).
    double reach(const Spot& at, int r) const
    {
        double m = std::numeric_limits<double>::infinity();
        for (int a = 0; a < 3; ++a) {
            if (at.c[a] - r > 0) {
                m = std::min(m, at.to_lo[a]);
            }
            if (at.c[a] + r < n[a] - 1) {
                m = std::min(m, at.to_hi[a]);
            }
        }
        return m + r * s - margin;
    }

    /// The nearest centroid of p (3 floats; lowest index on ties) and its squared distance, the
    /// float operations of squared_distance, and a lower bound on the distance to every other
    /// (other, distance units), from the window of kRings rings around p's cell, else kFarRings.
    /// Returns false when neither proves the answer (the caller scans every centroid).
    bool nearest(const float* p, int& best_c, float& best, double& other) const
    {
        const Spot at = locate(p);
        for (const Window& w : windows) {
            float second = 0.0f;
            scan(w, p, at.id, best_c, best, second);
            const double second_bound = (1.0 - kSlack) * std::sqrt(static_cast<double>(second));
            const double reached = reach(at, w.rings);
            if (reached == std::numeric_limits<double>::infinity()) {
                // The window covers the grid: every centroid was scanned.
                other = second_bound;
                return best_c < k_count;
            }
            if (reached > 0.0 && kSlackSquared * static_cast<double>(best) < reached * reached) {
                other = std::min(second_bound, reached);
                return true;
            }
        }
        return false;
    }

    /// Fills window_move from every centroid's move (k, distance units).
    void build_window_moves(const std::vector<double>& moves);

    /// A lower bound on the distance from p to every centroid but its own after an update, given
    /// lower, one before it (Bounds::lower), when it exceeds need: in the smallest window of
    /// cells reaching past need, lower less the window's largest move, and past the window its
    /// reach. Returns -infinity when no window reaches past need (or window_move is empty).
    double local_bound(const float* p, double need, double lower) const
    {
        if (window_move.empty()) {
            return -std::numeric_limits<double>::infinity();
        }
        const Spot at = locate(p);
        const size_t cells_n = start.size() - 1;
        for (int r = 1; r <= kMaxWindow; ++r) {
            const double reached = reach(at, r);
            if (reached > need) {
                return std::min(lower - window_move[(r - 1) * cells_n + at.id], reached);
            }
        }
        return -std::numeric_limits<double>::infinity();
    }

private:
    void build_window(Window& w);
    void scan(const Window& w, const float* p, size_t cell_id, int& best_c, float& best,
              float& second) const;
};

} // namespace core::detail
