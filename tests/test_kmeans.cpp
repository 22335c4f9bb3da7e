// k-means on points whose answer is known by construction, the kernels against their scalar
// twin, and reproducibility across thread counts.
#include "core/kmeans.h"
#include "core/kmeans_internal.h"

#include <cmath>

#include <catch2/catch.hpp>

#include "core/cluster.h"
#include "core/features.h"
#include "kmeans_support.h"
#include "support.h"

namespace {

core::KMeansResult run(const std::vector<float>& x, const std::vector<double>& w, int d,
                       core::KMeansParams p, int threads = 2)
{
    core::ThreadPool pool(threads);
    return core::kmeans(x.data(), w.empty() ? nullptr : w.data(), x.size() / d, d, p, pool, nullptr);
}

} // namespace

TEST_CASE("two well separated pairs on a line: centroids are the pair means", "[kmeans]")
{
    core::KMeansParams p;
    p.k = 2;
    const core::KMeansResult r = run({0, 1, 10, 11}, {}, 1, p);
    REQUIRE(r.k == 2);
    std::vector<float> c = r.centroids;
    std::sort(c.begin(), c.end());
    CHECK(c[0] == 0.5f);
    CHECK(c[1] == 10.5f);
    CHECK(r.inertia == Approx(1.0));
    CHECK(r.converged);
    CHECK(r.labels[0] == r.labels[1]);
    CHECK(r.labels[2] == r.labels[3]);
    CHECK(r.labels[0] != r.labels[2]);
}

TEST_CASE("weights count as repeated points", "[kmeans]")
{
    // {0 x3, 4 x1, 20 x2} weighted must equal the same points repeated.
    core::KMeansParams p;
    p.k = 2;
    const core::KMeansResult weighted = run({0, 4, 20}, {3, 1, 2}, 1, p);
    const core::KMeansResult repeated = run({0, 0, 0, 4, 20, 20}, {}, 1, p);
    std::vector<float> a = weighted.centroids;
    std::vector<float> b = repeated.centroids;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    CHECK(a == b);
    CHECK(a[0] == 1.0f);
    CHECK(a[1] == 20.0f);
    CHECK(weighted.inertia == Approx(repeated.inertia));
    CHECK(weighted.inertia == Approx(3 * 1.0 + 9.0));
}

TEST_CASE("k = 1 gives the weighted mean", "[kmeans]")
{
    core::KMeansParams p;
    p.k = 1;
    const core::KMeansResult r = run({0, 0, 0, 30, 60, 90}, {1, 2}, 3, p);
    REQUIRE(r.k == 1);
    CHECK(r.centroids == std::vector<float>{20, 40, 60});
    CHECK(r.iterations >= 1);
}

TEST_CASE("k above the number of distinct points is reduced, with a note", "[kmeans]")
{
    for (core::Init init : {core::Init::kmeanspp, core::Init::random}) {
        core::KMeansParams p;
        p.k = 10;
        p.init = init;
        const core::KMeansResult r = run({5, 5, 5, 7, 7, 9}, {}, 1, p);
        CHECK(r.k == 3);
        CHECK_THAT(r.note, Catch::Contains("k reduced from 10 to 3"));
        CHECK(r.inertia == 0.0);
        for (float c : r.centroids) {
            CHECK(std::isfinite(c));
        }
    }
}

TEST_CASE("an empty cluster takes the farthest point instead of vanishing", "[kmeans]")
{
    core::KMeansParams p;
    p.k = 3;
    p.init = core::Init::given;
    p.given_centroids = {0, 1000, 2000}; // 1000 and 2000 attract nothing at first
    const core::KMeansResult r = run({0, 1, 2, 50, 51, 52}, {}, 1, p);
    REQUIRE(r.k == 3);
    for (double w : r.weights) {
        CHECK(w > 0.0);
    }
}

