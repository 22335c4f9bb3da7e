// The runs k-means++ at small k skips (kmeans_seeding.cpp): consecutive points with their box
// and largest closest, what reaches each run, and the 8-lane trial pass over them.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "kmeans_internal.h"
#include "kmeans_seed_tiles.h"
#include "kmeans_simd.h"

namespace core::detail {

/// The points of every group in runs of RunTiles::kRun consecutive points (the last of a group
/// may be shorter), each with its bounding box and its largest closest, in a SeedTiles' box
/// arrays (tile_lo, tile_hi, tile_max; its point order is not used: a run's points stay in
/// place, so every sum still runs over the points in order). A run no trial and not the pending
/// centre reaches (SeedTiles::reached_tiles: exact, no point of the box is nearer in float than
/// the box) reads no features: the pending centre lowers none of its closest and every trial
/// adds closest[i], the same additions in the same order. Runs of group g are the slots
/// g * per_group onwards, per_group a multiple of kLanes so that reached_tiles, reading whole
/// vectors, never reads another group's runs (updated by another thread); unused slots have
/// tile_max 0 and are never reached.
struct RunTiles {
    /// Measured on the 4 MP photo, rgb+xy k = 16: runs of 8, 16, 64 and 256 points leave 52,
    /// 47, 36 and 22 % of the points' passes unread; runs of 16 and of 64 seeded 3-10 % slower
    /// than 32 (the boxes' tests against the reads they save). Every point still adds to each
    /// trial's sum in order, one dependent addition after another: that chain alone is the time of
    /// the skipped runs (some 15 % of the pass in perf), the floor of any skipping in a group.
    static constexpr size_t kRun = 32;
    SeedTiles boxes;
    size_t per_group = 0;

    void init(const Data& data, size_t groups)
    {
        const size_t runs = (group_size(data.n) + kRun - 1) / kRun;
        per_group = (runs + kLanes - 1) / kLanes * kLanes;
        boxes.d = data.d;
        boxes.tile_stride = groups * per_group + kLanes;
        boxes.tile_lo.assign(boxes.tile_stride * data.d, 0.0f);
        boxes.tile_hi.assign(boxes.tile_stride * data.d, 0.0f);
        boxes.tile_max.assign(boxes.tile_stride, 0.0f);
    }

    /// Sets the runs of group g (points [b, e)): their boxes and largest closest.
    void set_group(const Data& data, const float* closest, size_t g, size_t b, size_t e)
    {
        if (data.d == 5) {
            set_group_d<5>(data, closest, g, b, e);
        } else if (data.d == 3) {
            set_group_d<3>(data, closest, g, b, e);
        } else {
            set_group_d<0>(data, closest, g, b, e);
        }
    }

