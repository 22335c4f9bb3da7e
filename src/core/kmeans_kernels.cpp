// The distance kernels' plumbing: centroid blocks for the 4- and 8-lane kernels (kmeans_simd.h),
// the run-time choice of lanes, and NearestCentroids (assign_nearest) with its scalar reference
// twin.
#include "kmeans_simd.h"

#include <cstddef>

#include "kmeans.h"
#include "kmeans_grid.h"
#include "kmeans_internal.h"

namespace core {
namespace detail {
namespace {

/// Centroids transposed into blocks of L lanes (block-major, then axis, then lane; missing
/// centroids of the last block at +inf), as flat floats.
template <int L>
void transpose_blocks(const float* c, int k, int d, std::vector<float>& out)
{
    const int blocks = (k + L - 1) / L;
    out.assign(static_cast<size_t>(blocks) * d * L, 0.0f);
    for (int b = 0; b < blocks; ++b) {
        for (int a = 0; a < d; ++a) {
            for (int l = 0; l < L; ++l) {
                const int j = b * L + l;
                out[(static_cast<size_t>(b) * d + a) * L + l] =
                    j < k ? c[static_cast<size_t>(j) * d + a] : std::numeric_limits<float>::infinity();
            }
        }
    }
}

/// Points [0, n) against the blocks, or first the grid when it is active (D: the dimension, 0
/// when known at run time only).
template <int D, class Grid>
void assign_fixed(const float* x, size_t n, int d, const CentroidBlocks& blocks, const Grid& grid,
                  uint16_t* labels, float* dist)
{
    for (size_t i = 0; i < n; ++i) {
        const float* p = x + i * static_cast<size_t>(d);
        int best_c = 0;
        double other = 0.0;
        if (!grid.active || !grid.template nearest<D>(p, best_c, dist[i], other)) {
            float second = 0.0f;
            nearest_two_any<D>(p, blocks, best_c, dist[i], second);
        }
        labels[i] = static_cast<uint16_t>(best_c);
    }
}

template <class Grid>
void assign_with(const float* x, size_t n, int d, const CentroidBlocks& blocks, const Grid& grid,
                 uint16_t* labels, float* dist)
{
    switch (d) {
    case 3: assign_fixed<3>(x, n, d, blocks, grid, labels, dist); break;
    case 5: assign_fixed<5>(x, n, d, blocks, grid, labels, dist); break;
    default: assign_fixed<0>(x, n, d, blocks, grid, labels, dist); break;
    }
}

} // namespace

bool cpu_has_avx2()
{
#if KPIX_AVX2
    static const bool has = __builtin_cpu_supports("avx2");
    return has;
#else
    return false;
#endif
}

void CentroidBlocks::build(const float* c, int k_, int d_, bool allow_wide)
{
    k = k_;
    d = d_;
    blocks = (k + kLanes - 1) / kLanes;
    std::vector<float> flat;
    transpose_blocks<kLanes>(c, k, d, flat);
    data.assign(static_cast<size_t>(blocks) * d, VecF{});
    for (size_t v = 0; v < data.size(); ++v) {
        for (int l = 0; l < kLanes; ++l) {
            data[v][l] = flat[v * kLanes + l];
        }
    }
    wide = allow_wide && cpu_has_avx2();
    if (wide) {
        wide_blocks = (k + 7) / 8;
        transpose_blocks<8>(c, k, d, wide_data);
    }
}

} // namespace detail

int kernel_lanes(int max_lanes)
{
    return max_lanes >= 8 && detail::cpu_has_avx2() ? 8 : detail::kLanes;
}

void assign_nearest_scalar(const float* x, size_t n, int d, const float* c, int k,
                           uint16_t* labels, float* dist)
{
    for (size_t i = 0; i < n; ++i) {
        const float* p = x + i * static_cast<size_t>(d);
        float best = std::numeric_limits<float>::infinity();
        int best_c = 0;
        for (int j = 0; j < k; ++j) {
            const float s = detail::squared_distance(p, c + static_cast<size_t>(j) * d, d);
            if (s < best) {
                best = s;
                best_c = j;
            }
        }
        labels[i] = static_cast<uint16_t>(best_c);
        dist[i] = best;
    }
}

/// The centroids in vector blocks, and from kGridMinK on one grid: colour's three axes when the
/// features are colour alone, else the last two (position), as the Lloyd rounds choose. Points
/// outside the grid are still answered exactly (the grid's reach counts only its inner faces).
struct NearestCentroids::Search {
    int d = 0;
    detail::CentroidBlocks blocks;
    detail::PositionGrid position;
    detail::ColourGrid colour;
};

NearestCentroids::NearestCentroids(const float* c, int k, int d, int max_lanes)
    : search_(std::make_unique<Search>())
{
    search_->d = d;
    search_->blocks.build(c, k, d, max_lanes >= 8);
    if (k >= detail::kGridMinK && d == 3) {
        search_->colour.build(c, k, d, nullptr, detail::ColourGrid::kCellsPerCentroid,
                              search_->blocks.wide);
    } else if (k >= detail::kGridMinK && d > 3) {
        search_->position.build(c, k, d, nullptr, detail::PositionGrid::kCellsPerCentroid,
                                search_->blocks.wide);
    }
}

NearestCentroids::~NearestCentroids() = default;

void NearestCentroids::assign(const float* x, size_t n, uint16_t* labels, float* dist) const
{
    const Search& s = *search_;
    if (s.colour.active) {
        detail::assign_with(x, n, s.d, s.blocks, s.colour, labels, dist);
    } else {
        detail::assign_with(x, n, s.d, s.blocks, s.position, labels, dist);
    }
}

void assign_nearest(const float* x, size_t n, int d, const float* c, int k, uint16_t* labels,
                    float* dist, int max_lanes)
{
    NearestCentroids(c, k, d, max_lanes).assign(x, n, labels, dist);
}

} // namespace core
