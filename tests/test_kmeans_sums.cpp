// The exact cluster sums (ClusterSums, kmeans_sums.cpp): moving the points whose label changed
// gives the very integers of summing every point again from the new labels, with and without
// weights, in the unrolled dimensions and others, with terms too large for the fast rounding.
#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

#include "core/kmeans_internal.h"
#include "core/thread_pool.h"
#include "support.h"

namespace {

using core::detail::Accumulators;
using core::detail::Change;
using core::detail::ClusterSums;
using core::detail::Data;

struct Case {
    std::vector<float> x;
    std::vector<double> w;
    std::vector<uint16_t> before, after;
};

/// n points of d features (colour-like integers, now and then one far beyond 2^11, whose units
/// take the slow rounding), labels in [0, k) and changed ones: about one in `every` points.
Case make_case(size_t n, int d, int k, bool weighted, uint32_t every, uint32_t seed)
{
    Case c;
    test::Lcg r{seed};
    for (size_t i = 0; i < n * d; ++i) {
        const bool big = r.next() % 997 == 0;
        c.x.push_back(big ? 5000.5f + static_cast<float>(r.next() % 100)
                          : static_cast<float>(r.next() % 256) + 0.25f * (r.next() % 4));
    }
    for (size_t i = 0; weighted && i < n; ++i) {
        c.w.push_back(1.0 + r.next() % 40);
    }
    for (size_t i = 0; i < n; ++i) {
        c.before.push_back(static_cast<uint16_t>(r.next() % k));
        c.after.push_back(r.next() % every == 0 ? static_cast<uint16_t>(r.next() % k)
                                                : c.before.back());
    }
    return c;
}

/// The changes between before and after, in the assignment pass's groups.
Accumulators changes_of(const Case& c)
{
    Accumulators acc;
    const size_t n = c.before.size();
    const size_t gs = core::detail::group_size(n);
    acc.changes.resize(core::ThreadPool::chunk_count(0, n, gs));
    for (size_t i = 0; i < n; ++i) {
        if (c.before[i] != c.after[i]) {
            Change ch;
            ch.point = i;
            ch.from = c.before[i];
            acc.changes[i / gs].push_back(ch);
        }
    }
    acc.complete = true;
    return acc;
}

} // namespace

TEST_CASE("cluster sums moved point by point equal the sums rebuilt from the labels",
          "[kmeans][sums]")
{
    const int d = GENERATE(3, 4, 5);
    const bool weighted = GENERATE(false, true);
    // Few changes (a late round), many (an early one: more than a batch of each group).
    const uint32_t every = GENERATE(200u, 3u);
    CAPTURE(d, weighted, every);
    const size_t n = 60000;
    const int k = 300;
    const Case c = make_case(n, d, k, weighted, every, 7u + d);
    const Data data{c.x.data(), weighted ? c.w.data() : nullptr, n, d};
    const Accumulators acc = changes_of(c);
    core::ThreadPool pool(2);

    ClusterSums moved;
    moved.rebuild(data, c.before, k, pool);
    ClusterSums rebuilt;
    rebuilt.rebuild(data, c.after, k, pool);
    REQUIRE_FALSE(moved == rebuilt);
    moved.apply(data, c.after, acc);
    CHECK(moved == rebuilt);

    // And back: a cluster whose points all return has its old sums, bit for bit.
    ClusterSums original;
    original.rebuild(data, c.before, k, pool);
    Case back = c;
    std::swap(back.before, back.after);
    moved.apply(data, back.after, changes_of(back));
    CHECK(moved == original);
}
