// The centroid grid's nearest search (kmeans_grid.h) against a plain scan over every centroid:
// whenever it claims an answer, the same nearest (lowest index on ties), the same float distance,
// and a lower bound no higher than the true second nearest.
#include "core/kmeans_grid.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

#include "core/kmeans.h"

namespace {

/// Image-like RGB+XY points: colour on a coarse integer grid (exact ties), position in
/// [0, 255) x [0, 170) as kpix scales a 3:2 photo at xy = 1.
std::vector<float> points(size_t n, uint32_t seed)
{
    std::vector<float> x;
    uint32_t s = seed;
    auto next = [&]() {
        s = s * 1664525u + 1013904223u;
        return s >> 8;
    };
    for (size_t i = 0; i < n; ++i) {
        for (int c = 0; c < 3; ++c) {
            x.push_back(static_cast<float>(16 * (next() % 16)));
        }
        x.push_back(static_cast<float>(next() % 255));
        x.push_back(static_cast<float>(next() % 170));
    }
    return x;
}

} // namespace

TEST_CASE("the grid's nearest search agrees with a scan over every centroid", "[kmeans][grid]")
{
    using namespace core::detail;
    const int d = 5;
    const int k = 600;
    const std::vector<float> c = points(k, 7);
    const std::vector<float> x = points(20000, 11);
    const double box[4] = {0.0, 254.0, 0.0, 169.0};
    for (bool wide : {false, true}) {
        if (wide && core::kernel_lanes(8) < 8) {
            continue; // no 8-lane windows on this CPU or in wasm
        }
        PositionGrid grid;
        grid.build(c.data(), k, d, box, 1.0, wide);
        size_t claimed = 0;
        size_t far = 0; // claimed by points whose nearest lies beyond the first window
        for (size_t i = 0; i < x.size() / d; ++i) {
            const float* p = x.data() + i * d;
            int want = 0;
            float best = std::numeric_limits<float>::infinity();
            float second = best;
            for (int j = 0; j < k; ++j) {
                const float s = squared_distance(p, c.data() + static_cast<size_t>(j) * d, d);
                if (s < best) {
                    second = best;
                    best = s;
                    want = j;
                } else if (s < second) {
                    second = s;
                }
            }
            int got = -1;
            float got_best = 0.0f;
            double other = 0.0;
            if (!grid.nearest<d>(p, got, got_best, other)) {
                continue;
            }
            ++claimed;
            const double cell_reach =
                grid.reach(grid.locate(p), PositionGrid::kRings);
            if (std::sqrt(static_cast<double>(best)) > cell_reach) {
                ++far;
            }
            INFO("wide=" << wide << " point " << i);
            REQUIRE(got == want);
            REQUIRE(got_best == best);
            REQUIRE(other <= std::sqrt(static_cast<double>(second)));
        }
        INFO("wide=" << wide);
        CHECK(claimed > x.size() / d / 2);
        CHECK(far > 100); // the second window did work
    }
}