    /// D the dimension (0: known at run time only, up to 8 axes at a time). Point by point, every
    /// axis at once: with D fixed the box stays in registers.
    template <int D>
    void set_group_d(const Data& data, const float* closest, size_t g, size_t b, size_t e)
    {
        constexpr int kAxes = D > 0 ? D : 8;
        const int d = data.d;
        for (size_t r = 0, rb = b; rb < e; ++r, rb += kRun) {
            const size_t re = std::min(e, rb + kRun);
            const size_t t = g * per_group + r;
            for (int a0 = 0; a0 < d; a0 += kAxes) {
                const int axes = std::min(kAxes, d - a0);
                float lo[kAxes];
                float hi[kAxes];
                for (int a = 0; a < axes; ++a) {
                    lo[a] = hi[a] = data.point(rb)[a0 + a];
                }
                for (size_t i = rb + 1; i < re; ++i) {
                    const float* p = data.point(i) + a0;
                    for (int a = 0; a < axes; ++a) {
                        lo[a] = std::min(lo[a], p[a]);
                        hi[a] = std::max(hi[a], p[a]);
                    }
                }
                for (int a = 0; a < axes; ++a) {
                    boxes.tile_lo[(a0 + a) * boxes.tile_stride + t] = lo[a];
                    boxes.tile_hi[(a0 + a) * boxes.tile_stride + t] = hi[a];
                }
            }
            boxes.tile_max[t] = *std::max_element(closest + rb, closest + re);
        }
    }
};

/// What may lower a closest in run g * per_group + r (SeedTiles::reached_tiles): reached[r] has
/// kPendingReaches when the pending centre (not nullptr) may, kTrialReaches when a trial may.
constexpr uint8_t kPendingReaches = 1;
constexpr uint8_t kTrialReaches = 2;

inline void runs_reached(const RunTiles& runs, size_t g, const float* pending,
                         const std::vector<const float*>& trials, std::vector<uint8_t>& reached,
                         std::vector<uint8_t>& one)
{
    // Locals, not members: byte stores may alias anything, and would reload them per byte.
    const size_t count = runs.per_group;
    const size_t first = g * count;
    reached.assign(count, 0);
    one.resize(count);
    uint8_t* out = reached.data();
    const uint8_t* in = one.data();
    for (size_t t = 0; t <= trials.size(); ++t) {
        const float* q = t == 0 ? pending : trials[t - 1];
        if (q) {
            runs.boxes.reached_tiles(first, first + count, q, one.data());
            // reached_tiles writes 0 or 1.
            const uint8_t flag = t == 0 ? kPendingReaches : kTrialReaches;
            for (size_t r = 0; r < count; ++r) {
                out[r] = static_cast<uint8_t>(out[r] | in[r] * flag);
            }
        }
    }
}

#if KPIX_AVX2
using VecD4 = double __attribute__((vector_size(32)));
using VecD8 = double __attribute__((vector_size(64)));

/// Point i's squared distances to the 8 lanes of c (d vectors), squared_distance's operations.
template <int D>
__attribute__((target("avx2"), always_inline)) inline VecF8 lane_distances(const Data& data,
                                                                          const VecF8* c, size_t i)
{
    const int dim = D > 0 ? D : data.d;
    const float* p = data.point(i);
    VecF8 t = p[0] - c[0];
    VecF8 s = t * t;
    for (int a = 1; a < dim; ++a) {
        t = p[a] - c[a];
        s += t * t;
    }
    return s;
}

/// Point i's part of every trial's sum: weight * min(closest, distance), lanes 0-3 into acc0,
/// 4-7 into acc1 when Two.
template <bool Weighted, bool Two>
__attribute__((target("avx2"), always_inline)) inline void add_trials(const Data& data, size_t i,
                                                                     VecF8 s, float cl,
                                                                     VecD4& acc0, VecD4& acc1)
{
    const VecF8 m = min8(s, VecF8{cl, cl, cl, cl, cl, cl, cl, cl});
    // All 8 lanes converted at once: GCC 12 splits a 4-lane conversion in two.
    const VecD8 dd = __builtin_convertvector(m, VecD8);
    VecD4 lo = __builtin_shufflevector(dd, dd, 0, 1, 2, 3);
    if constexpr (Weighted) {
        lo = data.w[i] * lo;
    }
    acc0 += lo;
    if constexpr (Two) {
        VecD4 hi = __builtin_shufflevector(dd, dd, 4, 5, 6, 7);
        if constexpr (Weighted) {
            hi = data.w[i] * hi;
        }
        acc1 += hi;
    }
}

/// The pruned trial pass over group g (points [b, e)) on 8 lanes: lanes 0-6 the trials (lanes
/// past the last repeat the first and are not read), lane 7 the pending centre (+inf without
/// one: never nearer). q: d * 8 floats, axis after axis. Every lane does squared_distance's
/// operations, the fold and the trial minima are min(closest, distance) as in the 4-lane
/// kernel, and each trial's sum gets the same additions in the same order, so it gives the
/// same bits; no branch per point. A run nothing reaches adds closest to every sum; one only
/// trials reach leaves closest as it is (the pending centre lowers none).
/// Two: more than 4 trials (a second accumulator of 4 doubles).
template <int D, bool Weighted, bool Two>
__attribute__((target("avx2"), noinline)) void trial_pass_avx2(
    const Data& data, const float* q, int trials, uint16_t pending_index, const uint8_t* reached,
    RunTiles& runs, size_t g, size_t b, size_t e, float* closest, uint16_t* nearest, double* sums)
{
    const VecF8* c = reinterpret_cast<const VecF8*>(q);
    VecD4 acc0 = {};
    VecD4 acc1 = {};
    const size_t first = g * runs.per_group;
    for (size_t r = 0, rb = b; rb < e; ++r, rb += RunTiles::kRun) {
        const size_t re = std::min(e, rb + RunTiles::kRun);
        if (!reached[r]) {
            for (size_t i = rb; i < re; ++i) {
                const double cl = closest[i];
                VecD4 v = {cl, cl, cl, cl};
                if constexpr (Weighted) {
                    v = data.w[i] * v;
                }
                acc0 += v;
                if constexpr (Two) {
                    acc1 += v;
                }
            }
            continue;
        }
        if (!(reached[r] & kPendingReaches)) {
            // Only trials reach: closest stays, nothing is stored.
            for (size_t i = rb; i < re; ++i) {
                const VecF8 s = lane_distances<D>(data, c, i);
                add_trials<Weighted, Two>(data, i, s, closest[i], acc0, acc1);
            }
            continue;
        }
        float top = 0.0f;
        for (size_t i = rb; i < re; ++i) {
            // Branch-free: whether the pending centre is nearer is data, not a branch to
            // predict. min(dp, cl) is dp < cl ? dp : cl.
            const VecF8 s = lane_distances<D>(data, c, i);
            const float dp = s[7];
            const float was = closest[i];
            const float cl = dp < was ? dp : was;
            const uint16_t mask = static_cast<uint16_t>(-static_cast<int>(dp < was));
            closest[i] = cl;
            nearest[i] = static_cast<uint16_t>((mask & pending_index) | (~mask & nearest[i]));
            top = std::max(top, cl);
            add_trials<Weighted, Two>(data, i, s, cl, acc0, acc1);
        }
        runs.boxes.tile_max[first + r] = top;
    }
    for (int t = 0; t < trials; ++t) {
        sums[t] = t < 4 ? acc0[t] : acc1[t - 4];
    }
}
#endif

} // namespace core::detail
