// Init "grid" (SLIC's seeding): exactly k centres on the lattice, each moved only within its 3 x 3
// neighbourhood to the lowest colour gradient, what cluster() starts from, the stats and the link.
#include "core/kmeans_init_grid.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <map>
#include <set>

#include <catch2/catch.hpp>

#include "core/cluster.h"
#include "core/features.h"
#include "core/link.h"
#include "core/stats.h"
#include "support.h"

namespace {

/// Rows of the lattice: pixel y -> the xs on that row, in order.
std::map<size_t, std::vector<size_t>> rows_of(const std::vector<size_t>& lattice, int width)
{
    std::map<size_t, std::vector<size_t>> rows;
    for (size_t i : lattice) {
        rows[i / static_cast<size_t>(width)].push_back(i % static_cast<size_t>(width));
    }
    return rows;
}

std::vector<float> features(const core::Image& img, const core::ClusterParams& p)
{
    std::vector<float> f;
    core::pixel_features(img, p, 0, img.pixels(), 5, f);
    return f;
}

} // namespace

TEST_CASE("the grid lattice holds exactly k distinct pixels, rows even, whatever k is", "[init_grid]")
{
    struct Case { int w, h, k; };
    for (const Case c : {Case{100, 100, 100}, Case{640, 427, 1000}, Case{640, 427, 997},
                         Case{2560, 1600, 4096}, Case{10, 10, 7}, Case{1, 50, 10}, Case{50, 1, 10},
                         Case{7, 5, 35}, Case{3, 3, 100}, Case{32, 21, 1000}}) {
        CAPTURE(c.w, c.h, c.k);
        const std::vector<size_t> lattice = core::grid_lattice(c.w, c.h, c.k);
        const size_t want = static_cast<size_t>(std::min(c.k, c.w * c.h));
        CHECK(lattice.size() == want);
        CHECK(std::set<size_t>(lattice.begin(), lattice.end()).size() == want);
        const auto rows = rows_of(lattice, c.w);
        size_t fewest = want;
        size_t most = 0;
        for (const auto& [y, xs] : rows) {
            fewest = std::min(fewest, xs.size());
            most = std::max(most, xs.size());
            // Evenly spaced within the row: steps differ by at most one pixel.
            for (size_t i = 2; i < xs.size(); ++i) {
                CHECK(std::abs(static_cast<long>(xs[i] - xs[i - 1]) - static_cast<long>(xs[1] - xs[0])) <= 1);
            }
        }
        CHECK(most - fewest <= 1);
    }
    // A rectangle number on a square: SLIC's own lattice, S = 10, centres at S/2 + i S.
    const auto rows = rows_of(core::grid_lattice(100, 100, 100), 100);
    REQUIRE(rows.size() == 10);
    size_t y = 5;
    for (const auto& [row, xs] : rows) {
        CHECK(row == y);
        CHECK(xs == std::vector<size_t>{5, 15, 25, 35, 45, 55, 65, 75, 85, 95});
        y += 10;
    }
    // k = 1000 on 640 x 427: S = 16.5, so 26 rows (round(427 / 16.5)) of 38 or 39.
    CHECK(rows_of(core::grid_lattice(640, 427, 1000), 640).size() == 26);
}

TEST_CASE("grid centres leave an edge for the flattest pixel of their 3 x 3, and only that far", "[init_grid]")
{
    // 30 x 30, k = 9: the lattice is x, y in {5, 15, 25}. A vertical edge between x = 5 and 6
    // (black left, white right) gives the centres on x = 5 a high gradient; x = 4 is flat.
    const int w = 30;
    const int h = 30;
    std::vector<float> colour(static_cast<size_t>(w * h) * 3, 0.0f);
    for (int y = 0; y < h; ++y) {
        for (int x = 6; x < w; ++x) {
            for (int a = 0; a < 3; ++a) {
                colour[(static_cast<size_t>(y) * w + x) * 3 + a] = 255.0f;
            }
        }
    }
    const std::vector<size_t> lattice = core::grid_lattice(w, h, 9);
    const std::vector<size_t> moved = core::grid_seed_pixels(colour.data(), 3, w, h, 9);
    REQUIRE(moved.size() == 9);
    for (size_t i = 0; i < 9; ++i) {
        const int lx = static_cast<int>(lattice[i] % w);
        const int ly = static_cast<int>(lattice[i] / w);
        const int mx = static_cast<int>(moved[i] % w);
        const int my = static_cast<int>(moved[i] / w);
        CAPTURE(lx, ly, mx, my);
        CHECK(std::abs(mx - lx) <= 1);
        CHECK(std::abs(my - ly) <= 1);
        if (lx == 5) {
            CHECK(mx == 4); // off the edge, to the first flat pixel in row order
            CHECK(my == ly - 1);
        } else {
            CHECK(moved[i] == lattice[i]); // flat already: stays on the lattice
        }
    }
    // A lattice closer than 3 pixels: the centres still end on distinct pixels.
    const std::vector<size_t> dense = core::grid_seed_pixels(colour.data(), 3, w, h, 400);
    CHECK(std::set<size_t>(dense.begin(), dense.end()).size() == 400);
}