TEST_CASE("max_iter stops the run and says it did not converge", "[kmeans]")
{
    std::vector<float> x;
    for (int i = 0; i < 200; ++i) {
        x.push_back(static_cast<float>((i * 37) % 101));
        x.push_back(static_cast<float>((i * 53) % 97));
    }
    core::KMeansParams p;
    p.k = 7;
    p.max_iter = 1;
    p.tol = 0.0;
    const core::KMeansResult r = run(x, {}, 2, p);
    CHECK(r.iterations == 1);
    CHECK_FALSE(r.converged);
    CHECK(r.rounds.size() == 1);
    CHECK(r.history_centroids.size() == 2u * 7u * 2u);
}

TEST_CASE("the same seed gives bit-identical results on 1, 2 and 7 threads", "[kmeans]")
{
    std::vector<float> x;
    uint32_t s = 7;
    for (int i = 0; i < 60000 * 3; ++i) {
        s = test::lcg_step(s);
        x.push_back(static_cast<float>(s >> 24));
    }
    core::KMeansParams p;
    p.k = 12;
    p.seed = 99;
    const core::KMeansResult one = run(x, {}, 3, p, 1);
    for (int threads : {2, 7}) {
        const core::KMeansResult other = run(x, {}, 3, p, threads);
        CHECK(other.labels == one.labels);
        CHECK(other.centroids == one.centroids);
        CHECK(other.inertia == one.inertia);
        CHECK(other.iterations == one.iterations);
    }
    p.seed = 100;
    CHECK(run(x, {}, 3, p, 2).centroids != one.centroids);
}

TEST_CASE("inertia decreases round after round", "[kmeans]")
{
    std::vector<float> x;
    uint32_t s = 11;
    for (int i = 0; i < 5000 * 3; ++i) {
        s = test::lcg_step(s);
        x.push_back(static_cast<float>(s >> 24));
    }
    core::KMeansParams p;
    p.k = 9;
    p.init = core::Init::random;
    const core::KMeansResult r = run(x, {}, 3, p);
    REQUIRE(r.rounds.size() >= 2);
    for (size_t i = 1; i < r.rounds.size(); ++i) {
        CHECK(r.rounds[i].inertia <= r.rounds[i - 1].inertia * (1 + 1e-6));
    }
    CHECK(r.inertia <= r.rounds.back().inertia * (1 + 1e-6));
}

TEST_CASE("a cancelled run says so", "[kmeans]")
{
    std::vector<float> x(30000, 0.0f);
    for (size_t i = 0; i < x.size(); ++i) {
        x[i] = static_cast<float>(i % 251);
    }
    core::Progress progress;
    progress.cancel = true;
    core::ThreadPool pool(2);
    core::KMeansParams p;
    const core::KMeansResult r = core::kmeans(x.data(), nullptr, x.size() / 3, 3, p, pool, &progress);
    CHECK(r.cancelled);
}

TEST_CASE("assign_nearest matches its scalar twin exactly on integer data", "[kmeans][simd]")
{
    // Both kernels: the 8-lane one (where the CPU has AVX2) and the 4-lane one.
    if (core::kernel_lanes(8) < 8) {
    }
    for (int lanes : {8, 4}) {
        if (core::kernel_lanes(lanes) != lanes) {
            continue;
        }
        for (int d : {1, 3, 4, 5, 7}) {
            for (int k : {1, 2, 3, 4, 5, 8, 9, 17, 64}) {
                std::vector<float> x(1000 * static_cast<size_t>(d));
                std::vector<float> c(static_cast<size_t>(k) * d);
                uint32_t s = static_cast<uint32_t>(d * 100 + k);
                for (float& v : x) {
                    s = test::lcg_step(s);
                    v = static_cast<float>(s >> 24);
                }
                for (float& v : c) {
                    s = test::lcg_step(s);
                    v = static_cast<float>(s >> 26); // small range: many exact ties
                }
                std::vector<uint16_t> l1(1000), l2(1000);
                std::vector<float> d1(1000), d2(1000);
                core::assign_nearest_scalar(x.data(), 1000, d, c.data(), k, l1.data(), d1.data());
                core::assign_nearest(x.data(), 1000, d, c.data(), k, l2.data(), d2.data(), lanes);
                INFO("lanes=" << core::kernel_lanes(lanes) << " d=" << d << " k=" << k);
                CHECK(l1 == l2);
                CHECK(d1 == d2);
            }
        }
    }
}

