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
    const char* photo;
    core::Space space;
    float xy;
    int k;
    uint64_t seed;
};

/// One line: the setting, then hashes and exact bit patterns of the result.
std::string run_case(const Case& c)
{
    const core::Image img = test::load_photo(c.photo);
    core::ThreadPool pool(2);
    core::ClusterParams p;
    p.kmeans.k = c.k;
    p.kmeans.seed = c.seed;
    p.space = c.space;
    p.xy = c.xy;
    const core::ClusterResult r = core::cluster(img, p, pool, nullptr);
    std::ostringstream out;
    const char* slash = std::strrchr(c.photo, '/');
    out << (slash ? slash + 1 : c.photo) << " " << core::space_name(c.space) << " xy=" << c.xy
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
    const Case cases[] = {
        {test::kChinaJpg, core::Space::rgb, 0.0f, 16, 1},
        {test::kChinaJpg, core::Space::rgb, 1.0f, 8, 1},
        {test::kFlowerJpg, core::Space::oklab, 0.0f, 16, 2},
        {test::kFlowerJpg, core::Space::lab, 0.5f, 6, 3},
    };
    std::vector<std::string> got;
    for (const Case& c : cases) {
        got.push_back(run_case(c));
    }
    const std::string path = test::source_path(kFixture);
    const char* write = std::getenv("KPIX_WRITE_FIXTURES");
    if (write && std::string(write) == "1") {
        std::ofstream f(path);
        f << "# Written by tests/test_fixture.cpp (native build, KPIX_WRITE_FIXTURES=1): photo, space,\n"
             "# xy, k, seed, FNV-1a of the decoded RGBA and of the labels (uint16 little-endian),\n"
             "# iterations, and the bit patterns of inertia (double) and centroids (float).\n";
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
