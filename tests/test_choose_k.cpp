// Choosing k: images of n well-separated colour blobs must get k = n from the elbow, the
// silhouette and the gap statistic; the silhouette matches a brute-force count; sweeps repeat.
#include "core/choose_k.h"

#include <cmath>

#include <catch2/catch.hpp>

#include "core/rng.h"
#include "support.h"

namespace {

/// n flat squares of distinct, far-apart colours (side 24, in a row) with +-4 uniform noise.
core::Image blobs(int n, uint64_t seed = 7)
{
    static const uint8_t colours[8][3] = {{230, 30, 30}, {30, 220, 40},  {30, 40, 230},
                                          {240, 240, 40}, {30, 230, 230}, {230, 40, 230},
                                          {20, 20, 20},   {235, 235, 235}};
    const int side = 24;
    core::Image img;
    img.width = side * n;
    img.height = side;
    img.rgba.resize(img.pixels() * 4);
    core::Rng rng(seed);
    for (int y = 0; y < img.height; ++y) {
        for (int x = 0; x < img.width; ++x) {
            uint8_t* p = img.rgba.data() + 4 * (static_cast<size_t>(y) * img.width + x);
            for (int q = 0; q < 3; ++q) {
                const int v = colours[x / side][q] + static_cast<int>(rng.below(9)) - 4;
                p[q] = static_cast<uint8_t>(std::min(255, std::max(0, v)));
            }
            p[3] = 255;
        }
    }
    return img;
}

core::SweepResult sweep(const core::Image& img, int threads, int lo = 2, int hi = 16)
{
    core::ThreadPool pool(threads);
    core::ClusterParams p;
    p.kmeans.seed = 3;
    p.kmeans.n_init = 3;
    core::ChooseKOptions o;
    o.sample = 1500;
    return core::sweep_k(img, p, lo, hi, o, pool, nullptr);
}

} // namespace

TEST_CASE("elbow, silhouette and gap all find the number of colour blobs", "[choose_k]")
{
    // The default range 2..16: Kneedle measures against the chord of the whole curve, so a knee
    // near the top of a short range (8 in 2..12) can lose to the k just before it.
    for (int n : {3, 5, 8}) {
        INFO("blobs: " << n);
        const core::SweepResult r = sweep(blobs(n), 2);
        REQUIRE(r.points.size() == 15);
        CHECK(r.elbow == n);
        CHECK(r.silhouette == n);
        CHECK(r.gap == n);
    }
}

TEST_CASE("the same seed gives the same sweep on 1 and 2 threads", "[choose_k]")
{
    const core::Image img = blobs(5, 11);
    const core::SweepResult a = sweep(img, 1, 2, 7);
    const core::SweepResult b = sweep(img, 2, 2, 7);
    REQUIRE(a.points.size() == b.points.size());
    for (size_t i = 0; i < a.points.size(); ++i) {
        CHECK(a.points[i].inertia == b.points[i].inertia);
        CHECK(a.points[i].silhouette == b.points[i].silhouette);
        CHECK(a.points[i].gap == b.points[i].gap);
        CHECK(a.points[i].gap_sd == b.points[i].gap_sd);
    }
    CHECK(a.elbow == b.elbow);
    CHECK(a.silhouette == b.silhouette);
    CHECK(a.gap == b.gap);
}

TEST_CASE("transparent pixels take no part in a colour-only sweep", "[choose_k]")
{
    core::Image img = blobs(4);
    // The fourth blob (yellow) becomes transparent: three colours are left.
    for (int y = 0; y < img.height; ++y) {
        for (int x = 72; x < 96; ++x) {
            img.rgba[4 * (static_cast<size_t>(y) * img.width + x) + 3] = 0;
        }
    }
    const core::SweepResult r = sweep(img, 2);
    CHECK(r.elbow == 3);
    CHECK(r.silhouette == 3);
    CHECK(r.gap == 3);
    for (size_t i = 0; i < img.pixels(); ++i) {
        img.rgba[4 * i + 3] = 0;
    }
    const core::SweepResult none = sweep(img, 2);
    CHECK(none.points.empty());
    CHECK_FALSE(none.cancelled);
    CHECK(none.note == "every pixel of the image is transparent");
}

TEST_CASE("mean silhouette equals a brute-force computation", "[choose_k]")
{
    // Six points in 2-D, three clusters, one of them a singleton (scores 0).
    const std::vector<float> x = {0, 0, 1, 0, 0, 2, 10, 10, 11, 12, 30, 0};
    const std::vector<uint16_t> labels = {0, 0, 0, 1, 1, 2};
    const size_t n = 6;
    double total = 0.0;
    for (size_t i = 0; i < n; ++i) {
        double sum[3] = {0, 0, 0};
        int count[3] = {0, 0, 0};
        for (size_t j = 0; j < n; ++j) {
            ++count[labels[j]];
            if (j != i) {
                sum[labels[j]] += std::hypot(double(x[2 * i]) - x[2 * j],
                                                 double(x[2 * i + 1]) - x[2 * j + 1]);
            }
        }
        const int own = labels[i];
        if (count[own] == 1) {
            continue;
        }
        const double a = sum[own] / (count[own] - 1);
        double b = 1e300;
        for (int c = 0; c < 3; ++c) {
            if (c != own) {
                b = std::min(b, sum[c] / count[c]);
            }
        }
        total += (b - a) / std::max(a, b);
    }
    core::ThreadPool pool(2);
    CHECK(core::mean_silhouette(x.data(), labels.data(), n, 2, 3, pool) ==
          Approx(total / n).epsilon(1e-12));
}

TEST_CASE("elbow and gap rules on hand-made curves", "[choose_k]")
{
    CHECK(core::elbow_k({1, 2, 3, 4, 5}, {100, 20, 10, 8, 7}) == 2);
    CHECK(core::elbow_k({2, 3}, {5, 1}) == 2);
    CHECK(core::gap_k({1, 2, 3, 4}, {0.1, 0.5, 0.9, 0.85}, {0.01, 0.01, 0.01, 0.1}) == 3);
    CHECK(core::gap_k({1, 2, 3}, {0.1, 0.5, 0.9}, {0.01, 0.01, 0.01}) == 3);
}

TEST_CASE("a cancelled sweep stops and says so", "[choose_k]")
{
    core::ThreadPool pool(2);
    core::Progress progress;
    progress.cancel = true;
    const core::ChooseKOptions options;
    const core::SweepResult r =
        core::sweep_k(blobs(3), core::ClusterParams{}, 2, 6, options, pool, &progress);
    CHECK(r.cancelled);
    CHECK(r.points.empty());
}
