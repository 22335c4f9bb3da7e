// The distance kernels: one point against a block of centroids side by side in the lanes of a
// vector (4 lanes: SSE natively, SIMD128 in wasm; 8 lanes: AVX2 natively where the CPU has it),
// each lane the scalar operations of assign_nearest_scalar, so every choice gives the same bits.
//
// Centroids are transposed into blocks of lanes (block-major, then axis, then lane; missing
// centroids of the last block at +inf), and one point is compared against a whole block at once:
// each lane does exactly the scalar operations of its centroid, in the same order (t = p - c;
// s = t * t; s += t * t ...), so the distances are bit-identical. GCC/clang vector extensions
// compile to SSE natively and to simd128 in the wasm build, with no intrinsics and no platform
// checks. kmeans_kernels.cpp builds the blocks and holds the scalar twin.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

// The 8-lane AVX2 kernel: natively on x86-64 with GCC or clang, chosen at run time (wasm32 is
// not x86-64, so the wasm build never sees it).
#if defined(__x86_64__) && defined(__GNUC__)
#define KPIX_AVX2 1
#else
#define KPIX_AVX2 0
#endif

namespace core::detail {

constexpr int kLanes = 4;
using VecF = float __attribute__((vector_size(4 * kLanes)));
using VecI = int32_t __attribute__((vector_size(4 * kLanes)));
using VecD = double __attribute__((vector_size(16)));

/// Lane-wise minimum and maximum: a < b ? a : b, which is what x86's min instructions do, so
/// compilers emit one instruction (exact: a minimum rounds nothing).
template <class V>
inline V lane_min(V a, V b)
{
    return a < b ? a : b;
}

template <class V>
inline V lane_max(V a, V b)
{
    return a < b ? b : a;
}

/// std::max and std::min of two doubles, the same result bit for bit (a < b ? b : a, and
/// b < a ? b : a), for the per-point bound tests. NOTE: V8 (node 20, Chromium) compiles a scalar
/// f64 select to a branch on x64, which these data-dependent tests mispredict; in a vector lane
/// the same select is one f64x2.pmax / pmin (maxpd / minpd). Natively std::max is maxsd already.
inline double max_of(double a, double b)
{
#if defined(__wasm__)
    return lane_max(VecD{a, a}, VecD{b, b})[0];
#else
    return a < b ? b : a;
#endif
}

inline double min_of(double a, double b)
{
#if defined(__wasm__)
    return lane_min(VecD{b, b}, VecD{a, a})[0];
#else
    return b < a ? b : a;
#endif
}

inline VecF blend(VecI mask, VecF yes, VecF no)
{
    return reinterpret_cast<VecF>((mask & reinterpret_cast<VecI>(yes)) |
                                  (~mask & reinterpret_cast<VecI>(no)));
}

// Horizontal minimum of 4 lanes (exact: a minimum rounds nothing).
template <class V>
inline V hmin4(V v)
{
    v = lane_min(v, __builtin_shufflevector(v, v, 2, 3, 0, 1));
    return lane_min(v, __builtin_shufflevector(v, v, 1, 0, 3, 2));
}

/// Folds the 4 lanes of a nearest-two scan into every lane (as nearest_two_avx2 folds 8): in
/// halves, then neighbours, each lane keeping the smallest of the two firsts and the smallest of
/// the larger first and both seconds. first: each lane's smallest distance, then the smallest of
/// all; second: each lane's second smallest, then the second smallest of all (exact: minima and
/// maxima round nothing).
inline void fold_nearest_two(VecF& first, VecF& second)
{
    auto fold = [&](VecF f2, VecF s2) {
        const VecF larger = lane_max(first, f2);
        first = lane_min(first, f2);
        second = lane_min(larger, lane_min(second, s2));
    };
    fold(__builtin_shufflevector(first, first, 2, 3, 0, 1),
         __builtin_shufflevector(second, second, 2, 3, 0, 1));
    fold(__builtin_shufflevector(first, first, 1, 0, 3, 2),
         __builtin_shufflevector(second, second, 1, 0, 3, 2));
}

/// Whether this CPU runs the 8-lane kernel (false where it is not compiled in).
bool cpu_has_avx2();

/// The centroids laid out for the vector kernels: 4-lane blocks always, 8-lane blocks when
/// wide.
struct CentroidBlocks {
    int k = 0;
    int d = 0;
    int blocks = 0;
    std::vector<VecF> data; // blocks * d
    bool wide = false;
    int wide_blocks = 0;
    std::vector<float> wide_data; // wide_blocks * d * 8

