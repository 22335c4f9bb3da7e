// ExactSum (exact_sum.h): the same total whatever the order and grouping of the terms, terms
// taken away restore the total bit for bit, and multiples of the unit are added exactly.
#include "core/exact_sum.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

TEST_CASE("ExactSum: order and grouping do not change the total", "[exact_sum]")
{
    std::mt19937 gen(7);
    std::uniform_real_distribution<double> value(0.0, 300000.0);
    std::vector<double> terms(20000);
    for (double& t : terms) {
        t = value(gen); // any double: the plain sums round differently by order
    }

    core::ExactSum<40> forward;
    double plain_forward = 0.0;
    for (double t : terms) {
        forward.add(t);
        plain_forward += t;
    }
    std::reverse(terms.begin(), terms.end());
    core::ExactSum<40> backward;
    double plain_backward = 0.0;
    for (double t : terms) {
        backward.add(t);
        plain_backward += t;
    }
    // Groups of 37 summed apart, then merged.
    core::ExactSum<40> grouped;
    for (size_t b = 0; b < terms.size(); b += 37) {
        core::ExactSum<40> part;
        for (size_t i = b; i < std::min(terms.size(), b + 37); ++i) {
            part.add(terms[i]);
        }
        grouped += part;
    }
    CHECK(forward == backward);
    CHECK(forward == grouped);
    CHECK(forward.value() == backward.value());
    // The plain double sums of the same terms do depend on the order (else this test says little).
    CHECK(plain_forward != plain_backward);
    CHECK(forward.value() == Approx(plain_forward).epsilon(1e-12));
}

TEST_CASE("ExactSum: taking terms away restores the total, and unit multiples are exact", "[exact_sum]")
{
    core::ExactSum<28> s;
    s.add(255.0);
    s.add(1.0 / (1 << 28)); // a position feature's step
    const core::ExactSum<28> before = s;
    s.add(0.1);
    s.add(1e6);
    s.subtract(0.1);
    s.subtract(1e6);
    CHECK(s == before);
    CHECK(before.value() == 255.0 + 1.0 / (1 << 28));
    CHECK(core::ExactSum<28>::units(-2.5) == -(static_cast<__int128>(5) << 27));
    // Far beyond 2^64 units: the 128-bit total carries it.
    core::ExactSum<40> big;
    for (int i = 0; i < 1000; ++i) {
        big.add(1e9);
    }
    CHECK(big.value() == 1e12);
}

TEST_CASE("ExactSum: units rounds as nearbyint does, ties to even, in and past the fast range",
          "[exact_sum]")
{
    const double unit = std::ldexp(1.0, -40);
    // Ties both ways, negatives, integers, terms far below and far above the unit, and terms
    // past the two-addition path's range (2^51 units).
    const double terms[] = {0.0,         -0.0,       0.5 * unit, 1.5 * unit, 2.5 * unit,
                            -2.5 * unit, 255.0,      -128.25,    1e-30,      0.3,
                            1.0 / 3.0,   123.456789, 1e6 / 7.0,  0x1p11,     0x1p12 + 0.1,
                            -0x1p20 / 3, 3.0e11,     -7.7e14};
    for (double t : terms) {
        INFO(t);
        CHECK((core::ExactSum<40>::units(t) == static_cast<__int128>(std::nearbyint(std::ldexp(t, 40)))));
    }
    CHECK(core::round_small(2.5) == 2);
    CHECK(core::round_small(-3.5) == -4);
}
