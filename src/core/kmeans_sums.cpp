// The exact cluster sums of the Lloyd update (ClusterSums, kmeans_internal.h): summed by the
// assignment pass per group (add_points) and merged, rebuilt from the labels in parallel, or moved
// point by point for the labels a pass changed. All give the same integer totals, whatever the
// order, the grouping or the thread count. With the weighted squared norms they also give each
// round's inertia without a distance per point (ClusterSums::inertia).
//
// Moving the changed points is the largest serial step of a round after the grid build (rgb+xy
// k = 1000 on china-4MP, 222 rounds, 2.9 M changes moved in all; timers not kept): before the
// batched gather (move_changes) it took 0.93 s of the 20-24 s of Lloyd in wasm (node, 2
// threads) and 0.50 s natively; after, 0.23 s and 0.20 s. Reading the sums as doubles through
// int64 (ExactSum::value_of) took the update's means and inertia from 81 to 56 ms in wasm, 37
// to 7 ms natively. Lloyd as a whole, medians of 3 alternated runs against
// main at load 2.5-3.2: wasm 20.33 -> 19.83 s, native 12.01 -> 11.61 s; the same rounds and
// inertia. Per change with cold caches, k = 1000 (one thread): wasm 587 -> 113 ns (3000
// changes), 360 -> 68 ns (30000); native 230 -> 96 ns, 142 -> 60 ns. Splitting the changes
// between 2 threads (each into its own copy of the sums) gained nothing measurable on this
// shared machine, in wasm or natively, even at 300000 changes: left out.
#include <algorithm>

#include "kmeans_internal.h"
#include "thread_pool.h"

