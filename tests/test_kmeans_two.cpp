// The two-candidate test of the assignment pass (Bounds::second, third): the scans keeping three
// (NearestThree) against a scalar scan over every centroid, and runs whose points sit between two
// clusters, bit-identical to plain Lloyd.
#include "core/kmeans_grid.h"
#include "core/kmeans_simd.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <catch2/catch.hpp>

#include "core/kmeans.h"
#include "core/thread_pool.h"

namespace {

using namespace core::detail;

constexpr float kInf = std::numeric_limits<float>::infinity();

/// The tests' pseudo-random numbers: a 32-bit LCG's top 24 bits.
struct Lcg {
    uint32_t s;
    uint32_t next()
    {
        s = s * 1664525u + 1013904223u;
        return s >> 8;
    }
};

/// Every centroid's squared distance to p, the float operations of the kernels.
std::vector<float> distances(const float* p, const std::vector<float>& c, int d)
{
    std::vector<float> out;
    for (size_t j = 0; j < c.size() / d; ++j) {
        out.push_back(squared_distance(p, c.data() + j * d, d));
    }
    return out;
}

/// What a scan keeping three must find, from every distance: the nearest (lowest index on
/// ties), a centroid at the second smallest distance and the third smallest distance.
void check_three(const std::vector<float>& all, const NearestThree& r, bool three)
{
    std::vector<float> sorted = all;
    std::sort(sorted.begin(), sorted.end());
    const int k = static_cast<int>(all.size());
    const int nearest =
        static_cast<int>(std::min_element(all.begin(), all.end()) - all.begin());
    REQUIRE(r.best_c == nearest);
    REQUIRE(r.best == sorted[0]);
    REQUIRE(r.second == (k > 1 ? sorted[1] : kInf));
    if (!three) {
        REQUIRE(r.third == r.second);
        return;
    }
    REQUIRE(r.third == (k > 2 ? sorted[2] : kInf));
    if (k > 1) {
        REQUIRE(r.second_c >= 0);
        REQUIRE(r.second_c < k);
        REQUIRE(r.second_c != r.best_c);
        REQUIRE(all[r.second_c] == r.second);
    }
}

/// RGB+XY-like points: colour on a coarse integer grid (exact ties), position in [0, 255) x
/// [0, 170); d = 3: colour alone.
std::vector<float> points(size_t n, int d, uint32_t seed)
{
    std::vector<float> x;
    Lcg r{seed};
    for (size_t i = 0; i < n; ++i) {
        for (int c = 0; c < 3; ++c) {
            x.push_back(static_cast<float>(16 * (r.next() % 16)));
        }
        if (d == 5) {
            x.push_back(static_cast<float>(r.next() % 255));
            x.push_back(static_cast<float>(r.next() % 170));
        }
    }
    return x;
}

core::KMeansResult run(const std::vector<float>& x, const std::vector<double>& w, int d,
                       const core::KMeansParams& p, int threads)
{
    core::ThreadPool pool(threads);
    return core::kmeans(x.data(), w.data(), x.size() / d, d, p, pool, nullptr);
}

void require_same_run(const core::KMeansResult& a, const core::KMeansResult& b)
{
    REQUIRE(a.k == b.k);
    CHECK(a.labels == b.labels);
    CHECK(a.centroids == b.centroids);
    CHECK(a.history_centroids == b.history_centroids);
    CHECK(a.inertia == b.inertia);
    CHECK(a.iterations == b.iterations);
    REQUIRE(a.rounds.size() == b.rounds.size());
    for (size_t r = 0; r < a.rounds.size(); ++r) {
        CHECK(a.rounds[r].inertia == b.rounds[r].inertia);
        CHECK(a.rounds[r].changed == b.rounds[r].changed);
    }
}

} // namespace

TEST_CASE("the scans keeping three find the scalar scan's nearest, second and third",
          "[kmeans][simd]")
{
    // Over every centroid (nearest_three_any, k small to a few blocks) on 8 and 4 lanes, integer
    // data with many exact ties.
    for (bool wide : {true, false}) {
        if (wide && core::kernel_lanes(8) < 8) {
            continue; // no 8-lane kernel on this CPU or in wasm
        }
        for (int d : {3, 5}) {
            for (int k : {1, 2, 3, 8, 9, 17, 40}) {
                Lcg r{static_cast<uint32_t>(d * 100 + k)};
                std::vector<float> c(static_cast<size_t>(k) * d);
                for (float& v : c) {
                    v = static_cast<float>(r.next() % 6); // small range: many exact ties
                }
                CentroidBlocks blocks;
                blocks.build(c.data(), k, d, wide);
                for (int i = 0; i < 500; ++i) {
                    std::vector<float> p(d);
                    for (float& v : p) {
                        v = static_cast<float>(r.next() % 8);
                    }
                    NearestThree got;
                    if (d == 3) {
                        nearest_three_any<3>(p.data(), blocks, got);
                    } else {
                        nearest_three_any<0>(p.data(), blocks, got);
                    }
                    INFO("wide=" << wide << " d=" << d << " k=" << k << " point " << i);
                    check_three(distances(p.data(), c, d), got, blocks.wide);
                }
            }
        }
    }
}

