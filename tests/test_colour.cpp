// Colour spaces: conversions against published reference values, round trips of every 8-bit
// colour on a grid, and clustering whose answer is known by construction in each space.
#include "core/colour.h"

#include <cmath>

#include <catch2/catch.hpp>

#include "core/cluster.h"
#include "support.h"

namespace {

constexpr core::Space kSpaces[] = {core::Space::rgb, core::Space::linear, core::Space::lab,
                                   core::Space::oklab};

std::vector<double> lab_of(uint8_t r, uint8_t g, uint8_t b, bool oklab)
{
    const double lin[3] = {core::srgb_to_linear(r / 255.0), core::srgb_to_linear(g / 255.0),
                           core::srgb_to_linear(b / 255.0)};
    double out[3] = {0, 0, 0};
    if (oklab) {
        core::linear_to_oklab(lin, out);
    } else {
        core::linear_to_lab(lin, out);
    }
    return {out[0], out[1], out[2]};
}

} // namespace

TEST_CASE("space names parse back", "[colour]")
{
    for (core::Space s : kSpaces) {
        core::Space parsed = core::Space::rgb;
        REQUIRE(core::parse_space(core::space_name(s), parsed));
        CHECK(parsed == s);
    }
    core::Space s = core::Space::lab;
    CHECK_FALSE(core::parse_space("hsv", s));
    CHECK(s == core::Space::lab);
}

TEST_CASE("the reproducible roots agree with the C library's", "[colour]")
{
    for (double x : {1e-300, 1e-9, 0.008856, 0.5, 1.0, 2.0, 3.0, 27.0, 1000.0, 1e300}) {
        CHECK(core::exact_cbrt(x) == Approx(std::cbrt(x)).epsilon(1e-15));
        CHECK(core::exact_cbrt(-x) == Approx(-std::cbrt(x)).epsilon(1e-15));
    }
    CHECK(core::exact_cbrt(0.0) == 0.0);
    for (int i = 0; i <= 255; ++i) {
        const double v = i / 255.0;
        const double want = v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
        CHECK(core::srgb_to_linear(v) == Approx(want).epsilon(1e-14).margin(1e-16));
        CHECK(core::linear_to_srgb(want) == Approx(v).epsilon(1e-13).margin(1e-15));
    }
}

TEST_CASE("CIE L*a*b* of sRGB primaries matches published values", "[colour]")
{
    // Reference: Bruce Lindbloom's colour calculator (sRGB, D65, no adaptation), which implements
    // the CIE 15 definitions; the same four values appear in most published sRGB/Lab tables.
    struct Ref {
        uint8_t r, g, b;
        double l, a, bb;
    };
    const Ref refs[] = {
        {255, 255, 255, 100.0, 0.0, 0.0},
        {0, 0, 0, 0.0, 0.0, 0.0},
        {255, 0, 0, 53.2408, 80.0925, 67.2032},
        {0, 255, 0, 87.7347, -86.1827, 83.1793},
        {0, 0, 255, 32.2970, 79.1875, -107.8602},
    };
    for (const Ref& ref : refs) {
        const std::vector<double> lab = lab_of(ref.r, ref.g, ref.b, false);
        INFO(int(ref.r) << "," << int(ref.g) << "," << int(ref.b));
        CHECK(lab[0] == Approx(ref.l).margin(2e-3));
        CHECK(lab[1] == Approx(ref.a).margin(2e-3));
        CHECK(lab[2] == Approx(ref.bb).margin(2e-3));
    }
}

TEST_CASE("Oklab of sRGB primaries matches values from Ottosson's definition", "[colour]")
{
    // Computed from the matrices in Björn Ottosson, "A perceptual color space for image processing"
    // (2020, bottosson.github.io/posts/oklab); CSS Color 4 lists red as oklab(62.8% 0.225 0.126).
    struct Ref {
        uint8_t r, g, b;
        double l, a, bb;
    };
    const Ref refs[] = {
        {255, 255, 255, 1.0, 0.0, 0.0},
        {255, 0, 0, 0.627955, 0.224863, 0.125846},
        {0, 255, 0, 0.866440, -0.233888, 0.179498},
        {0, 0, 255, 0.452014, -0.032457, -0.311528},
    };
    for (const Ref& ref : refs) {
        const std::vector<double> lab = lab_of(ref.r, ref.g, ref.b, true);
        INFO(int(ref.r) << "," << int(ref.g) << "," << int(ref.b));
        CHECK(lab[0] == Approx(ref.l).margin(2e-5));
        CHECK(lab[1] == Approx(ref.a).margin(2e-5));
        CHECK(lab[2] == Approx(ref.bb).margin(2e-5));
    }
}

