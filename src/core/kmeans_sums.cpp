// The exact cluster sums of the Lloyd update (ClusterSums, kmeans_internal.h): rebuilt from the
// labels in parallel, or moved point by point for the labels a pass changed. Both give the same
// integer totals, whatever the order, the grouping or the thread count.
#include <algorithm>

#include "kmeans_internal.h"
#include "thread_pool.h"

namespace core::detail {

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
        __int128* out = part.data() + g * ks;
        const int d = d_;
        for (size_t i = b; i < e; ++i) {
            const double w = data.weight(i);
            const float* p = data.point(i);
            __int128* s = out + static_cast<size_t>(labels[i]) * stride;
            s[0] += sum_units(w);
            for (int q = 0; q < d; ++q) {
                s[1 + q] += sum_units(w * p[q]);
            }
        }
    });
    s_.assign(ks, Sum{});
    for (size_t g = 0; g < groups; ++g) {
        const __int128* in = part.data() + g * ks;
        for (size_t j = 0; j < ks; ++j) {
            s_[j].add_units(in[j]);
        }
    }
}

void ClusterSums::add(const Data& data, size_t i, int c, int sign)
{
    const double w = data.weight(i);
    const float* p = data.point(i);
    Sum* s = s_.data() + static_cast<size_t>(c) * (d_ + 1);
    s[0].add_units(sign * sum_units(w));
    for (int q = 0; q < d_; ++q) {
        s[1 + q].add_units(sign * sum_units(w * p[q]));
    }
}

void ClusterSums::apply(const Data& data, const std::vector<uint16_t>& labels,
                        const Accumulators& acc)
{
    for (const std::vector<Change>& group : acc.changes) {
        for (const Change& ch : group) {
            if (ch.from != kNoLabel) {
                add(data, ch.point, ch.from, -1);
            }
            add(data, ch.point, labels[ch.point], 1);
        }
    }
}

void ClusterSums::move(const Data& data, size_t i, int from, int to)
{
    add(data, i, from, -1);
    add(data, i, to, 1);
}

} // namespace core::detail