TEST_CASE("NearestCentroids answers as the scalar scan at large k, on its grid", "[kmeans][grid]")
{
    // Photo-like points: integer colours (exact ties between centroids), positions at kpix's
    // xy = 1 scale of a 3:2 photo; centroids drawn from the same data with a few outside the
    // points' extent, and points outside the centroids' (the grid must answer both exactly).
    auto make = [](size_t n, int d, uint32_t s) {
        std::vector<float> v;
        for (size_t i = 0; i < n; ++i) {
            for (int a = 0; a < d; ++a) {
                s = test::lcg_step(s);
                const bool position = d == 5 && a >= 3;
                v.push_back(position ? static_cast<float>((s >> 8) % 300) * 0.875f - 10.0f
                                     : static_cast<float>(4 * ((s >> 8) % 64)));
            }
        }
        return v;
    };
    for (int d : {3, 5}) {
        for (int k : {100, 1000, 4096}) {
            const std::vector<float> c = make(static_cast<size_t>(k), d, 7u + static_cast<uint32_t>(k));
            const std::vector<float> x = make(20000, d, 11);
            std::vector<uint16_t> l1(20000), l2(20000);
            std::vector<float> d1(20000), d2(20000);
            core::assign_nearest_scalar(x.data(), 20000, d, c.data(), k, l1.data(), d1.data());
            const core::NearestCentroids nearest(c.data(), k, d);
            core::ThreadPool pool(3);
            pool.parallel_for(0, 20000, 1000, [&](size_t, size_t b, size_t e) {
                nearest.assign(x.data() + b * d, e - b, l2.data() + b, d2.data() + b);
            });
            INFO("d=" << d << " k=" << k);
            CHECK(l1 == l2);
            CHECK(d1 == d2);
        }
    }
}

TEST_CASE("the 8-lane and the 4-lane kernels give bit-identical runs", "[kmeans][simd]")
{
    if (core::kernel_lanes(8) < 8) {
        // Without AVX2 (wasm, older CPUs) both runs would use 4 lanes: nothing to compare.
        return;
    }
    // Position-like integer data in 5 dimensions on a coarse grid: many exact ties between
    // centroids, which the two kernels must break the same way (lowest index).
    std::vector<float> x;
    uint32_t s = 5;
    for (int i = 0; i < 30000; ++i) {
        for (int q = 0; q < 5; ++q) {
            s = test::lcg_step(s);
            x.push_back(static_cast<float>((s >> 24) % 20));
        }
    }
    for (int k : {5, 16, 40}) {
        core::KMeansParams p;
        p.k = k;
        p.seed = 4;
        p.tol = 0.0;
        p.max_lanes = 4;
        const core::KMeansResult narrow = run(x, {}, 5, p, 2);
        p.max_lanes = 8;
        const core::KMeansResult wide = run(x, {}, 5, p, 2);
        INFO("k=" << k);
        REQUIRE(narrow.lanes == 4);
        REQUIRE(wide.lanes == 8);
        CHECK(wide.labels == narrow.labels);
        CHECK(wide.history_centroids == narrow.history_centroids);
        CHECK(wide.inertia == narrow.inertia);
        CHECK(wide.iterations == narrow.iterations);
    }
}