TEST_CASE("the grids' search keeping three: the nearest, and bounds on the second and the rest",
          "[kmeans][grid]")
{
    // Position (d = 5) and colour (d = 3) grids, 8- and 4-lane windows: whenever the search
    // claims an answer, the scan's nearest, other no higher than the distance to any centroid
    // but the nearest, third no higher than the distance to any but the nearest and second_c.
    for (int d : {5, 3}) {
        const int k = 600;
        const std::vector<float> c = points(k, d, 7);
        const std::vector<float> x = points(6000, d, 11);
        const double box[4] = {0.0, 254.0, 0.0, 169.0};
        for (bool wide : {false, true}) {
            if (wide && core::kernel_lanes(8) < 8) {
                continue;
            }
            PositionGrid grid;
            ColourGrid colour;
            if (d == 5) {
                grid.build(c.data(), k, d, box, 1.0, wide);
            } else {
                colour.build(c.data(), k, d, nullptr, ColourGrid::kCellsPerCentroid, wide);
            }
            size_t claimed = 0;
            size_t with_second = 0;
            size_t tighter = 0; // points whose third bound is above their bound on the second
            for (size_t i = 0; i < x.size() / d; ++i) {
                const float* p = x.data() + i * d;
                NearestThree got;
                double other = 0.0;
                double third = 0.0;
                const bool found = d == 5 ? grid.nearest_three<5>(p, got, other, third)
                                          : colour.nearest_three<3>(p, got, other, third);
                if (!found) {
                    continue;
                }
                ++claimed;
                const std::vector<float> all = distances(p, c, d);
                const int nearest =
                    static_cast<int>(std::min_element(all.begin(), all.end()) - all.begin());
                INFO("d=" << d << " wide=" << wide << " point " << i);
                REQUIRE(got.best_c == nearest);
                REQUIRE(got.best == all[nearest]);
                const bool second_known = got.second_c >= 0 && got.second_c < k;
                if (!wide) {
                    REQUIRE(!second_known);
                }
                with_second += second_known ? 1 : 0;
                for (int j = 0; j < k; ++j) {
                    const double dist = std::sqrt(static_cast<double>(all[j]));
                    if (j != nearest) {
                        REQUIRE(other <= dist);
                    }
                    if (j != nearest && (!second_known || j != got.second_c)) {
                        REQUIRE(third <= dist);
                    }
                }
                if (second_known) {
                    REQUIRE(got.second_c != nearest);
                    REQUIRE(all[got.second_c] == got.second);
                    tighter += third > other ? 1 : 0;
                }
            }
            INFO("d=" << d << " wide=" << wide);
            CHECK(claimed > x.size() / d / 2);
            if (wide) {
                // The window's second nearest comes with the answer, and the third bound says
                // more than the bound on the second (what the two-candidate test lives on).
                CHECK(with_second > claimed * 9 / 10);
                CHECK(tighter > claimed / 4);
            }
        }
    }
}

namespace {

/// Pairs of clusters far from each other, each pair overlapping along axis 0 (integer offsets
/// -8..8, so points sit exactly between the pair's centroids in many rounds), on a lattice of
/// the last two axes (position for d = 5), weighted 1 to 4; and starting centroids two per pair,
/// both on one side, so that for many rounds the points between them change sides.
void pairs(int d, int n_pairs, std::vector<float>& x, std::vector<double>& w,
           std::vector<float>& start)
{
    Lcg r{static_cast<uint32_t>(d * 31 + n_pairs)};
    const int side = static_cast<int>(std::ceil(std::sqrt(n_pairs)));
    for (int j = 0; j < n_pairs; ++j) {
        std::vector<float> base(d, 40.0f);
        base[d - 2] = 60.0f * static_cast<float>(j % side);
        base[d - 1] = 60.0f * static_cast<float>(j / side);
        for (int i = 0; i < 300; ++i) {
            for (int a = 0; a < d; ++a) {
                const int u = a == 0 ? static_cast<int>(r.next() % 17) - 8
                                     : static_cast<int>(r.next() % 5) - 2;
                x.push_back(base[a] + static_cast<float>(u));
            }
            w.push_back(1.0 + static_cast<double>(r.next() % 4));
        }
        for (float off : {-8.0f, -3.0f - static_cast<float>(j % 3)}) {
            for (int a = 0; a < d; ++a) {
                start.push_back(base[a] + (a == 0 ? off : 0.0f));
            }
        }
    }
}

} // namespace

