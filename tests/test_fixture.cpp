// Reproducibility across builds: results of real runs, stored as a fixture written by the native
// build, must come out bit for bit the same in every build (the wasm tests under node included).
// After a deliberate change to the engine's results, rewrite the fixture with
//   KPIX_WRITE_FIXTURES=1 build/native-release/tests/kpix_tests '[fixture]'
// and say why in the commit.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "core/cluster.h"
#include "support.h"

namespace {

const char* kFixture = "tests/fixtures/kmeans_reproducible.txt";

uint64_t fnv1a(const void* data, size_t size, uint64_t h = 1469598103934665603ull)
{
    const auto* p = static_cast<const uint8_t*>(data);
    for (size_t i = 0; i < size; ++i) {
        h = (h ^ p[i]) * 1099511628211ull;
    }
    return h;
}

std::string hex(uint64_t v, int digits)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%0*llx", digits, static_cast<unsigned long long>(v));
    return buf;
}

std::string bits(float f)
{
    uint32_t u = 0;
    std::memcpy(&u, &f, 4);
    return hex(u, 8);
}

std::string bits(double f)
{
    uint64_t u = 0;
    std::memcpy(&u, &f, 8);
    return hex(u, 16);
}

struct Case {
    /// The decoder: "" for stb_image (the cases this fixture began with, kept on it so their lines
    /// stay as they were), else the one decode_image picks ("libjpeg-turbo", "libspng"), whose
    /// name is written after the photo's.
    const char* decoder;
    const char* photo;
    core::Space space;
    float xy;
    int k;
    uint64_t seed;
    /// A working copy of at most this many pixels (DecodeOptions::max_pixels); 0: full size.
    size_t max_pixels = 0;
};

/// One line: the setting, then hashes and exact bit patterns of the result.
std::string run_case(const Case& c)
{
    const std::vector<uint8_t> bytes = test::read_bytes(c.photo);
    core::DecodeOptions options;
    options.stb_reference = *c.decoder == '\0';
    options.max_pixels = c.max_pixels;
    core::DecodeResult decoded = core::decode_image(bytes.data(), bytes.size(), options);
    REQUIRE(decoded.ok);
    const core::Image img = std::move(decoded.image);
    core::ThreadPool pool(2);
    core::ClusterParams p;
    p.kmeans.k = c.k;
    p.kmeans.seed = c.seed;
    p.space = c.space;
    p.xy = c.xy;
    const core::ClusterResult r = core::cluster(img, p, pool, nullptr);
    std::ostringstream out;
    const char* slash = std::strrchr(c.photo, '/');
    out << (slash ? slash + 1 : c.photo) << (*c.decoder ? "/" : "") << c.decoder;
    if (c.max_pixels > 0) {
        out << " max_pixels=" << c.max_pixels;
    }
    out << " " << core::space_name(c.space) << " xy=" << c.xy
        << " k=" << c.k << " seed=" << c.seed
        << " pixels=" << hex(fnv1a(img.rgba.data(), img.rgba.size()), 16)
        << " labels=" << hex(fnv1a(r.labels.data(), r.labels.size() * 2), 16)
        << " iterations=" << r.iterations << " inertia=" << bits(r.inertia) << " centroids=";
    for (size_t i = 0; i < r.centroids.size(); ++i) {
        out << (i ? "," : "") << bits(r.centroids[i]);
    }
    return out.str();
}

} // namespace

TEST_CASE("results match the native fixture bit for bit", "[fixture]")
{
    const std::string p3_png = test::source_path("tests/fixtures/photo/flower_p3.png");
    const std::string orient_6 = test::source_path("tests/fixtures/photo/orient_6.jpg");
    const Case cases[] = {
        {"", test::kChinaJpg, core::Space::rgb, 0.0f, 16, 1},
        {"", test::kChinaJpg, core::Space::rgb, 1.0f, 8, 1},
        {"", test::kFlowerJpg, core::Space::oklab, 0.0f, 16, 2},
        {"", test::kFlowerJpg, core::Space::lab, 0.5f, 6, 3},
        {"libjpeg-turbo", test::kChinaJpg, core::Space::rgb, 0.0f, 16, 1},
        {"libjpeg-turbo", test::kFlowerJpg, core::Space::oklab, 0.0f, 16, 2},
        {"libjpeg-turbo", orient_6.c_str(), core::Space::rgb, 0.0f, 8, 1},
        {"libspng", p3_png.c_str(), core::Space::rgb, 0.0f, 8, 1},
        // DCT-scaled working copies: 1/2 and 1/4 of china.jpg (640 x 427).
        {"libjpeg-turbo", test::kChinaJpg, core::Space::rgb, 0.0f, 8, 1, 60'000},
        {"libjpeg-turbo", test::kChinaJpg, core::Space::rgb, 0.0f, 8, 1, 17'000},
        // Large k: k-means++'s exact integer potentials over position tiles (k >= 64), with
        // position and on weighted distinct colours.
        {"", test::kChinaJpg, core::Space::rgb, 1.0f, 100, 1},
        {"", test::kFlowerJpg, core::Space::rgb, 0.0f, 80, 2},
    };
    std::vector<std::string> got;
    for (const Case& c : cases) {
        got.push_back(run_case(c));
    }
    const std::string path = test::source_path(kFixture);
    const char* write = std::getenv("KPIX_WRITE_FIXTURES");
    if (write && std::string(write) == "1") {
        std::ofstream f(path);
        f << "# Written by tests/test_fixture.cpp (native build, KPIX_WRITE_FIXTURES=1): photo (/decoder\n"
             "# when not stb_image; max_pixels for a working copy), space, xy, k, seed, FNV-1a of the\n"
             "# decoded RGBA and of the labels (uint16 little-endian), iterations, and the bit patterns\n"
             "# of inertia (double) and centroids (float).\n";
        for (const std::string& line : got) {
            f << line << "\n";
        }
        REQUIRE(f.good());
    }
    std::ifstream f(path);
    REQUIRE(f.good());
    std::vector<std::string> want;
    std::string line;
    while (std::getline(f, line)) {
        if (!line.empty() && line[0] != '#') {
            want.push_back(line);
        }
    }
    REQUIRE(want.size() == got.size());
    for (size_t i = 0; i < got.size(); ++i) {
        CHECK(got[i] == want[i]);
    }
}