TEST_CASE("Hamerly's bounds change nothing: bit-identical to plain Lloyd, ties included", "[kmeans]")
{
    // Integer data on a coarse grid (many exact ties between centroids), weighted, in 3 and 5
    // dimensions, for small and large k.
    for (int d : {3, 5, 2}) {
        for (int k : {2, 9, 40}) {
            std::vector<float> x;
            std::vector<double> w;
            uint32_t s = static_cast<uint32_t>(d * 1000 + k);
            for (int i = 0; i < 20000; ++i) {
                for (int q = 0; q < d; ++q) {
                    s = test::lcg_step(s);
                    x.push_back(static_cast<float>((s >> 24) % 24));
                }
                w.push_back(1 + (s >> 8) % 5);
            }
            core::KMeansParams p;
            p.k = k;
            p.seed = 3;
            p.tol = 0.0;
            const core::KMeansResult fast = run(x, w, d, p, 2);
            p.bounds = false;
            const core::KMeansResult plain = run(x, w, d, p, 1);
            INFO("d=" << d << " k=" << k);
            test::require_same_run(fast, plain);
            // The bounds did skip work after the first round.
            if (fast.rounds.size() > 3) {
                CHECK(fast.rounds.back().scanned < x.size() / d);
            }
        }
    }
}

TEST_CASE("k-means++ pruning changes no centre on duplicates, ties, tiny and mixed scales",
          "[kmeans]")
{
    // Adversarial data for the triangle-inequality pruning of the trial pass: many duplicate
    // points and exact distance ties (a coarse integer grid), evenly spaced points on a line
    // (a candidate exactly twice as far from a centre as a point is: the boundary of the
    // rule), weighted and not, squares near and below float's smallest normal, and clusters on
    // very different scales. The whole run must match the unpruned one bit for bit.
    struct Case {
        const char* name;
        int d;
        int k;
        float scale;
        uint32_t levels;
        bool weighted;
    };
    const Case cases[] = {
        {"grid d=3", 3, 16, 1.0f, 4, false},  {"grid d=5 weighted", 5, 40, 1.0f, 3, true},
        {"grid d=2", 2, 9, 1.0f, 24, true},   {"line", 1, 12, 1.0f, 64, false},
        {"tiny", 3, 8, 1e-19f, 16, false},    {"below normal", 3, 8, 1e-25f, 16, true},
        {"many k", 5, 200, 1.0f, 6, false},   {"mixed scales", 4, 16, 0.0f, 32, true},
        {"fine line", 1, 24, 1.0f, 4096, false}, {"fine plane", 2, 24, 1.0f, 1024, true},
        // k >= 64: exact integer potentials over tiles (one axis, two, tiny, mixed scales).
        {"large k line", 1, 100, 1.0f, 4096, true}, {"large k plane", 2, 80, 1.0f, 64, false},
        {"large k tiny", 3, 96, 1e-19f, 16, true}, {"large k mixed", 4, 70, 0.0f, 32, false},
        // Colours (d = 3, weighted as distinct colours are): octree tiles over all three axes;
        // RGB-like levels, and so few colours that more than a tile's worth of points share
        // one cell at the finest level.
        {"large k colours", 3, 300, 1.0f, 256, true}, {"large k few colours", 3, 64, 1.0f, 3, true},
        {"large k colour ties", 3, 150, 1.0f, 12, false},
        {"large k colour grid", 3, 200, 1.0f, 40, true},
    };
    for (const Case& cs : cases) {
        std::vector<float> x;
        std::vector<double> w;
        uint32_t s = static_cast<uint32_t>(cs.d * 7919 + cs.k);
        for (int i = 0; i < 6000; ++i) {
            // Mixed scales: each point's scale is 1e-6, 1 or 1e6.
            const float scale =
                cs.scale > 0 ? cs.scale : (i % 3 == 0 ? 1e-6f : i % 3 == 1 ? 1.0f : 1e6f);
            for (int q = 0; q < cs.d; ++q) {
                s = test::lcg_step(s);
                x.push_back(static_cast<float>((s >> 20) % cs.levels) * scale);
            }
            if (cs.weighted) {
                w.push_back(1 + (s >> 8) % 7);
            }
        }
        for (int threads : {1, 3}) {
            for (uint64_t seed : {11u, 12u, 13u}) {
                core::KMeansParams p;
                p.k = cs.k;
                p.seed = seed + static_cast<uint64_t>(threads);
                p.tol = 0.0;
                p.seed_pruning = false;
                const core::KMeansResult plain = run(x, w, cs.d, p, threads);
                p.seed_pruning = true;
                const core::KMeansResult pruned = run(x, w, cs.d, p, threads);
                INFO(cs.name << " threads=" << threads << " seed=" << p.seed);
                CHECK(pruned.k == plain.k);
                CHECK(pruned.history_centroids == plain.history_centroids);
                CHECK(pruned.centroids == plain.centroids);
                CHECK(pruned.labels == plain.labels);
                CHECK(pruned.inertia == plain.inertia);
            }
        }
    }
}

