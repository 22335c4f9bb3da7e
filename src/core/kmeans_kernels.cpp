// The distance kernels' plumbing: centroid blocks for the 4- and 8-lane kernels (kmeans_simd.h),
// the run-time choice of lanes, and assign_nearest with its scalar reference twin.
#include "kmeans_simd.h"

#include <cstddef>

#include "kmeans.h"
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

template <int D>
void assign_fixed(const float* x, size_t n, int d, const float* c, int k, uint16_t* labels,
                  float* dist, bool allow_wide)
{
    CentroidBlocks blocks;
    blocks.build(c, k, d, allow_wide);
    for (size_t i = 0; i < n; ++i) {
        int best_c = 0;
        float second = 0.0f;
        nearest_two_any<D>(x + i * static_cast<size_t>(d), blocks, best_c, dist[i], second);
        labels[i] = static_cast<uint16_t>(best_c);
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

void assign_nearest(const float* x, size_t n, int d, const float* c, int k, uint16_t* labels,
                    float* dist, int max_lanes)
{
    const bool wide = max_lanes >= 8;
    switch (d) {
    case 3: detail::assign_fixed<3>(x, n, d, c, k, labels, dist, wide); break;
    case 5: detail::assign_fixed<5>(x, n, d, c, k, labels, dist, wide); break;
    default: detail::assign_fixed<0>(x, n, d, c, k, labels, dist, wide); break;
    }
}

} // namespace core