TEST_CASE("init grid: a photo's run starts from the moved lattice, exactly k centres, in the stats", "[init_grid]")
{
    const core::Image img = test::load_photo(test::kChinaJpg);
    core::ThreadPool pool(2);
    core::ClusterParams p;
    p.kmeans.k = 300;
    p.kmeans.init = core::Init::grid;
    p.kmeans.max_iter = 3;
    p.xy = 1.0f;
    const core::ClusterResult r = core::cluster(img, p, pool, nullptr);
    REQUIRE(r.k == 300);
    REQUIRE(r.d == 5);
    // Round 0 of the history is the start: the features of the moved lattice's pixels, each
    // within 3 x 3 of its lattice pixel (compared as sets: clusters are ordered by share).
    const std::vector<float> f = features(img, p);
    const std::vector<size_t> moved = core::grid_seed_pixels(f.data(), 5, img.width, img.height, 300);
    const std::vector<size_t> lattice = core::grid_lattice(img.width, img.height, 300);
    std::multiset<std::array<float, 5>> want;
    for (size_t i = 0; i < moved.size(); ++i) {
        CHECK(std::abs(static_cast<int>(moved[i] % img.width) - static_cast<int>(lattice[i] % img.width)) <= 1);
        CHECK(std::abs(static_cast<int>(moved[i] / img.width) - static_cast<int>(lattice[i] / img.width)) <= 1);
        want.insert({f[5 * moved[i]], f[5 * moved[i] + 1], f[5 * moved[i] + 2], f[5 * moved[i] + 3],
                     f[5 * moved[i] + 4]});
    }
    std::multiset<std::array<float, 5>> got;
    for (int c = 0; c < r.k; ++c) {
        const float* s = r.history_centroids.data() + 5 * c;
        got.insert({s[0], s[1], s[2], s[3], s[4]});
    }
    CHECK(got == want);
    // Some centres did move (a photo has edges under a lattice of 300).
    CHECK(moved != lattice);
    const core::Json stats = core::stats_json(p, r, core::RunInfo{});
    CHECK(stats["init"] == "grid");
    CHECK(stats["k"] == 300);
    CHECK(r.note.empty());
}

TEST_CASE("init grid without position falls back to k-means++ and says so", "[init_grid]")
{
    const core::Image img = test::load_photo(test::kChinaJpg);
    core::ThreadPool pool(2);
    core::ClusterParams p;
    p.kmeans.k = 8;
    p.kmeans.init = core::Init::grid;
    const core::ClusterResult grid = core::cluster(img, p, pool, nullptr);
    p.kmeans.init = core::Init::kmeanspp;
    const core::ClusterResult plus = core::cluster(img, p, pool, nullptr);
    CHECK(grid.labels == plus.labels);
    CHECK(grid.inertia == plus.inertia);
    CHECK(grid.note.find("init grid needs position") != std::string::npos);
}

TEST_CASE("init grid travels in the link and the parameter table", "[init_grid]")
{
    core::LinkState s;
    s.sample = "astronaut";
    s.params.kmeans.k = 1000;
    s.params.kmeans.init = core::Init::grid;
    s.params.xy = 1.0f;
    const std::string link = core::format_link(s);
    CHECK(link.find("init=grid") != std::string::npos);
    const core::ParsedLink back = core::parse_link(link, core::LinkState{});
    CHECK(back.notes.empty());
    CHECK(back.state.params.kmeans.init == core::Init::grid);
    CHECK(back.state.params.kmeans.k == 1000);
    CHECK(core::format_link(back.state) == link);
    const core::ParamSpec& init = *core::find_param("init");
    CHECK(core::param_rule(init) == "kmeans++, random or grid");
    core::ClusterParams p;
    CHECK(core::set_param(init, "grid", p));
    CHECK(core::param_text(init, p) == "grid");
    CHECK(core::validate(p).empty());
}