TEST_CASE("every space takes 8-bit colours back to themselves", "[colour]")
{
    for (core::Space s : kSpaces) {
        INFO(core::space_name(s));
        size_t wrong = 0;
        for (int r = 0; r < 256; r += 3) {
            for (int g = 0; g < 256; g += 3) {
                for (int b = 0; b < 256; b += 3) {
                    const uint8_t in[3] = {uint8_t(r), uint8_t(g), uint8_t(b == 255 ? 255 : b)};
                    float f[3];
                    uint8_t back[3];
                    core::srgb8_to_space(s, in, f);
                    core::space_to_srgb8(s, f, back);
                    wrong += back[0] != in[0] || back[1] != in[1] || back[2] != in[2];
                }
            }
        }
        CHECK(wrong == 0);
        // The lightness axis spans S from black to white.
        const uint8_t black[3] = {0, 0, 0}, white[3] = {255, 255, 255};
        float fb[3], fw[3];
        core::srgb8_to_space(s, black, fb);
        core::srgb8_to_space(s, white, fw);
        CHECK(fw[0] - fb[0] == Approx(core::space_span(s)).epsilon(1e-6));
    }
}

TEST_CASE("out-of-gamut centroids clamp to the nearest sRGB byte", "[colour]")
{
    const float lab[3] = {120.0f, 0.0f, 0.0f};
    uint8_t rgb[3];
    core::space_to_srgb8(core::Space::lab, lab, rgb);
    CHECK(rgb[0] == 255);
    const float neg[3] = {-10.0f, 300.0f, 20.0f};
    core::space_to_srgb8(core::Space::rgb, neg, rgb);
    CHECK((rgb[0] == 0 && rgb[1] == 255 && rgb[2] == 20));
}

TEST_CASE("in every space, two groups of two shades give the groups' means", "[colour][cluster]")
{
    // Columns: two dark reds (3 and 1 columns wide) and two light blues (2 and 2): at k = 2 the
    // clusters are the two groups and each centroid is its group's pixel-weighted mean in the space.
    const std::vector<uint8_t> shades = {150, 20, 30, 150, 20, 30, 150, 20, 30, 160, 30, 20,
                                         90, 160, 240, 90, 160, 240, 100, 170, 250, 100, 170, 250};
    const core::Image img = test::stripes(shades, 3, 5);
    for (core::Space s : kSpaces) {
        INFO(core::space_name(s));
        core::ThreadPool pool(2);
        core::ClusterParams p;
        p.kmeans.k = 2;
        p.space = s;
        const core::ClusterResult r = core::cluster(img, p, pool, nullptr);
        REQUIRE(r.k == 2);
        CHECK(r.distinct_colours == 4);
        double want[2][3] = {{0, 0, 0}, {0, 0, 0}};
        for (int c = 0; c < 8; ++c) {
            float f[3];
            core::srgb8_to_space(s, shades.data() + 3 * c, f);
            for (int q = 0; q < 3; ++q) {
                want[c / 4][q] += f[q] / 4.0;
            }
        }
        CHECK(r.shares[0] == 0.5);
        // Group order: ties in share keep k-means' order, so find the red one by its palette.
        const int red = r.palette[0] > r.palette[2] ? 0 : 1;
        for (int q = 0; q < 3; ++q) {
            CHECK(r.centroids[3 * red + q] == Approx(want[0][q]).epsilon(1e-6));
            CHECK(r.centroids[3 * (1 - red) + q] == Approx(want[1][q]).epsilon(1e-6));
        }
        CHECK(r.labels[0] == red);
        CHECK(r.labels[img.width - 1] == 1 - red);
    }
}

TEST_CASE("lab and oklab with position: same labels on any thread count", "[colour][cluster]")
{
    const core::Image img = test::load_photo(test::kChinaJpg);
    for (core::Space s : {core::Space::lab, core::Space::oklab}) {
        core::ClusterParams p;
        p.kmeans.k = 6;
        p.space = s;
        p.xy = 1.0f;
        core::ThreadPool one(1), three(3);
        const core::ClusterResult a = core::cluster(img, p, one, nullptr);
        const core::ClusterResult b = core::cluster(img, p, three, nullptr);
        REQUIRE(a.d == 5);
        CHECK(a.labels == b.labels);
        CHECK(a.centroids == b.centroids);
        CHECK(a.distinct_colours > 1000); // the converted-table path, not per-pixel conversion
        // Position features: x' = xy * S * (x + 0.5) / L, so the last column sits just below S.
        const float x_max = core::space_span(s) * (img.width - 0.5f) / img.width;
        float seen = 0.0f;
        for (int c = 0; c < a.k; ++c) {
            seen = std::max(seen, a.centroids[5 * c + 3]);
        }
        CHECK(seen < x_max);
        CHECK(seen > 0.5f * x_max);
    }
}