    /// c: k * d centroids. allow_wide: use the 8-lane blocks where the CPU has AVX2
    /// (KMeansParams::max_lanes).
    void build(const float* c, int k_, int d_, bool allow_wide);
};

#if KPIX_AVX2
// The 8-lane twin of nearest_two_vec for x86 CPUs with AVX2, chosen at run time. Each lane still
// does its centroid's scalar operations in the scalar order (AVX2 has no FMA, and
// -ffp-contract=off keeps it so), and the reduction over lanes gives the same nearest (lowest
// index on ties) and the same second-smallest distance as 4 lanes or none: both are properties
// of the multiset of distances, not of how it is split into lanes.
using VecF8 = float __attribute__((vector_size(32), aligned(4)));
using VecI8 = int32_t __attribute__((vector_size(32)));

// lane_min and lane_max for 8 lanes, and the horizontal minimum (exact: a minimum rounds
// nothing).
template <class V>
__attribute__((target("avx2"), always_inline)) inline V min8(V a, V b)
{
    return a < b ? a : b;
}

template <class V>
__attribute__((target("avx2"), always_inline)) inline V max8(V a, V b)
{
    return a < b ? b : a;
}

template <class V>
__attribute__((target("avx2"), always_inline)) inline V hmin8(V v)
{
    v = min8(v, __builtin_shufflevector(v, v, 4, 5, 6, 7, 0, 1, 2, 3));
    v = min8(v, __builtin_shufflevector(v, v, 2, 3, 0, 1, 6, 7, 4, 5));
    return min8(v, __builtin_shufflevector(v, v, 1, 0, 3, 2, 5, 4, 7, 6));
}

template <int D>
__attribute__((target("avx2"), noinline)) void nearest_two_avx2(const float* p, const float* cb,
                                                               int blocks, int d_runtime,
                                                               int& best_c, float& best,
                                                               float& second)
{
    const int d = D > 0 ? D : d_runtime;
    const float inf = std::numeric_limits<float>::infinity();
    VecF8 vbest = VecF8{} + inf;
    VecF8 vsecond = VecF8{} + inf;
    VecI8 vindex = VecI8{};
    const VecI8 lane = {0, 1, 2, 3, 4, 5, 6, 7};
    const VecF8* c = reinterpret_cast<const VecF8*>(cb);
    for (int b = 0; b < blocks; ++b, c += d) {
        VecF8 t = p[0] - c[0];
        VecF8 s = t * t;
        for (int a = 1; a < d; ++a) {
            t = p[a] - c[a];
            s += t * t;
        }
        // Nearer: s takes best's place and best is displaced to second; else s may be second.
        const VecI8 nearer = s < vbest;
        vsecond = min8(max8(s, vbest), vsecond);
        vbest = min8(s, vbest);
        vindex = (nearer & (lane + b * 8)) | (~nearer & vindex);
    }
    // Folding the lanes in halves, pairs, neighbours: each lane's smallest and second smallest
    // of the two lanes it meets (min of the firsts; min of the larger first and both seconds),
    // then the lowest index among the lanes holding the smallest.
    VecF8 first = vbest;
    auto fold = [&](VecF8 f2, VecF8 s2) __attribute__((target("avx2"), always_inline)) {
        const VecF8 larger = max8(first, f2);
        first = min8(first, f2);
        vsecond = min8(larger, min8(vsecond, s2));
    };
    fold(__builtin_shufflevector(first, first, 4, 5, 6, 7, 0, 1, 2, 3),
         __builtin_shufflevector(vsecond, vsecond, 4, 5, 6, 7, 0, 1, 2, 3));
    fold(__builtin_shufflevector(first, first, 2, 3, 0, 1, 6, 7, 4, 5),
         __builtin_shufflevector(vsecond, vsecond, 2, 3, 0, 1, 6, 7, 4, 5));
    fold(__builtin_shufflevector(first, first, 1, 0, 3, 2, 5, 4, 7, 6),
         __builtin_shufflevector(vsecond, vsecond, 1, 0, 3, 2, 5, 4, 7, 6));
    const VecI8 candidates = vbest == first ? vindex : VecI8{} + 0x7FFFFFFF;
    best = first[0];
    second = vsecond[0];
    best_c = hmin8(candidates)[0];
}

/// The 8-lane scan of centroids not in index order (a window of CentroidGrid; index holds each
/// lane's centroid, INT32_MAX for a missing one): the nearest (lowest index on ties), its squared
/// distance and the second smallest, what a scalar loop over the same centroids gives.
using VecI8u = int32_t __attribute__((vector_size(32), aligned(4)));

template <int D>
__attribute__((target("avx2"), noinline)) void window_two_avx2(const float* p, const float* cb,
                                                              const int32_t* index, int blocks,
                                                              int d_runtime, int& best_c,
                                                              float& best, float& second)
{
    const int d = D > 0 ? D : d_runtime;
    const float inf = std::numeric_limits<float>::infinity();
    VecF8 vbest = VecF8{} + inf;
    VecF8 vsecond = VecF8{} + inf;
    VecI8 vindex = VecI8{} + std::numeric_limits<int32_t>::max();
    const VecF8* c = reinterpret_cast<const VecF8*>(cb);
    const VecI8u* ids = reinterpret_cast<const VecI8u*>(index);
    for (int b = 0; b < blocks; ++b, c += d) {
        VecF8 t = p[0] - c[0];
        VecF8 s = t * t;
        for (int a = 1; a < d; ++a) {
            t = p[a] - c[a];
            s += t * t;
        }
        // Nearer, or as near with a lower index: s takes best's place and best is displaced to
        // second; else s may be second.
        const VecI8 idx = ids[b];
        const VecI8 nearer = (s < vbest) | ((s == vbest) & (idx < vindex));
        vsecond = min8(max8(s, vbest), vsecond);
        vbest = min8(s, vbest);
        vindex = (nearer & idx) | (~nearer & vindex);
    }
    VecF8 first = vbest;
    auto fold = [&](VecF8 f2, VecF8 s2) __attribute__((target("avx2"), always_inline)) {
        const VecF8 larger = max8(first, f2);
        first = min8(first, f2);
        vsecond = min8(larger, min8(vsecond, s2));
    };
    fold(__builtin_shufflevector(first, first, 4, 5, 6, 7, 0, 1, 2, 3),
         __builtin_shufflevector(vsecond, vsecond, 4, 5, 6, 7, 0, 1, 2, 3));
    fold(__builtin_shufflevector(first, first, 2, 3, 0, 1, 6, 7, 4, 5),
         __builtin_shufflevector(vsecond, vsecond, 2, 3, 0, 1, 6, 7, 4, 5));
    fold(__builtin_shufflevector(first, first, 1, 0, 3, 2, 5, 4, 7, 6),
         __builtin_shufflevector(vsecond, vsecond, 1, 0, 3, 2, 5, 4, 7, 6));
    const VecI8 candidates =
        vbest == first ? vindex : VecI8{} + std::numeric_limits<int32_t>::max();
    best = first[0];
    second = vsecond[0];
    best_c = hmin8(candidates)[0];
}

#endif

/// The nearest centroid of one point (lowest index on ties) and its squared distance, with the
/// second-smallest distance (for Hamerly's lower bound): what a scalar loop over the centroids in
/// index order gives. D the dimension (0: known at run time only).
template <int D>
inline void nearest_two_vec(const float* p, const CentroidBlocks& cb, int& best_c, float& best,
                            float& second)
{
    const int d = D > 0 ? D : cb.d;
    const float inf = std::numeric_limits<float>::infinity();
    VecF vbest = VecF{} + inf;
    VecF vsecond = VecF{} + inf;
    VecI vindex = VecI{};
    VecI lane = VecI{};
    for (int l = 0; l < kLanes; ++l) {
        lane[l] = l;
    }
    const VecF* c = cb.data.data();
    for (int b = 0; b < cb.blocks; ++b, c += d) {
        VecF t = p[0] - c[0];
        VecF s = t * t;
        for (int a = 1; a < d; ++a) {
            t = p[a] - c[a];
            s += t * t;
        }
        // Nearer: s takes best's place and best is displaced to second; else s may be second.
        const VecI nearer = s < vbest;
        vsecond = lane_min(lane_max(s, vbest), vsecond);
        vbest = lane_min(s, vbest);
        vindex = (nearer & (lane + b * kLanes)) | (~nearer & vindex);
    }
    // The lowest index among the lanes holding the smallest.
    VecF first = vbest;
    fold_nearest_two(first, vsecond);
    const VecI candidates = vbest == first ? vindex : VecI{} + 0x7FFFFFFF;
    best = first[0];
    second = vsecond[0];
    best_c = hmin4(candidates)[0];
}

/// nearest_two_vec, or its 8-lane twin when the blocks were built for it: the same results.
template <int D>
inline void nearest_two_any(const float* p, const CentroidBlocks& cb, int& best_c, float& best,
                            float& second)
{
#if KPIX_AVX2
    if (cb.wide) {
        nearest_two_avx2<D>(p, cb.wide_data.data(), cb.wide_blocks, cb.d, best_c, best, second);
        return;
    }
#endif
    nearest_two_vec<D>(p, cb, best_c, best, second);
}

} // namespace core::detail
