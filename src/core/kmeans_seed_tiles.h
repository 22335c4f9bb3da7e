// The tiles k-means++'s exact seeding (kmeans_seed_exact.cpp) sums potentials over: points in
// tiles of up to 64 and super tiles, both compact in space (position blocks with xy, octree cells
// of colours without), each with its bounding box and the largest closest in it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kmeans_internal.h"
#include "kmeans_simd.h"

namespace core::detail {

/// The points in tiles of at most kTile, and tiles in super tiles, each compact in space: with
/// d >= 4 (position on) the cells of a grid over the last two axes, kSide x kSide cells to a
/// super tile; with d <= 3 (colours) the cells of an octree over every axis (cube cells, split
/// at the middle, one bit of the points' Morton codes at a time) until a cell holds at most kTile
/// points, a super tile being the first cell on the way down with at most kSuperPoints. Boxes
/// cover every axis. (Keeping a tile's points in falling order of closest, to stop at the first
/// a trial cannot lower, was measured: re-sorting the tiles a fold changes cost more than it
/// saved, and sorting once after the first centre saved nothing.)
struct SeedTiles {
    static constexpr size_t kTile = 64;
    static constexpr size_t kSide = 8;
    static constexpr size_t kSuperPoints = kTile * 64;
    int d = 0;
    std::vector<uint32_t> order;       ///< n point indices, tile after tile
    std::vector<uint32_t> tile_begin;  ///< tiles + 1 offsets into order
    std::vector<uint32_t> super_begin; ///< supers + 1 offsets into the tiles
    std::vector<uint32_t> super_of;    ///< per tile
    std::vector<float> tile_box;       ///< 2 * d per tile: minima, then maxima
    std::vector<float> super_box;      ///< 2 * d per super tile
    std::vector<float> tile_max;       ///< per tile: no closest in it is above this
    std::vector<float> super_max;      ///< per super tile: no closest in it is above this
    /// The points' coordinates in tile order, axis after axis (axis a of the point at order[j] at
    /// a * stride + j), padded by kLanes zeros: each tile's points are read as whole vectors.
    std::vector<float> soa;
    size_t stride = 0;
    std::vector<float> closest; ///< n + kLanes, tile order (padded with zeros)
    std::vector<double> weight; ///< n + kLanes, tile order; empty without weights

    size_t tiles() const { return tile_begin.size() - 1; }
    size_t supers() const { return super_begin.size() - 1; }

    void build(const Data& data, const std::vector<float>& closest_by_index, ThreadPool& pool);

    /// Tiles of kTile pixels' worth of cells over the last two axes, 8 x 8 cells to a super tile.
    void order_by_grid(const Data& data);

    /// The points sorted by Morton code (30 / d bits per axis, one cube scale for every axis,
    /// ties in index order), then cut into octree cells: a range of codes that share every bit
    /// above `bit` is split where that bit turns on.
    void order_by_octree(const Data& data);

    /// Sets tile t's largest closest (after a fold lowered some).
    void refresh_tile(size_t t)
    {
        tile_max[t] = *std::max_element(closest.begin() + tile_begin[t],
                                        closest.begin() + tile_begin[t + 1]);
    }

    void refresh_super(size_t q)
    {
        float m = 0.0f;
        for (uint32_t t = super_begin[q]; t < super_begin[q + 1]; ++t) {
            m = std::max(m, tile_max[t]);
        }
        super_max[q] = m;
    }

    /// Whether q's squared distance to box may be at most max_closest: false only
    /// when it is above max_closest with a relative margin of 2^-10, far above the float rounding
    /// of a point's squared distance (a few 2^-24), so that no point in the box, its distance
    /// computed, would be below any closest at most max_closest either.
    bool reaches(const float* box, float max_closest, const float* q) const
    {
        const double limit = static_cast<double>(max_closest) * (1.0 + 0x1p-10);
        const float* hi = box + d;
        double s = 0.0;
        // With position, its axes (the last two) first: most boxes far from q are far there.
        for (int k = 0; k < d; ++k) {
            const int a = d <= 3 ? k : k < 2 ? d - 2 + k : k - 2;
            const double c = q[a];
            const double t = std::max({0.0, box[a] - c, c - hi[a]});
            s += t * t;
            if (s > limit) {
                return false;
            }
        }
        return true;
    }
};

} // namespace core::detail
