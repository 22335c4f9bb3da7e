// The exact cluster sums of the Lloyd update (ClusterSums, kmeans_internal.h): summed by the
// assignment pass per group (add_points) and merged, rebuilt from the labels in parallel, or moved
// point by point for the labels a pass changed. All give the same integer totals, whatever the
// order, the grouping or the thread count.
#include <algorithm>

#include "kmeans_internal.h"
#include "thread_pool.h"

namespace core::detail {
namespace {

/// Adds points [b, e) to their clusters' sums in out (k * (d + 1) units; D the dimension, 0: d at
/// run time). While consecutive points share a label (neighbouring pixels mostly do) their terms
/// are gathered in 64-bit registers first (at most kRunMax terms below 2^51 units each: no
/// overflow): integer additions, so nothing depends on it.
template <int D>
void sum_range(const Data& data, const uint16_t* labels, size_t b, size_t e, __int128* out)
{
    constexpr int kRunMax = 2048;
    const int d = D > 0 ? D : data.d;
    const size_t stride = static_cast<size_t>(d) + 1;
    constexpr int kRun = D > 0 ? D + 1 : 1;
    int64_t run[kRun] = {};
    int at = -1; // the label whose terms run holds (D > 0 only)
    int length = 0;
    auto flush = [&]() {
        if (at >= 0) {
            __int128* s = out + static_cast<size_t>(at) * stride;
            for (int q = 0; q < kRun; ++q) {
                s[q] += run[q];
                run[q] = 0;
            }
        }
    };
    for (size_t i = b; i < e; ++i) {
        const double w = data.weight(i);
        const float* p = data.point(i);
        if constexpr (D > 0) {
            if (labels[i] != at || length == kRunMax) {
                flush();
                at = labels[i];
                length = 0;
            }
            ++length;
            __int128* s = out + static_cast<size_t>(at) * stride;
            for (int q = 0; q < kRun; ++q) {
                const double term = q == 0 ? w : w * p[q - 1];
                int64_t u = 0;
                if (small_units(term, u)) {
                    run[q] += u;
                } else {
                    s[q] += Sum::units(term);
                }
            }
        } else {
            __int128* s = out + static_cast<size_t>(labels[i]) * stride;
            s[0] += sum_units(w);
            for (int q = 0; q < d; ++q) {
                s[1 + q] += sum_units(w * p[q]);
            }
        }
    }
    flush();
}

} // namespace

void add_points(const Data& data, const uint16_t* labels, size_t b, size_t e, __int128* out)
{
    switch (data.d) {
    case 3: sum_range<3>(data, labels, b, e, out); break;
    case 5: sum_range<5>(data, labels, b, e, out); break;
    default: sum_range<0>(data, labels, b, e, out); break;
    }
}

void ClusterSums::rebuild(const Data& data, const std::vector<uint16_t>& labels, int k,
                          ThreadPool& pool)
{
    d_ = data.d;
    const size_t stride = static_cast<size_t>(d_) + 1;
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
    const size_t ks = static_cast<size_t>(k) * (d + 1);
    const size_t groups = part.size() / ks;
    s_.assign(ks, Sum{});
    for (size_t g = 0; g < groups; ++g) {
        const __int128* in = part.data() + g * ks;
        for (size_t j = 0; j < ks; ++j) {
            s_[j].add_units(in[j]);
        }
    }
}

template <bool Subtract>
void ClusterSums::add(const Data& data, size_t i, int c)
{
    const double w = data.weight(i);
    const float* p = data.point(i);
    Sum* s = s_.data() + static_cast<size_t>(c) * (d_ + 1);
    for (int q = 0; q <= d_; ++q) {
        const __int128 u = sum_units(q == 0 ? w : w * p[q - 1]);
        s[q].add_units(Subtract ? -u : u);
    }
}

void ClusterSums::apply(const Data& data, const std::vector<uint16_t>& labels,
                        const Accumulators& acc)
{
    // The changed points are scattered over the data: each is fetched a few changes ahead, or
    // the loop waits on memory for every one.
    constexpr size_t kAhead = 8;
    for (const std::vector<Change>& group : acc.changes) {
        for (size_t j = 0; j < group.size(); ++j) {
            if (j + kAhead < group.size()) {
                __builtin_prefetch(data.point(group[j + kAhead].point));
            }
            const Change& ch = group[j];
            if (ch.from != kNoLabel) {
                add<true>(data, ch.point, ch.from);
            }
            add<false>(data, ch.point, labels[ch.point]);
        }
    }
}

void ClusterSums::move(const Data& data, size_t i, int from, int to)
{
    add<true>(data, i, from);
    add<false>(data, i, to);
}

} // namespace core::detail
