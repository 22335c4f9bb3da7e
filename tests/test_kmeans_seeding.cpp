// k-means++ at small k: the pruned trial pass (runs of points whose box no trial reaches, the
// 8-lane pass with the pending centre in a lane) against the plain one, bit for bit, and the
// second nearest's bound it hands to the first Lloyd pass.
#include "core/kmeans.h"
#include "core/kmeans_internal.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

#include "kmeans_support.h"
#include "support.h"

namespace {

core::KMeansResult run(const std::vector<float>& x, const std::vector<double>& w, int d,
                       core::KMeansParams p, int threads)
{
    core::ThreadPool pool(threads);
    return core::kmeans(x.data(), w.empty() ? nullptr : w.data(), x.size() / d, d, p, pool, nullptr);
}

/// n points in d dimensions, in consecutive stretches of 1 to 150 points around one of 12 centres
/// (spread over 0..1000 on every axis, a point within +-2 of its centre, on a grid of 1/4: exact
/// ties too): long stretches fill whole runs far from every trial, which the pass skips, and
/// stretch boundaries give runs spanning two clusters, which it reads.
std::vector<float> clustered(size_t n, int d, uint32_t seed)
{
    test::Lcg rng{seed};
    std::vector<float> centres(12 * static_cast<size_t>(d));
    for (float& c : centres) {
        c = static_cast<float>(rng.next() % 1000);
    }
    std::vector<float> x;
    x.reserve(n * d);
    while (x.size() < n * d) {
        const float* c = centres.data() + (rng.next() % 12) * d;
        const size_t stretch = 1 + rng.next() % 150;
        for (size_t i = 0; i < stretch && x.size() < n * d; ++i) {
            for (int a = 0; a < d; ++a) {
                x.push_back(c[a] + static_cast<float>(static_cast<int>(rng.next() % 17) - 8) * 0.25f);
            }
        }
    }
    return x;
}

} // namespace

TEST_CASE("k-means++ skipping runs of points no trial reaches changes no centre", "[kmeans]")
{
    // 21000 points: five groups of 4096 points and a short last one, whose runs do not fill
    // a whole vector of boxes. k = 8 and 16 have 4 trials, 40 has 5 and 63 has 6 (a second
    // accumulator on 8 lanes, two blocks on 4). d = 3 and 5 have their own kernels; 9 is the
    // general one, its boxes set 8 axes at a time.
    for (int d : {3, 5, 9}) {
        for (bool weighted : {false, true}) {
            const std::vector<float> x = clustered(21000, d, static_cast<uint32_t>(d * 31 + weighted));
            std::vector<double> w;
            if (weighted) {
                for (size_t i = 0; i < x.size() / d; ++i) {
                    w.push_back(1.0 + static_cast<double>((i * 7919) % 13));
                }
            }
            for (int k : {8, 16, 40, 63}) {
                core::KMeansParams p;
                p.k = k;
                p.seed = static_cast<uint64_t>(k + d);
                p.tol = 0.0;
                p.max_iter = 3;
                p.seed_pruning = false;
                const core::KMeansResult plain = run(x, w, d, p, 2);
                p.seed_pruning = true;
                for (int lanes : {8, 4}) {
                    for (int threads : {1, 3}) {
                        p.max_lanes = lanes;
                        const core::KMeansResult pruned = run(x, w, d, p, threads);
                        INFO("d=" << d << " weighted=" << weighted << " k=" << k
                                  << " lanes=" << lanes << " threads=" << threads);
                        test::require_same_run(pruned, plain);
                    }
                }
            }
        }
    }
}

TEST_CASE("k-means++ hands on a true lower bound on each point's second nearest centre", "[kmeans]")
{
    // Clustered data in stretches (whole runs far from a centre: their box bounds the distance)
    // and the same points shuffled (runs span clusters: nearly every run is read). Every centre
    // folded in but the point's nearest is at least its bound, in float; the bound is at least
    // the point's nearest distance (each fold's max(closest before, distance)), so it can settle
    // points, and then the whole run is plain Lloyd's without bounds, bit for bit.
    for (int d : {3, 5}) {
        for (bool shuffled : {false, true}) {
            std::vector<float> x = clustered(21000, d, static_cast<uint32_t>(d * 17 + shuffled));
            const size_t n = x.size() / d;
            if (shuffled) {
                test::Lcg rng{7};
                for (size_t i = n - 1; i > 0; --i) {
                    const size_t j = rng.next() % (i + 1);
                    std::swap_ranges(x.begin() + i * d, x.begin() + (i + 1) * d, x.begin() + j * d);
                }
            }
            std::vector<double> w;
            for (size_t i = 0; i < n; ++i) {
                w.push_back(1.0 + static_cast<double>((i * 7919) % 13));
            }
            core::detail::Data data;
            data.x = x.data();
            data.w = w.data();
            data.n = n;
            data.d = d;
            for (int k : {8, 40}) {
                for (int lanes : {8, 4}) {
                    INFO("d=" << d << " shuffled=" << shuffled << " k=" << k << " lanes=" << lanes);
                    core::KMeansParams p;
                    p.k = k;
                    p.seed = static_cast<uint64_t>(k + d);
                    p.max_lanes = lanes;
                    core::ThreadPool pool(2);
                    core::Rng rng(p.seed);
                    std::vector<float> c;
                    core::detail::SeedAssignment seeded;
                    const int chosen =
                        core::detail::init_kmeanspp(data, k, p, rng, pool, nullptr, c, seeded);
                    REQUIRE(chosen == k);
                    REQUIRE(seeded.second.size() == n);
                    size_t wrong = 0;
                    size_t below_nearest = 0;
                    size_t above_nearest = 0;
                    for (size_t i = 0; i < n; ++i) {
                        const float* pt = data.point(i);
                        for (int j = 0; j < k; ++j) {
                            if (j != seeded.nearest[i] && j != seeded.last &&
                                core::detail::squared_distance(pt, c.data() + j * d, d) <
                                    seeded.second[i]) {
                                ++wrong;
                            }
                        }
                        below_nearest += seeded.second[i] < seeded.closest[i] ? 1 : 0;
                        above_nearest += seeded.second[i] > seeded.closest[i] ? 1 : 0;
                    }
                    CHECK(wrong == 0);
                    CHECK(below_nearest == 0);
                    // Not a bound that settles nothing.
                    CHECK(above_nearest > n / 2);

                    p.tol = 0.0;
                    p.max_iter = 4;
                    const core::KMeansResult pruned =
                        core::kmeans(x.data(), w.data(), n, d, p, pool, nullptr);
                    p.seed_pruning = false;
                    p.bounds = false;
                    const core::KMeansResult plain =
                        core::kmeans(x.data(), w.data(), n, d, p, pool, nullptr);
                    test::require_same_run(pruned, plain);
                }
            }
        }
    }
}