namespace {

/// An image-like RGB+XY point set: w x h pixels in row order, colour a smooth field plus noise
/// quantised to steps of 8 (many exact ties), position scaled as kpix does (scale 1: integer
/// coordinates, exact ties between centroids too).
std::vector<float> photo_like(int w, int h, float scale, uint32_t seed)
{
    std::vector<float> x;
    x.reserve(static_cast<size_t>(w) * h * 5);
    uint32_t s = seed;
    for (int y = 0; y < h; ++y) {
        for (int i = 0; i < w; ++i) {
            for (int c = 0; c < 3; ++c) {
                s = test::lcg_step(s);
                const double v = 127.5 + 100.0 * std::sin(0.05 * (i + 2 * c) + 0.03 * y * (c + 1)) +
                    static_cast<double>((s >> 24) % 24);
                x.push_back(static_cast<float>(8 * static_cast<int>(v / 8)));
            }
            x.push_back(scale * (static_cast<float>(i) + (scale == 1.0f ? 0.0f : 0.5f)));
            x.push_back(scale * (static_cast<float>(y) + (scale == 1.0f ? 0.0f : 0.5f)));
        }
    }
    return x;
}

/// 30000 Lab-like weighted points of dimension d: coordinates on steps of 0.0013 over 130 units,
/// starting at -first_shift on the first axis and at -60 on the others, and weights from 0.3 up;
/// no coordinate or weight a multiple of a power of two near it, so double sums of them depend
/// on their order.
void lab_like(int d, uint32_t s, float first_shift, std::vector<float>& x, std::vector<double>& w)
{
    for (int i = 0; i < 30000; ++i) {
        for (int q = 0; q < d; ++q) {
            s = test::lcg_step(s);
            x.push_back(static_cast<float>((s >> 8) % 100000) * 0.0013f - (q == 0 ? first_shift : 60.0f));
        }
        s = test::lcg_step(s);
        w.push_back(0.3 + static_cast<double>(s >> 16) / 7919.0);
    }
}

void check_large_k(int w, int h, float scale, int k, int max_iter)
{
    const std::vector<float> x = photo_like(w, h, scale, static_cast<uint32_t>(k + w));
    const size_t n = x.size() / 5;
    core::KMeansParams p;
    p.k = k;
    p.seed = 5;
    p.tol = 0.0;
    p.max_iter = max_iter;
    const core::KMeansResult grid = run(x, {}, 5, p, 2);
    // Without k-means++'s first assignment the first pass scans the windows against centres
    // that are data points (exact ties at scale 1), in 8 lanes if the CPU has AVX2 and in the
    // 4-lane blocks wasm and CPUs without AVX2 use.
    p.seed_pruning = false;
    const core::KMeansResult wide_ties = run(x, {}, 5, p, 2);
    p.max_lanes = 4;
    const core::KMeansResult narrow = run(x, {}, 5, p, 2);
    p.max_lanes = 8;
    p.seed_pruning = true;
    p.grid = false;
    const core::KMeansResult hamerly = run(x, {}, 5, p, 1);
    // The reference: plain Lloyd after plain k-means++ (no pruning, no tiles).
    p.bounds = false;
    p.seed_pruning = false;
    const core::KMeansResult plain = run(x, {}, 5, p, 2);
    INFO("k=" << k << " scale=" << scale << " n=" << n);
    REQUIRE(plain.k == k);
    test::require_same_run(grid, plain);
    test::require_same_run(wide_ties, plain);
    test::require_same_run(narrow, plain);
    CHECK(grid.lanes == core::kernel_lanes(8));
    CHECK(narrow.lanes == 4);
    test::require_same_run(hamerly, plain);
    // The grid did its job: after the first rounds most points were settled or scanned
    // nearby, and the run moved labels in its later rounds (not a trivial run).
    REQUIRE(grid.rounds.size() > 3);
    CHECK(grid.rounds[2].changed > 0.0);
    size_t scanned = 0;
    for (size_t r = 1; r < grid.rounds.size(); ++r) {
        scanned += grid.rounds[r].scanned;
    }
    CHECK(scanned < n * (grid.rounds.size() - 1));
}

} // namespace

