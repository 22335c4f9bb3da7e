// The vector helpers of kmeans_simd.h that stand in for scalar code: max_of and min_of give
// std::max's and std::min's result bit for bit (in wasm they run in a vector lane, natively they
// are the scalar select), signed zeros, infinities and NaN included, in either argument order.
#include "core/kmeans_simd.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include <catch2/catch.hpp>

namespace {

uint64_t bits(double v)
{
    uint64_t b = 0;
    std::memcpy(&b, &v, sizeof b);
    return b;
}

} // namespace

TEST_CASE("max_of and min_of: std::max and std::min bit for bit", "[kmeans]")
{
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<double> values = {0.0, -0.0, 1.0, -1.0, 0.5, 1e300, -1e-300, inf, -inf, nan};
    for (double a : values) {
        for (double b : values) {
            INFO("a = " << a << ", b = " << b);
            CHECK(bits(core::detail::max_of(a, b)) == bits(std::max(a, b)));
            CHECK(bits(core::detail::min_of(a, b)) == bits(std::min(a, b)));
        }
    }
}
