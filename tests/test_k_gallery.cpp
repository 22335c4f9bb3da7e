// The k-grid (thumbnails with at most k colours, laid out as documented) and the init comparison
// (on an image built to trap random starts, k-means++ must do visibly better).
#include "core/k_gallery.h"

#include <algorithm>
#include <set>

#include <catch2/catch.hpp>

#include "core/rng.h"
#include "support.h"

namespace {

std::set<uint32_t> colours_of(const core::Image& img, int x0 = 0, int y0 = 0, int w = -1, int h = -1)
{
    w = w < 0 ? img.width : w;
    h = h < 0 ? img.height : h;
    std::set<uint32_t> out;
    for (int y = y0; y < y0 + h; ++y) {
        for (int x = x0; x < x0 + w; ++x) {
            const uint8_t* p = img.rgba.data() + 4 * (static_cast<size_t>(y) * img.width + x);
            out.insert(static_cast<uint32_t>(p[0]) << 24 | p[1] << 16 | p[2] << 8 | p[3]);
        }
    }
    return out;
}

/// Two big grey regions (about 88% of the pixels) and six small squares of saturated colours
/// (2% each), with +-8 of noise. Eight clusters are plain to see, but a random (Forgy) start
/// draws its 8 centroids from the pixels, so it usually puts several in the grey regions and
/// misses small squares, which Lloyd's rounds then cannot recover; k-means++ draws with
/// probability proportional to the squared distance and finds the small squares.
core::Image trap_image()
{
    static const uint8_t small[6][3] = {{250, 10, 10}, {10, 250, 10},  {10, 10, 250},
                                        {250, 250, 10}, {10, 250, 250}, {250, 10, 250}};
    core::Image img;
    img.width = 240;
    img.height = 100;
    img.rgba.resize(img.pixels() * 4);
    core::Rng rng(11);
    for (int y = 0; y < img.height; ++y) {
        for (int x = 0; x < img.width; ++x) {
            uint8_t base[3] = {70, 70, 70};
            if (x >= img.width / 2) {
                base[0] = base[1] = base[2] = 180;
            }
            if (y < 20 && x % 40 < 20) {
                std::copy_n(small[x / 40], 3, base);
            }
            uint8_t* p = img.rgba.data() + 4 * (static_cast<size_t>(y) * img.width + x);
            for (int q = 0; q < 3; ++q) {
                const int v = base[q] + static_cast<int>(rng.below(17)) - 8;
                p[q] = static_cast<uint8_t>(std::clamp(v, 0, 255));
            }
            p[3] = 255;
        }
    }
    return img;
}

} // namespace

TEST_CASE("k-grid: one thumbnail per k, each with at most k colours", "[k_gallery]")
{
    // Five flat stripes: k = 5 recolours them exactly, fewer merge some.
    const core::Image img = test::stripes({250, 0, 0, 0, 250, 0, 0, 0, 250, 250, 250, 0, 20, 20, 20}, 40, 30);
    core::ThreadPool pool(2);
    core::ClusterParams p;
    core::GridOptions o;
    o.tile_side = 100;
    const core::KGrid g = core::k_grid(img, p, 2, 6, o, pool, nullptr);
    REQUIRE(g.tiles.size() == 5);
    for (const core::GridTile& t : g.tiles) {
        INFO("k = " << t.k);
        CHECK(t.thumbnail.width == 100);
        CHECK(t.thumbnail.height == 15);
        CHECK(static_cast<int>(colours_of(t.thumbnail).size()) <= t.k);
    }
    CHECK(colours_of(g.tiles[3].thumbnail).size() == 5);
    CHECK(g.tiles[3].inertia == 0.0);
    CHECK(g.tiles[0].inertia > g.tiles[1].inertia);
    CHECK(g.tiles[1].inertia > g.tiles[2].inertia);

    const core::GridLayout l = core::grid_layout(g);
    CHECK(l.columns == 3);
    CHECK(l.rows == 2);
    const core::Image pic = core::compose_grid(g, l);
    CHECK(pic.width == l.gap + 3 * (l.cell_width + l.gap));
    CHECK(pic.height == l.gap + 2 * (l.cell_height + l.gap));
    for (size_t i = 0; i < g.tiles.size(); ++i) {
        const core::Image& t = g.tiles[i].thumbnail;
        CHECK(colours_of(pic, l.origins[2 * i], l.origins[2 * i + 1], t.width, t.height) ==
              colours_of(t));
    }
}

TEST_CASE("k-grid: bad ranges and cancellation", "[k_gallery]")
{
    const core::Image img = test::stripes({250, 0, 0, 0, 250, 0}, 8, 8);
    core::ThreadPool pool(1);
    core::ClusterParams p;
    CHECK(core::k_grid(img, p, 5, 2, {}, pool, nullptr).tiles.empty());
    CHECK_FALSE(core::k_grid(img, p, 1, 4, {}, pool, nullptr).note.empty());
    CHECK(core::k_grid(img, p, 2, 2 + core::kMaxGridTiles, {}, pool, nullptr).tiles.empty());
    core::Progress progress;
    progress.cancel = true;
    CHECK(core::k_grid(img, p, 2, 4, {}, pool, &progress).cancelled);
}

TEST_CASE("init comparison: k-means++ escapes the trap random starts fall into", "[k_gallery]")
{
    const core::Image img = trap_image();
    core::ThreadPool pool(2);
    core::ClusterParams p;
    p.kmeans.k = 8;
    p.kmeans.seed = 1;
    const core::InitComparison c = core::compare_inits(img, p, 10, pool, nullptr);
    REQUIRE(c.kmeanspp.size() == 10);
    REQUIRE(c.random.size() == 10);
    const core::Spread pp = core::spread_of(c.kmeanspp);
    const core::Spread rnd = core::spread_of(c.random);
    INFO("k-means++ " << pp.min << " / " << pp.median << " / " << pp.max << ", random " << rnd.min
                      << " / " << rnd.median << " / " << rnd.max);
    // What the panel shows: k-means++'s worst run is no worse than random's typical one, and
    // random's worst is far worse than anything k-means++ did.
    CHECK(pp.max <= rnd.median);
    CHECK(pp.median < rnd.median);
    CHECK(rnd.max > 2.0 * pp.max);
    // Every k-means++ run found the eight groups: its spread is narrow.
    CHECK(pp.max <= 1.05 * pp.min);

    // The same seeds give the same numbers, on any thread count.
    core::ThreadPool one(1);
    const core::InitComparison again = core::compare_inits(img, p, 10, one, nullptr);
    CHECK(again.kmeanspp == c.kmeanspp);
    CHECK(again.random == c.random);
}

TEST_CASE("spread_of: min, median, max", "[k_gallery]")
{
    const core::Spread odd = core::spread_of({5.0, 1.0, 3.0});
    CHECK(odd.min == 1.0);
    CHECK(odd.median == 3.0);
    CHECK(odd.max == 5.0);
    CHECK(core::spread_of({4.0, 1.0, 2.0, 3.0}).median == 2.5);
}