TEST_CASE("large k with position: the grid search and local bounds are bit-identical to plain Lloyd",
          "[kmeans]")
{
    // k = 256 and 1024 on image-like RGB+XY points, integer coordinates (scale 1: ties) and
    // kpix's scaling; each against Hamerly without the grid and plain Lloyd from the same start.
    check_large_k(96, 64, 1.0f, 256, 40);
    check_large_k(128, 96, 255.0f / 128.0f, 256, 40);
    check_large_k(128, 96, 1.0f, 1024, 25);
}

TEST_CASE("k = 4096 with position: the grid search is bit-identical to plain Lloyd", "[kmeans][slow]")
{
    check_large_k(160, 128, 255.0f / 160.0f, 4096, 15);
}

TEST_CASE("exact cluster sums: moving the changed points gives the bits of summing every label",
          "[kmeans]")
{
    // Lab-like data: coordinates and weights that are no multiple of any power of two near
    // them, so double sums would depend on their order; the bounds path moves only the points
    // whose label changed, plain Lloyd rebuilds every sum from the labels, on other thread
    // counts: same labels, centroids, inertia and rounds.
    for (int d : {3, 5}) {
        std::vector<float> x;
        std::vector<double> w;
        lab_like(d, static_cast<uint32_t>(77 + d), 60.0f, x, w);
        core::KMeansParams p;
        p.k = 24;
        p.seed = 11;
        p.tol = 0.0;
        p.max_iter = 60;
        const core::KMeansResult fast = run(x, w, d, p, 3);
        p.bounds = false;
        const core::KMeansResult plain = run(x, w, d, p, 1);
        INFO("d=" << d);
        REQUIRE(fast.rounds.size() > 5);
        CHECK(fast.rounds[3].changed > 0.0); // the later rounds moved points one by one
        CHECK(fast.labels == plain.labels);
        CHECK(fast.history_centroids == plain.history_centroids);
        CHECK(fast.inertia == plain.inertia);
        CHECK(fast.weights == plain.weights);
    }
}