TEST_CASE("two candidates: points between two clusters, bit-identical to plain Lloyd", "[kmeans]")
{
    // Small k (the scan over all k), k >= 64 with position (the grid, local bounds) and on colour
    // alone (the colour grid); from given centroids and from k-means++; 8 lanes (the scans keep
    // three), 4 lanes (two only) and without the grid, against plain Lloyd.
    for (int d : {3, 5}) {
        for (int n_pairs : {4, 36}) {
            std::vector<float> x;
            std::vector<double> w;
            std::vector<float> start;
            pairs(d, n_pairs, x, w, start);
            for (bool given : {true, false}) {
                core::KMeansParams p;
                p.k = 2 * n_pairs;
                p.seed = 6;
                p.tol = 0.0;
                p.max_iter = 60;
                if (given) {
                    p.init = core::Init::given;
                    p.given_centroids = start;
                }
                const core::KMeansResult fast = run(x, w, d, p, 2);
                p.max_lanes = 4;
                const core::KMeansResult narrow = run(x, w, d, p, 2);
                p.max_lanes = 8;
                p.grid = false;
                const core::KMeansResult hamerly = run(x, w, d, p, 1);
                p.bounds = false;
                const core::KMeansResult plain = run(x, w, d, p, 1);
                INFO("d=" << d << " k=" << p.k << " given=" << given);
                require_same_run(fast, plain);
                require_same_run(narrow, plain);
                require_same_run(hamerly, plain);
                // Not a trivial run: from the given start points changed sides for several
                // rounds (k-means++ starts nearer the answer).
                REQUIRE(fast.rounds.size() > (given ? 4u : 2u));
                CHECK(fast.rounds[given ? 3 : 1].changed > 0.0);
            }
        }
    }
}

TEST_CASE("two candidates: a point exactly between its two centroids takes the lower index",
          "[kmeans]")
{
    // 36 pairs far apart (k = 72: the grid), each on axis 0: five points at -10, five at 10, and
    // one at 0 and one at 20 of equal weight; starting centroids -10 and 2. Round 1 gives the
    // point at 0 to the second centroid, which then moves to 10 exactly: in round 2 the point
    // is as far from both (100 in float), no bound settles it, and the two-candidate test must
    // pick the lower index, as a scan does.
    for (int d : {3, 5}) {
        std::vector<float> x;
        std::vector<double> w;
        std::vector<float> start;
        std::vector<size_t> middle; // each pair's point at 0
        for (int j = 0; j < 36; ++j) {
            std::vector<float> base(d, 50.0f);
            base[d - 2] = 60.0f * static_cast<float>(j % 6);
            base[d - 1] = 60.0f * static_cast<float>(j / 6);
            auto add = [&](float u, double weight) {
                for (int a = 0; a < d; ++a) {
                    x.push_back(base[a] + (a == 0 ? u : 0.0f));
                }
                w.push_back(weight);
            };
            for (int i = 0; i < 5; ++i) {
                add(-10.0f, 1.0 + i);
                add(10.0f, 1.0 + i);
            }
            middle.push_back(w.size());
            add(0.0f, 3.0);
            add(20.0f, 3.0);
            for (float u : {-10.0f, 2.0f}) {
                for (int a = 0; a < d; ++a) {
                    start.push_back(base[a] + (a == 0 ? u : 0.0f));
                }
            }
        }
        core::KMeansParams p;
        p.k = 72;
        p.tol = 0.0;
        p.init = core::Init::given;
        p.given_centroids = start;
        const core::KMeansResult fast = run(x, w, d, p, 2);
        p.bounds = false;
        const core::KMeansResult plain = run(x, w, d, p, 1);
        INFO("d=" << d);
        require_same_run(fast, plain);
        REQUIRE(fast.rounds.size() >= 2);
        for (size_t j = 0; j < middle.size(); ++j) {
            CHECK(fast.labels[middle[j]] == 2 * j);
        }
    }
}
