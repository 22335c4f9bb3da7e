// The tiles exact k-means++ sums its potentials over (kmeans_seed_tiles.h): every point in one
// tile, boxes that hold their points, and tiles compact in colour as well as position.
#include "core/kmeans_seed_tiles.h"

#include <algorithm>
#include <vector>

#include <catch2/catch.hpp>

#include "core/thread_pool.h"
#include "support.h"

namespace {

/// The points x (d floats each), weighted by w when it is not empty.
core::detail::Data data_of(const std::vector<float>& x, const std::vector<double>& w, int d)
{
    core::detail::Data data;
    data.x = x.data();
    data.w = w.empty() ? nullptr : w.data();
    data.n = x.size() / static_cast<size_t>(d);
    data.d = d;
    return data;
}

/// A closest value per point, (i * step) % period: spread, and not in point order.
std::vector<float> closest_cycle(size_t n, size_t step, size_t period)
{
    std::vector<float> closest(n);
    for (size_t i = 0; i < n; ++i) {
        closest[i] = static_cast<float>((i * step) % period);
    }
    return closest;
}

/// Checks what the seeding relies on: order is a permutation of the points, tiles of at most
/// kTile points cut it, super tiles cut the tiles, each tile's box holds its points and its
/// largest closest is its points' largest; returns the number of tiles.
size_t check_tiles(const core::detail::SeedTiles& t, const core::detail::Data& data,
                   const std::vector<float>& closest)
{
    const size_t n = data.n;
    const int d = data.d;
    std::vector<uint32_t> sorted = t.order;
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 0; i < n; ++i) {
        REQUIRE(sorted[i] == i);
    }
    REQUIRE(t.tile_begin.front() == 0);
    REQUIRE(t.tile_begin.back() == n);
    REQUIRE(t.super_begin.front() == 0);
    REQUIRE(t.super_begin.back() == t.tiles());
    for (size_t q = 0; q < t.supers(); ++q) {
        REQUIRE(t.super_begin[q] < t.super_begin[q + 1]);
    }
    for (size_t k = 0; k < t.tiles(); ++k) {
        const size_t b = t.tile_begin[k];
        const size_t e = t.tile_begin[k + 1];
        REQUIRE(b < e);
        REQUIRE(e - b <= core::detail::SeedTiles::kTile);
        float largest = 0.0f;
        for (size_t j = b; j < e; ++j) {
            const float* p = data.point(t.order[j]);
            for (int a = 0; a < d; ++a) {
                CHECK(t.tile_lo[a * t.tile_stride + k] <= p[a]);
                CHECK(p[a] <= t.tile_hi[a * t.tile_stride + k]);
                CHECK(t.soa[a * t.stride + j] == p[a]);
            }
            CHECK(t.closest[j] == closest[t.order[j]]);
            largest = std::max(largest, closest[t.order[j]]);
        }
        CHECK(t.tile_max[k] == largest);
    }
    return t.tiles();
}

} // namespace

TEST_CASE("seed tiles with position: tiles hold one colour where the pixels side by side alternate",
          "[kmeans]")
{
    // A 256 x 128 image in two colours, alternating pixel by pixel (a checkerboard): every
    // block of pixels side by side holds both, but each super tile has about as many pixels of
    // each, so tiles cut across colour too hold one colour each, but for about one a super
    // tile where a colour's pixels are not a whole number of tiles; their boxes then keep a
    // trial of one colour from reaching the other's tiles.
    const int w = 256;
    const int h = 128;
    std::vector<float> x;
    for (int y = 0; y < h; ++y) {
        for (int i = 0; i < w; ++i) {
            const float c = (i + y) % 2 == 0 ? 20.0f : 220.0f;
            x.insert(x.end(), {c, c, c, static_cast<float>(i), static_cast<float>(y)});
        }
    }
    const core::detail::Data data = data_of(x, {}, 5);
    const std::vector<float> closest = closest_cycle(data.n, 1, 97);
    core::ThreadPool pool(2);
    core::detail::SeedTiles tiles;
    tiles.build(data, closest, pool);
    const size_t count = check_tiles(tiles, data, closest);
    size_t mixed = 0;
    for (size_t k = 0; k < count; ++k) {
        mixed += tiles.tile_lo[k] != tiles.tile_hi[k] ? 1 : 0;
    }
    INFO(count << " tiles in " << tiles.supers() << " super tiles, " << mixed << " mixed");
    REQUIRE(tiles.supers() > 1);
    CHECK(mixed * 20 < count);
}