TEST_CASE("large k on colour alone: the colour grid is bit-identical to plain Lloyd", "[kmeans]")
{
    // What cluster() passes for colour-only runs: distinct colours weighted by their counts,
    // photo-like (along the grey diagonal), on a coarse integer grid (exact ties) and on a fine
    // one; k = 256 and 1024, on 2 threads and 1 (the local bounds kept for the sweep on the
    // colour grid), against Hamerly without any grid and plain Lloyd from the same start.
    for (float step : {4.0f, 0.5f}) {
        for (int k : {256, 1024}) {
            std::vector<float> x;
            std::vector<double> w;
            uint32_t s = static_cast<uint32_t>(k) + 17;
            auto next = [&]() {
                s = test::lcg_step(s);
                return s >> 8;
            };
            for (int i = 0; i < 12000; ++i) {
                const double grey = 20.0 + 215.0 * std::sin(0.0003 * i) * std::sin(0.0003 * i);
                for (int c = 0; c < 3; ++c) {
                    const double v = grey + static_cast<double>(next() % 61) - 30.0;
                    x.push_back(step * static_cast<float>(std::round(v / step)));
                }
                w.push_back(1 + next() % 7);
            }
            core::KMeansParams p;
            p.k = k;
            p.seed = 2;
            p.tol = 0.0;
            p.max_iter = 30;
            const core::KMeansResult fast = run(x, w, 3, p, 2);
            const core::KMeansResult fast_one = run(x, w, 3, p, 1);
            p.max_lanes = 4;
            const core::KMeansResult narrow = run(x, w, 3, p, 2);
            p.max_lanes = 8;
            p.grid = false;
            const core::KMeansResult hamerly = run(x, w, 3, p, 1);
            p.bounds = false;
            p.seed_pruning = false;
            const core::KMeansResult plain = run(x, w, 3, p, 2);
            INFO("step=" << step << " k=" << k);
            REQUIRE(plain.k == k);
            test::require_same_run(fast, plain);
            test::require_same_run(fast_one, plain);
            test::require_same_run(narrow, plain);
            test::require_same_run(hamerly, plain);
            // Not a trivial run: labels still moved in the later rounds, and the bounds and the
            // grid left most points unscanned.
            REQUIRE(fast.rounds.size() > 5);
            CHECK(fast.rounds[4].changed > 0.0);
            size_t scanned = 0;
            for (size_t r = 1; r < fast.rounds.size(); ++r) {
                scanned += fast.rounds[r].scanned;
            }
            CHECK(scanned < x.size() / 3 * (fast.rounds.size() - 1) / 2);
        }
    }
}

TEST_CASE("a point whose own centroid moves away leaves it: the upper bound follows that move",
          "[kmeans]")
{
    // One axis, given centroids 4 and 10: ten points at 0, one at 6.5, ten at 10. Round 1 gives
    // 6.5 to centroid 0 (2.5 against 3.5), which then moves to 6.5 / 11 while centroid 1 stays.
    // In round 2 the point's lower bound (3.5, no other centroid moved) and its centroid's half
    // gap (4.7) are both above its old distance 2.5: only an upper bound raised by its own
    // centroid's move (3.4) sends it to centroid 1, at 3.5 now against 5.9.
    std::vector<float> x(21, 0.0f);
    x[10] = 6.5f;
    for (int i = 11; i < 21; ++i) {
        x[i] = 10.0f;
    }
    core::KMeansParams p;
    p.k = 2;
    p.init = core::Init::given;
    p.given_centroids = {4.0f, 10.0f};
    p.tol = 0.0;
    const core::KMeansResult fast = run(x, {}, 1, p);
    REQUIRE(fast.rounds.size() >= 2);
    CHECK(fast.rounds[1].scanned < x.size()); // the bounds were in use in round 2
    CHECK(fast.labels[10] == 1);
    CHECK(fast.centroids == std::vector<float>{0.0f, static_cast<float>(106.5 / 11.0)});
    p.bounds = false;
    const core::KMeansResult plain = run(x, {}, 1, p);
    CHECK(fast.labels == plain.labels);
    CHECK(fast.history_centroids == plain.history_centroids);
}

