// k-means++ at small k: the pruned trial pass (runs of points whose box no trial reaches, the
// 8-lane pass with the pending centre in a lane) against the plain one, bit for bit.
#include "core/kmeans.h"

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