TEST_CASE("seed tiles with position: an image of one super tile still has every tile", "[kmeans]")
{
    // 40 x 30 pixels, weighted: fewer than one super tile's worth.
    std::vector<float> x;
    std::vector<double> wt;
    for (int y = 0; y < 30; ++y) {
        for (int i = 0; i < 40; ++i) {
            const float c = static_cast<float>((i * 7 + y * 3) % 50);
            x.insert(x.end(),
                     {c, 100.0f - c, 0.5f * c, static_cast<float>(i), static_cast<float>(y)});
            wt.push_back(1 + (i + y) % 3);
        }
    }
    const core::detail::Data data = data_of(x, wt, 5);
    const std::vector<float> closest(data.n, 1.0f);
    core::ThreadPool pool(2);
    core::detail::SeedTiles tiles;
    tiles.build(data, closest, pool);
    CHECK(tiles.supers() == 1);
    const size_t kTile = core::detail::SeedTiles::kTile;
    CHECK(check_tiles(tiles, data, closest) == (data.n + kTile - 1) / kTile);
}

TEST_CASE("seed tiles on colours alone: every point once, boxes hold their points", "[kmeans]")
{
    // d = 3, weighted: octree cells, with few levels (many points share a finest cell).
    std::vector<float> x;
    std::vector<double> wt;
    uint32_t s = 7;
    for (int i = 0; i < 20000; ++i) {
        for (int a = 0; a < 3; ++a) {
            s = test::lcg_step(s);
            x.push_back(static_cast<float>((s >> 24) % 6) * 40.0f);
        }
        wt.push_back(1 + (s >> 8) % 5);
    }
    const core::detail::Data data = data_of(x, wt, 3);
    const std::vector<float> closest = closest_cycle(data.n, 31, 1000);
    core::ThreadPool pool(2);
    core::detail::SeedTiles tiles;
    tiles.build(data, closest, pool);
    check_tiles(tiles, data, closest);
    for (size_t j = 0; j < data.n; ++j) {
        CHECK(tiles.weight[j] == wt[tiles.order[j]]);
    }
}

TEST_CASE("seed tiles with position: the same tiles on 1 and 3 threads, super boxes hold them",
          "[kmeans]")
{
    // 600 x 400 pixels of a smooth gradient with noise (240000 points: 59 chunks of the
    // parallel passes, about 30 super tiles), weighted, with a negative position origin.
    std::vector<float> x;
    std::vector<double> wt;
    uint32_t s = 3;
    for (int y = 0; y < 400; ++y) {
        for (int i = 0; i < 600; ++i) {
            s = test::lcg_step(s);
            const float noise = static_cast<float>((s >> 24) % 9);
            x.insert(x.end(), {0.3f * static_cast<float>(i) + noise, 0.5f * static_cast<float>(y),
                               noise * 3.0f, static_cast<float>(i - 50), static_cast<float>(y - 7)});
            wt.push_back(1 + (s >> 8) % 4);
        }
    }
    const core::detail::Data data = data_of(x, wt, 5);
    const std::vector<float> closest = closest_cycle(data.n, 13, 1001);
    core::ThreadPool one(1);
    core::ThreadPool three(3);
    core::detail::SeedTiles a;
    core::detail::SeedTiles b;
    a.build(data, closest, one);
    b.build(data, closest, three);
    check_tiles(b, data, closest);
    REQUIRE(b.supers() > 8);
    CHECK(a.order == b.order);
    CHECK(a.tile_begin == b.tile_begin);
    CHECK(a.super_begin == b.super_begin);
    CHECK(a.tile_lo == b.tile_lo);
    CHECK(a.tile_hi == b.tile_hi);
    CHECK(a.super_box == b.super_box);
    CHECK(a.super_max == b.super_max);
    CHECK(a.weight == b.weight);
    const int d = data.d;
    for (size_t q = 0; q < b.supers(); ++q) {
        float largest = 0.0f;
        for (size_t t = b.super_begin[q]; t < b.super_begin[q + 1]; ++t) {
            for (int ax = 0; ax < d; ++ax) {
                CHECK(b.super_box[q * 2 * d + ax] <= b.tile_lo[ax * b.tile_stride + t]);
                CHECK(b.tile_hi[ax * b.tile_stride + t] <= b.super_box[q * 2 * d + d + ax]);
            }
            largest = std::max(largest, b.tile_max[t]);
        }
        CHECK(b.super_max[q] == largest);
    }
}
