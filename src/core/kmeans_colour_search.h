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
#pragma once

#include <cmath>
#include <cstdint>
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

    /// The nearest centroid of p (3 floats; lowest index on ties) and its squared distance, the
    /// float operations of squared_distance, and a lower bound on the distance to every other
    /// (other, distance units), from the window of kRings rings around p's cell, else kFarRings.
    /// Returns false when neither proves the answer (the caller scans every centroid).
    bool nearest(const float* p, int& best_c, float& best, double& other) const;

    /// Fills window_move from every centroid's move (k, distance units).
    void build_window_moves(const std::vector<double>& moves);

    /// A lower bound on the distance from p to every centroid but its own after an update, given
    /// lower, one before it (Bounds::lower), when it exceeds need: in the smallest window of
    /// cells reaching past need, lower less the window's largest move, and past the window its
    /// reach. Returns -infinity when no window reaches past need (or window_move is empty).
    double local_bound(const float* p, double need, double lower) const;

    /// The cell holding v on axis a (clamped to the grid).
    int cell(double v, int a) const
    {
        const double t = std::floor((v - o[a]) * inv_s);
        return t < 0.0 ? 0 : t >= n[a] - 1 ? n[a] - 1 : static_cast<int>(t);
    }

    /// The distance from p in cell c to the outside of the cube of cells within r rings, less the
    /// margin; infinite when the cube covers the grid (no centroid lies outside it).
    double reach(const float* p, const int c[3], int r) const;

private:
    void build_window(Window& w);
    void scan(const Window& w, const float* p, int cell, int& best_c, float& best,
              float& second) const;
};

} // namespace core::detail
