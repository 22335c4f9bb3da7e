// The tiles k-means++'s exact seeding (kmeans_seed_exact.cpp) sums potentials over: points in
// tiles of up to 128 and super tiles, both compact in space (position blocks with xy, each cut into
// tiles across colour and position; octree cells of colours without), each with its bounding box
// and the largest closest in it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "kmeans_internal.h"
#include "kmeans_simd.h"

namespace core::detail {

/// The points in tiles of at most kTile, and tiles in super tiles, each compact in space: with
/// d >= 4 (position on) a super tile is kSide x kSide cells of a grid over the last two axes,
/// and its points are then cut into tiles compact in every axis (split_supers: a tile of pixels
/// side by side spans an edge's colours, and its wide box let a trial reach it; measured at
/// rgb+xy 4 MP k = 1000, the whole --max-iter 1 run 4.1 -> 3.0 s of CPU, the same centres);
/// with d <= 3 (colours) the cells of an octree over every axis (cube cells, split at the
/// middle, one bit of the points' Morton codes at a time) until a cell holds at most kTile
/// points, a super tile being the first cell on the way down with at most kSuperPoints. Boxes
/// cover every axis. Tiles of 128 rather than 64 once cut across colour: rgb+xy 4 MP
/// --max-iter 1, CPU 2.72 -> 2.27 s at k = 1000 and 5.58 -> 5.06 s at k = 4096 (medians of 3
/// alternated, load 5), k = 256 and colours alone unchanged. (Keeping a tile's points in
/// falling order of closest, to stop at the first a trial cannot lower, was measured:
/// re-sorting the tiles a fold changes cost more than it saved, and sorting once after the
/// first centre saved nothing.)
struct SeedTiles {
    static constexpr size_t kTile = 128;
    static constexpr size_t kSide = 8;
    static constexpr size_t kSuperPoints = kTile * 64;
    int d = 0;
    std::vector<uint32_t> order;       ///< n point indices, tile after tile
    std::vector<uint32_t> tile_begin;  ///< tiles + 1 offsets into order
    std::vector<uint32_t> super_begin; ///< supers + 1 offsets into the tiles
    /// The tiles' boxes, axis after axis: axis a of tile t at a * tile_stride + t, padded by
    /// kLanes tiles (with tile_max 0: never reached).
    std::vector<float> tile_lo;
    std::vector<float> tile_hi;
    size_t tile_stride = 0;
    std::vector<float> super_box;      ///< 2 * d per super tile
    std::vector<float> tile_max;       ///< per tile (and padding): no closest in it is above this
    std::vector<float> super_max;      ///< per super tile: no closest in it is above this
    /// The points' coordinates in tile order, axis after axis (axis a of the point at order[j] at
    /// a * stride + j), padded by kLanes zeros: each tile's points are read as whole vectors.
    std::vector<float> soa;
    size_t stride = 0;
    std::vector<float> closest; ///< n + kLanes, tile order (padded with zeros)
    std::vector<double> weight; ///< n + kLanes, tile order; empty without weights

    size_t tiles() const { return tile_begin.size() - 1; }
    size_t supers() const { return super_begin.size() - 1; }

    /// Orders the points into tiles and super tiles, copies their coordinates, closest (from
    /// closest_by_index) and weights in that order, and sets the boxes and largest closest.
    void build(const Data& data, const std::vector<float>& closest_by_index, ThreadPool& pool);

    /// Tiles of kTile pixels' worth of cells over the last two axes, 8 x 8 cells to a super tile.
    void order_by_grid(const Data& data, ThreadPool& pool);

    /// Recuts each super tile's points into tiles compact in every axis (colour too): a range
    /// of more than kTile points is cut across its widest axis at a whole number of tiles near
    /// its middle.
    void split_supers(const Data& data, ThreadPool& pool);

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

    /// Sets super tile q's largest closest from its tiles'.
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

    /// For the tiles [first, last): reached[t - first] = whether q may bring a point of tile t
    /// below its closest. Exact without a margin: the box's squared distance is computed in
    /// float with squared_distance's operations in its order (axis 0 first), and rounding is
    /// monotonic, so it is never above the distance computed for a point in the box; a tile is
    /// left out only when it is at least the tile's largest closest.
    void reached_tiles(size_t first, size_t last, const float* q, uint8_t* reached) const
    {
        for (size_t t = first; t < last; t += kLanes) {
            VecF s{};
            for (int a = 0; a < d; ++a) {
                const VecF c = VecF{} + q[a];
                const VecF lo = load4(tile_lo.data() + a * tile_stride + t);
                const VecF hi = load4(tile_hi.data() + a * tile_stride + t);
                const VecF gap = lane_max(VecF{}, lane_max(lo - c, c - hi));
                s = a == 0 ? gap * gap : s + gap * gap;
            }
            const VecI r = s < load4(tile_max.data() + t);
            for (int l = 0; l < kLanes && t + l < last; ++l) {
                reached[t + l - first] = r[l] != 0;
            }
        }
    }

    static VecF load4(const float* p)
    {
        VecF v;
        std::memcpy(&v, p, sizeof v);
        return v;
    }
};

} // namespace core::detail