namespace core::detail {
namespace {

/// Adds point i of weight w to one cluster's sums s (sum_stride(d) units), term by term (any size).
[[gnu::noinline]] void add_point_slowly(const Data& data, size_t i, __int128* s)
{
    const double w = data.weight(i);
    const float* p = data.point(i);
    s[0] += Sum::units(w);
    for (int q = 0; q < data.d; ++q) {
        s[1 + q] += Sum::units(w * p[q]);
    }
    s[1 + data.d] += SquareSum::units(square_term(p, data.d, w));
}

/// Adds points [b, e) to their clusters' sums in out (k * (d + 1) units; D the dimension).
/// While consecutive points share a label (neighbouring pixels mostly do) their terms are
/// gathered in 64-bit registers first (at most kRunMax terms below 2^51 units each: no overflow);
/// a point with a larger term goes to out directly. Integer additions: nothing depends on it.
template <int D, bool Weighted>
void sum_range(const Data& data, const uint16_t* labels, size_t b, size_t e, __int128* out)
{
    constexpr int kRunMax = 2048;
    constexpr int kRun = D + 2;
    constexpr double kScale = Sum::kUnitsPerOne;
    int64_t run[kRun] = {};
    int at = labels[b];
    int length = 0;
    for (size_t i = b; i < e; ++i) {
        const int l = labels[i];
        if (l != at || length == kRunMax) {
            __int128* s = out + static_cast<size_t>(at) * kRun;
            for (int q = 0; q < kRun; ++q) {
                s[q] += run[q];
                run[q] = 0;
            }
            at = l;
            length = 0;
        }
        const double w = Weighted ? data.w[i] : 1.0;
        const float* p = data.x + i * D;
        double t[kRun];
        t[0] = w * kScale;
        bool small = std::fabs(t[0]) < kRoundSmallLimit;
        for (int q = 0; q < D; ++q) {
            t[1 + q] = w * p[q] * kScale; // (w * p) * 2^F: the terms Sum::units rounds
            small &= std::fabs(t[1 + q]) < kRoundSmallLimit;
        }
        t[1 + D] = square_term(p, D, w) * SquareSum::kUnitsPerOne; // what SquareSum::units rounds
        small &= std::fabs(t[1 + D]) < kRoundSmallLimit;
        if (small) {
            ++length;
            for (int q = 0; q < kRun; ++q) {
                run[q] += round_small(t[q]);
            }
        } else {
            add_point_slowly(data, i, out + static_cast<size_t>(l) * kRun);
        }
    }
    __int128* s = out + static_cast<size_t>(at) * kRun;
    for (int q = 0; q < kRun; ++q) {
        s[q] += run[q];
    }
}

template <int D>
void sum_range_of(const Data& data, const uint16_t* labels, size_t b, size_t e, __int128* out)
{
    if (data.w) {
        sum_range<D, true>(data, labels, b, e, out);
    } else {
        sum_range<D, false>(data, labels, b, e, out);
    }
}

} // namespace

void add_points(const Data& data, const uint16_t* labels, size_t b, size_t e, __int128* out)
{
    if (b >= e) {
        return;
    }
    switch (data.d) {
    case 3: sum_range_of<3>(data, labels, b, e, out); break;
    case 5: sum_range_of<5>(data, labels, b, e, out); break;
    default:
        for (size_t i = b; i < e; ++i) {
            add_point_slowly(data, i, out + static_cast<size_t>(labels[i]) * sum_stride(data.d));
        }
        break;
    }
}

void ClusterSums::rebuild(const Data& data, const std::vector<uint16_t>& labels, int k,
                          ThreadPool& pool)
{
    d_ = data.d;
    const size_t stride = sum_stride(d_);
    const size_t gs = group_size(data.n);
    const size_t groups = ThreadPool::chunk_count(0, data.n, gs);
    const size_t ks = static_cast<size_t>(k) * stride;
    std::vector<__int128> part(groups * ks, 0);
    pool.parallel_for(0, data.n, gs, [&](size_t g, size_t b, size_t e) {
        add_points(data, labels.data(), b, e, part.data() + g * ks);
    });
    merge(part, k, d_);
}

void ClusterSums::merge(const std::vector<__int128>& part, int k, int d)
{
    d_ = d;
    const size_t ks = static_cast<size_t>(k) * sum_stride(d);
    const size_t groups = part.size() / ks;
    units_.assign(ks, 0);
    for (size_t g = 0; g < groups; ++g) {
        const __int128* in = part.data() + g * ks;
        for (size_t j = 0; j < ks; ++j) {
            units_[j] += in[j];
        }
    }
}

namespace {

/// The terms of point p of weight w (d features) in add_points' layout: what add_points sums.
void point_units(const float* p, double w, int d, __int128* u)
{
    u[0] = Sum::units(w);
    for (int q = 0; q < d; ++q) {
        u[1 + q] = Sum::units(w * p[q]);
    }
    u[1 + d] = SquareSum::units(square_term(p, d, w));
}

/// Moves the changed points of groups [gb, ge) of changes from their old cluster to their new
/// (labels) in out (k * sum_stride(d) units). The points are scattered over the data and each
/// one's label and features cost a wait on memory: a batch of changes first gathers its labels,
/// then its points, in loops of independent loads that the processor overlaps (in wasm too,
/// which has no prefetch), then moves them.
template <int D>
void move_changes(const Data& data, const uint16_t* labels,
                  const std::vector<std::vector<Change>>& changes, size_t gb, size_t ge,
                  __int128* out)
{
    constexpr size_t kBatch = 32;
    const int d = D > 0 ? D : data.d;
    const size_t stride = sum_stride(d);
    std::vector<__int128> u(stride);
    std::vector<float> points(kBatch * d);
    uint16_t to[kBatch];
    double w[kBatch];
    for (size_t g = gb; g < ge; ++g) {
        const std::vector<Change>& group = changes[g];
        for (size_t j0 = 0; j0 < group.size(); j0 += kBatch) {
            const Change* ch = group.data() + j0;
            const size_t m = std::min(kBatch, group.size() - j0);
            for (size_t j = 0; j < m; ++j) {
                to[j] = labels[ch[j].point];
            }
            for (size_t j = 0; j < m; ++j) {
                const float* p = data.point(ch[j].point);
                std::copy(p, p + d, points.data() + j * d);
                w[j] = data.weight(ch[j].point);
            }
            for (size_t j = 0; j < m; ++j) {
                point_units(points.data() + j * d, w[j], d, u.data());
                if (ch[j].from != kNoLabel) {
                    __int128* s = out + ch[j].from * stride;
                    for (size_t q = 0; q < stride; ++q) {
                        s[q] -= u[q];
                    }
                }
                __int128* s = out + to[j] * stride;
                for (size_t q = 0; q < stride; ++q) {
                    s[q] += u[q];
                }
            }
        }
    }
}

/// move_changes for the dimension of data (3 and 5 unrolled).
void move_changes_of(const Data& data, const uint16_t* labels,
                     const std::vector<std::vector<Change>>& changes, size_t gb, size_t ge,
                     __int128* out)
{
    switch (data.d) {
    case 3: move_changes<3>(data, labels, changes, gb, ge, out); break;
    case 5: move_changes<5>(data, labels, changes, gb, ge, out); break;
    default: move_changes<0>(data, labels, changes, gb, ge, out); break;
    }
}

} // namespace

void ClusterSums::apply(const Data& data, const std::vector<uint16_t>& labels,
                        const Accumulators& acc)
{
    move_changes_of(data, labels.data(), acc.changes, 0, acc.changes.size(), units_.data());
}

void ClusterSums::move(const Data& data, size_t i, int from, int to)
{
    const size_t stride = sum_stride(d_);
    std::vector<__int128> u(stride);
    point_units(data.point(i), data.weight(i), d_, u.data());
    for (size_t q = 0; q < stride; ++q) {
        units_[from * stride + q] -= u[q];
        units_[to * stride + q] += u[q];
    }
}

double ClusterSums::inertia(const std::vector<float>& centroids) const
{
    const int k = static_cast<int>(units_.size() / sum_stride(d_));
    double total = 0.0;
    for (int c = 0; c < k; ++c) {
        const __int128* s = units_.data() + static_cast<size_t>(c) * sum_stride(d_);
        if (s[0] == 0) {
            continue;
        }
        // sum w |x - c|^2 = S2 - sum_q c_q (2 S1_q - W c_q). S2 and c . S1 cancel to a part in
        // about |x|^2 / (mean squared distance) of S2, so double leaves some 1e-13 of a cluster's
        // inertia (float distances lose 1e-7). A cluster of coinciding points can come out a
        // rounding below zero: no sum of squares is.
        const double weight = Sum::value_of(s[0]);
        const float* centre = centroids.data() + static_cast<size_t>(c) * d_;
        double cross = 0.0;
        for (int q = 0; q < d_; ++q) {
            const double cq = centre[q];
            cross += cq * (2.0 * Sum::value_of(s[1 + q]) - weight * cq);
        }
        total += std::max(0.0, SquareSum::value_of(s[1 + d_]) - cross);
    }
    return total;
}

} // namespace core::detail