namespace {

/// Every round's inertia summed point by point: each point's squared distance to its nearest
/// centroid of that round (float, lowest index on ties) times its weight, summed in double in
/// point order; the distance in float as a pass without bounds computes it, or (exact) in double.
std::vector<double> per_point_round_inertia(const std::vector<float>& x,
                                            const std::vector<double>& w, int d,
                                            const core::KMeansResult& r, bool exact)
{
    const size_t n = x.size() / d;
    const size_t kd = static_cast<size_t>(r.k) * d;
    std::vector<double> out;
    for (size_t round = 0; round < r.rounds.size(); ++round) {
        const float* c = r.history_centroids.data() + round * kd;
        double sum = 0.0;
        for (size_t i = 0; i < n; ++i) {
            const float* p = x.data() + i * d;
            float best = core::detail::squared_distance(p, c, d);
            int nearest = 0;
            for (int j = 1; j < r.k; ++j) {
                const float dj = core::detail::squared_distance(p, c + static_cast<size_t>(j) * d, d);
                if (dj < best) {
                    best = dj;
                    nearest = j;
                }
            }
            const double dist = exact
                ? core::detail::squared_gap(p, c + static_cast<size_t>(nearest) * d, d)
                : static_cast<double>(best);
            sum += (w.empty() ? 1.0 : w[i]) * dist;
        }
        out.push_back(sum);
    }
    return out;
}

/// The largest relative gaps between every round's inertia (from the clusters' moments) and the
/// per-point sums in float (first) and in double (second); the same run's plain Lloyd must give
/// the same bits.
std::pair<double, double> round_inertia_gaps(const std::vector<float>& x,
                                             const std::vector<double>& w, int d,
                                             core::KMeansParams p)
{
    const core::KMeansResult fast = run(x, w, d, p, 3);
    p.bounds = false;
    const core::KMeansResult plain = run(x, w, d, p, 1);
    REQUIRE(fast.rounds.size() == plain.rounds.size());
    REQUIRE(fast.rounds.size() > 5);
    const std::vector<double> in_float = per_point_round_inertia(x, w, d, fast, false);
    const std::vector<double> in_double = per_point_round_inertia(x, w, d, fast, true);
    std::pair<double, double> gaps{0.0, 0.0};
    for (size_t r = 0; r < fast.rounds.size(); ++r) {
        const double v = fast.rounds[r].inertia;
        CHECK(v == plain.rounds[r].inertia);
        gaps.first = std::max(gaps.first, std::fabs(v - in_float[r]) / in_float[r]);
        gaps.second = std::max(gaps.second, std::fabs(v - in_double[r]) / in_double[r]);
    }
    return gaps;
}

} // namespace

TEST_CASE("the rounds' inertia from the clusters' moments agrees with the per-point sum", "[kmeans]")
{
    // The float distances of a per-point sum are rounded to 2^-24 relative each; the moments are
    // exact sums evaluated in double. Measured largest gaps to the float sum: china.jpg 2.1e-8
    // (rgb + xy) and 2.0e-9 (lab), the Lab-like data 1.2e-9; to the same sum with distances in
    // double: 2.5e-12, 1.2e-12 and 3e-14.
    constexpr double kFloatTolerance = 1e-7;
    constexpr double kDoubleTolerance = 1e-10;
    const core::Image img = test::load_photo(test::kChinaJpg);
    for (core::Space space : {core::Space::rgb, core::Space::lab}) {
        core::ClusterParams cp;
        cp.space = space;
        cp.xy = space == core::Space::rgb ? 1.0f : 0.0f;
        const int d = core::feature_dimension(cp);
        std::vector<float> x;
        core::pixel_features(img, cp, 0, img.pixels(), d, x);
        core::KMeansParams p;
        p.k = 16;
        p.seed = 1;
        p.max_iter = 12;
        const std::pair<double, double> gaps = round_inertia_gaps(x, {}, d, p);
        INFO("china.jpg d=" << d << ": relative gaps " << gaps.first << " " << gaps.second);
        CHECK(gaps.first < kFloatTolerance);
        CHECK(gaps.second < kDoubleTolerance);
    }
    // Lab-like weighted points: no coordinate a multiple of a power of two near it.
    std::vector<float> x;
    std::vector<double> w;
    lab_like(3, 91, 0.0f, x, w);
    core::KMeansParams p;
    p.k = 24;
    p.seed = 4;
    p.tol = 0.0;
    p.max_iter = 30;
    const std::pair<double, double> gaps = round_inertia_gaps(x, w, 3, p);
    INFO("Lab-like: relative gaps " << gaps.first << " " << gaps.second);
    CHECK(gaps.first < kFloatTolerance);
    CHECK(gaps.second < kDoubleTolerance);
}
