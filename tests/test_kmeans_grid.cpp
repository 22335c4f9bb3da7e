// The centroid grid (kmeans_grid.h), on position (PositionGrid) and on colour (ColourGrid),
// against plain scans over every centroid: whenever its nearest search claims an answer, the same
// nearest (lowest index on ties), the same float distance and a lower bound no higher than the
// true second nearest; its local bound no higher than the true distance to every other centroid,
// and so the local bounds the passes keep for position runs (Bounds::local), round after round;
// and the grid built on a thread pool (windows, half gaps, window moves) as on one thread.
#include "core/kmeans_grid.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include <catch2/catch.hpp>

#include "core/kmeans.h"
#include "core/thread_pool.h"
#include "support.h"

namespace {

/// Image-like RGB+XY points: colour on a coarse integer grid (exact ties), position in
/// [0, 255) x [0, 170) as kpix scales a 3:2 photo at xy = 1.
std::vector<float> points(size_t n, uint32_t seed)
{
    std::vector<float> x;
    test::Lcg r{seed};
    for (size_t i = 0; i < n; ++i) {
        for (int c = 0; c < 3; ++c) {
            x.push_back(static_cast<float>(16 * (r.next() % 16)));
        }
        x.push_back(static_cast<float>(r.next() % 255));
        x.push_back(static_cast<float>(r.next() % 170));
    }
    return x;
}

/// Photo-like colours: spread along the grey diagonal with a narrower spread across it, on a
/// grid of step `step` (step 8: many exact ties between centroids; a fraction: no ties, rounding).
std::vector<float> colours(size_t n, uint32_t seed, float step)
{
    std::vector<float> x;
    test::Lcg r{seed};
    for (size_t i = 0; i < n; ++i) {
        const float grey = static_cast<float>(r.next() % 256);
        for (int c = 0; c < 3; ++c) {
            const float v = grey + static_cast<float>(r.next() % 97) - 48.0f;
            x.push_back(step * std::round(std::min(255.0f, std::max(0.0f, v)) / step));
        }
    }
    return x;
}

struct Scan {
    int nearest = 0;
    float best = std::numeric_limits<float>::infinity();
    float second = std::numeric_limits<float>::infinity();
};

/// The plain scan: every centroid (d axes each) in index order, squared_distance's operations.
Scan scan_all(const float* p, const std::vector<float>& c, int d)
{
    Scan r;
    for (size_t j = 0; j < c.size() / d; ++j) {
        const float s = core::detail::squared_distance(p, c.data() + j * d, d);
        if (s < r.best) {
            r.second = r.best;
            r.best = s;
            r.nearest = static_cast<int>(j);
        } else if (s < r.second) {
            r.second = s;
        }
    }
    return r;
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
            const Scan want = scan_all(p, c, d);
            int got = -1;
            float got_best = 0.0f;
            double other = 0.0;
            if (!grid.nearest<d>(p, got, got_best, other)) {
                continue;
            }
            ++claimed;
            const double cell_reach =
                grid.reach(grid.locate(p), PositionGrid::kRings);
            if (std::sqrt(static_cast<double>(want.best)) > cell_reach) {
                ++far;
            }
            INFO("wide=" << wide << " point " << i);
            REQUIRE(got == want.nearest);
            REQUIRE(got_best == want.best);
            REQUIRE(other <= std::sqrt(static_cast<double>(want.second)));
        }
        INFO("wide=" << wide);
        CHECK(claimed > x.size() / d / 2);
        CHECK(far > 100); // the second window did work
    }
}

TEST_CASE("the need-driven search agrees with a scan over every centroid", "[kmeans][grid]")
{
    // A pass with bounds knows a point's distance to its own centroid before it scans: the search
    // starts from the first window that distance proves, or gives up at once. Here the known
    // distance is to the nearest or to a farther centroid (the label a point had before its
    // centroid moved away), and the points lie anywhere, on cell faces and past the grid's edges.
    using namespace core::detail;
    const int d = 5;
    const int k = 600;
    const std::vector<float> c = points(k, 7);
    std::vector<float> x = points(20000, 11);
    const double box[4] = {0.0, 254.0, 0.0, 169.0};
    for (bool wide : {false, true}) {
        if (wide && core::kernel_lanes(8) < 8) {
            continue; // no 8-lane windows on this CPU or in wasm
        }
        PositionGrid grid;
        grid.build(c.data(), k, d, box, 1.0, wide);
        test::Lcg r{17};
        size_t claimed = 0;
        size_t skipped = 0;    // claimed from the wide window alone
        size_t farther = 0;    // claimed where the known distance was not the nearest's
        for (size_t i = 0; i < x.size() / d; ++i) {
            float* p = x.data() + i * d;
            const int kind = static_cast<int>(i % 4);
            for (int a = 0; a < 2; ++a) {
                const float face = static_cast<float>(grid.o[a] + (r.next() % grid.n[a]) * grid.s);
                if (kind == 1) {
                    p[3 + a] = face; // on a cell face (rounded to float: either side of it)
                } else if (kind == 2) {
                    p[3 + a] = std::nextafter(face, r.next() % 2 ? 1e9f : -1e9f);
                } else if (kind == 3 && a == static_cast<int>(i / 4 % 2)) {
                    p[3 + a] = r.next() % 2 ? -3.0f - static_cast<float>(r.next() % 20)
                                            : 255.0f + static_cast<float>(r.next() % 20);
                }
            }
            const Scan want = scan_all(p, c, d);
            // The known centroid: the nearest, or one of the next few.
            std::vector<float> all(k);
            for (int j = 0; j < k; ++j) {
                all[j] = squared_distance(p, c.data() + static_cast<size_t>(j) * d, d);
            }
            std::nth_element(all.begin(), all.begin() + 3, all.end());
            std::sort(all.begin(), all.begin() + 3);
            const float known = all[r.next() % 3];
            int got = -1;
            float got_best = 0.0f;
            double other = 0.0;
            if (!grid.nearest<d>(p, got, got_best, other, static_cast<double>(known))) {
                continue;
            }
            ++claimed;
            const PositionGrid::Spot at = grid.locate(p);
            skipped += PositionGrid::proves(grid.reach(at, PositionGrid::kRings), known) ? 0 : 1;
            farther += known > want.best ? 1 : 0;
            INFO("wide=" << wide << " point " << i << " kind " << kind << " known " << known);
            REQUIRE(got == want.nearest);
            REQUIRE(got_best == want.best);
            REQUIRE(other <= std::sqrt(static_cast<double>(want.second)));
        }
        INFO("wide=" << wide);
        CHECK(claimed > x.size() / d / 5); // the rest need more than the wide window

        CHECK(skipped > 1000);
        CHECK(farther > 1000);
    }
}

TEST_CASE("the colour grid's nearest search agrees with a scan over every centroid",
          "[kmeans][grid]")
{
    using namespace core::detail;
    for (float step : {8.0f, 0.37f}) {
        for (int k : {256, 1024}) {
            const std::vector<float> c = colours(k, 7 + k, step);
            const std::vector<float> x = colours(20000, 11, step);
            for (bool wide : {false, true}) {
                if (wide && core::kernel_lanes(8) < 8) {
                    continue; // no 8-lane windows on this CPU or in wasm
                }
                ColourGrid grid;
                grid.build(c.data(), k, 3, nullptr, ColourGrid::kCellsPerCentroid, wide);
                size_t claimed = 0;
                size_t far = 0; // claimed by points whose nearest lies beyond the first window
                for (size_t i = 0; i < x.size() / 3; ++i) {
                    const float* p = x.data() + i * 3;
                    const Scan want = scan_all(p, c, 3);
                    int got = -1;
                    float got_best = 0.0f;
                    double other = 0.0;
                    if (!grid.nearest<3>(p, got, got_best, other)) {
                        continue;
                    }
                    ++claimed;
                    const double first_reach = grid.reach(grid.locate(p), ColourGrid::kRings);
                    if (std::sqrt(static_cast<double>(want.best)) > first_reach) {
                        ++far;
                    }
                    INFO("step=" << step << " k=" << k << " wide=" << wide << " point " << i);
                    REQUIRE(got == want.nearest);
                    REQUIRE(got_best == want.best);
                    REQUIRE(other <= std::sqrt(static_cast<double>(want.second)));
                }
                INFO("step=" << step << " k=" << k << " wide=" << wide);
                CHECK(claimed > x.size() / 3 * 9 / 10);
                CHECK(far > 20); // the second window did work
            }
        }
    }
}

TEST_CASE("the colour grid's local bound stays below the distance to every other centroid",
          "[kmeans][grid]")
{
    using namespace core::detail;
    const int k = 512;
    const std::vector<float> before = colours(k, 3, 0.5f);
    std::vector<float> after = before;
    // Most centroids move a little, a few a lot: the local bound must see the big moves near a
    // point and only those.
    std::vector<double> moves(k, 0.0);
    test::Lcg r{5};
    for (int j = 0; j < k; ++j) {
        const float m = r.next() % 16 == 0 ? 12.0f : 0.75f;
        for (int a = 0; a < 3; ++a) {
            after[static_cast<size_t>(j) * 3 + a] += (a == static_cast<int>((r.s >> 4) % 3)) ? m : 0.0f;
        }
        moves[j] = (1.0 + kSlack) *
            std::sqrt(squared_gap(before.data() + static_cast<size_t>(j) * 3,
                                  after.data() + static_cast<size_t>(j) * 3, 3));
    }
    ColourGrid grid;
    grid.build(after.data(), k, 3, nullptr, ColourGrid::kCellsPerCentroid, false);
    grid.build_window_moves(moves);
    const std::vector<float> x = colours(20000, 13, 0.25f);
    size_t useful = 0; // points whose local bound beats Hamerly's (lower less the largest move)
    double move_max = 0.0;
    for (double m : moves) {
        move_max = std::max(move_max, m);
    }
    for (size_t i = 0; i < x.size() / 3; ++i) {
        const float* p = x.data() + i * 3;
        const Scan old = scan_all(p, before, 3);
        // Lower: the exact distance to the second nearest before the move (own: old.nearest).
        const double lower = std::sqrt(static_cast<double>(old.second));
        const double need = 0.5 * lower;
        const double local = grid.local_bound(p, need, lower);
        if (local == -std::numeric_limits<double>::infinity()) {
            continue;
        }
        double truth = std::numeric_limits<double>::infinity();
        for (int j = 0; j < k; ++j) {
            if (j != old.nearest) {
                truth = std::min(truth, std::sqrt(squared_gap(p, after.data() + static_cast<size_t>(j) * 3, 3)));
            }
        }
        INFO("point " << i);
        REQUIRE(local <= truth);
        if (local > lower - move_max) {
            ++useful;
        }
    }
    CHECK(useful > 1000);
}

TEST_CASE("the local bounds of position runs stay below the distance to every other centroid",
          "[kmeans][grid]")
{
    // Passes over RGB+XY points (colours faint beside positions) against centroids that start
    // on the left half of the picture and drift right round after round, a few at the top
    // jumping far, towards one that stays put on the right with its points (near it, far from
    // every other: a bound the window's reach caps): after every pass each point's label is its
    // nearest, and its local bound (Bounds::local less its cell's drift) is no higher than its
    // distance to every other centroid; away from the jumps it beats the global bound.
    using namespace core::detail;
    const int k = 256;
    const int d = 5;
    const auto faint = [](std::vector<float> v) {
        for (size_t i = 0; i < v.size(); i += d) {
            for (int a = 0; a < 3; ++a) {
                v[i + a] /= 16.0f;
            }
        }
        return v;
    };
    const std::vector<float> x = faint(points(20000, 21));
    const size_t n = x.size() / d;
    std::vector<float> c = faint(points(k, 8));
    for (int j = 0; j < k; ++j) {
        c[static_cast<size_t>(j) * d + 3] *= 0.5f;
    }
    c[3] = 240.0f; // centroid 0: the one that stays
    c[4] = 85.0f;
    Data data;
    data.x = x.data();
    data.n = n;
    data.d = d;
    Bounds bounds;
    bounds.grid = true;
    std::vector<uint16_t> labels(n, kNoLabel);
    Accumulators acc;
    core::ThreadPool pool(2);
    test::Lcg r{9};
    size_t useful = 0; // points whose local bound beats the global one
    for (int round = 0; round < 16; ++round) {
        REQUIRE(assign_pass(data, c, k, pool, nullptr, nullptr, labels, bounds, acc));
        REQUIRE(bounds.local.size() == n);
        for (size_t i = 0; i < n; ++i) {
            const float* p = x.data() + i * d;
            const Scan s = scan_all(p, c, d);
            INFO("round " << round << " point " << i);
            REQUIRE(labels[i] == s.nearest);
            double truth = std::numeric_limits<double>::infinity();
            for (int j = 0; j < k; ++j) {
                if (j != labels[i]) {
                    truth = std::min(truth, std::sqrt(squared_gap(p, c.data() + static_cast<size_t>(j) * d, d)));
                }
            }
            const double local = static_cast<double>(bounds.local[i]) - bounds.local_drift[bounds.cell[i]];
            REQUIRE(local <= truth);
            const double global = static_cast<double>(bounds.lower[i]) - bounds.drift_lower[labels[i]];
            useful += round > 0 && local > global ? 1 : 0;
        }
        const std::vector<float> before = c;
        for (int j = 1; j < k; ++j) {
            float* q = c.data() + static_cast<size_t>(j) * d;
            const bool jump = q[4] < 40.0f && r.next() % 8 == 0;
            q[0] += jump ? 9.0f : 0.5f;
            q[3] = std::min(254.0f, q[3] + (jump ? 30.0f : 8.0f));
            q[4] = std::min(169.0f, q[4] + static_cast<float>(r.next() % 3));
        }
        update_moves(before, c, k, d, bounds);
    }
    INFO("useful " << useful);
    CHECK(useful > n / 4);
}

TEST_CASE("the local bounds of colour runs stay below the distance to every other centroid",
          "[kmeans][grid]")
{
    // Lloyd rounds on weighted photo-like colours (what cluster() passes for colour alone) at
    // k = 256 and 1024, on 1 and 2 threads: after every pass each point's label is its nearest
    // (lowest index on ties), and its local bound (Bounds::local less its cell's drift, on the
    // colour grid fixed by the points' box) is no higher than its distance to every other
    // centroid; the two thread counts give the same labels and bounds, and the local bound beats
    // the global one (Hamerly's, or the half gap) for many points.
    using namespace core::detail;
    for (int k : {256, 1024}) {
        const std::vector<float> x = colours(12000, 31 + k, 0.5f);
        const size_t n = x.size() / 3;
        std::vector<double> w(n);
        test::Lcg r{static_cast<uint32_t>(k)};
        for (double& v : w) {
            v = 1.0 + r.next() % 9;
        }
        Data data;
        data.x = x.data();
        data.w = w.data();
        data.n = n;
        data.d = 3;
        std::vector<std::vector<float>> local_by_threads;
        for (int threads : {1, 2}) {
            // The start: every seventh point.
            std::vector<float> c;
            for (size_t j = 0; j < static_cast<size_t>(k); ++j) {
                c.insert(c.end(), x.begin() + j * 21, x.begin() + j * 21 + 3);
            }
            Bounds bounds;
            bounds.grid = true;
            std::vector<uint16_t> labels(n, kNoLabel);
            Accumulators acc;
            core::ThreadPool pool(threads);
            size_t useful = 0; // points whose local bound beats the global one
            for (int round = 0; round < 12; ++round) {
                REQUIRE(assign_pass(data, c, k, pool, nullptr, nullptr, labels, bounds, acc));
                REQUIRE(bounds.local.size() == n);
                for (size_t i = 0; i < n; ++i) {
                    const float* p = x.data() + i * 3;
                    const Scan s = scan_all(p, c, 3);
                    INFO("k " << k << " threads " << threads << " round " << round << " point " << i);
                    REQUIRE(labels[i] == s.nearest);
                    double truth = std::numeric_limits<double>::infinity();
                    for (int j = 0; j < k; ++j) {
                        if (j != labels[i]) {
                            truth = std::min(truth, std::sqrt(squared_gap(p, c.data() + static_cast<size_t>(j) * 3, 3)));
                        }
                    }
                    const double local =
                        static_cast<double>(bounds.local[i]) - bounds.local_drift[bounds.cell[i]];
                    REQUIRE(local <= truth);
                    const double global = std::max(
                        static_cast<double>(bounds.lower[i]) - bounds.drift_lower[labels[i]],
                        bounds.half_gap[labels[i]]);
                    useful += round > 0 && local > global ? 1 : 0;
                }
                // The update: every non-empty cluster to its weighted mean.
                const std::vector<float> before = c;
                std::vector<double> sums(static_cast<size_t>(k) * 4, 0.0);
                for (size_t i = 0; i < n; ++i) {
                    double* s = sums.data() + static_cast<size_t>(labels[i]) * 4;
                    s[0] += w[i];
                    for (int a = 0; a < 3; ++a) {
                        s[1 + a] += w[i] * x[i * 3 + a];
                    }
                }
                for (int j = 0; j < k; ++j) {
                    const double* s = sums.data() + static_cast<size_t>(j) * 4;
                    for (int a = 0; s[0] > 0.0 && a < 3; ++a) {
                        c[static_cast<size_t>(j) * 3 + a] = static_cast<float>(s[1 + a] / s[0]);
                    }
                }
                update_moves(before, c, k, 3, bounds);
            }
            INFO("k " << k << " threads " << threads << " useful " << useful);
            CHECK(useful > 2 * n);
            local_by_threads.push_back(bounds.local);
        }
        CHECK(local_by_threads[0] == local_by_threads[1]);
    }
}

namespace {

/// Whether two windows hold the same blocks, bit for bit.
template <int A>
bool same_window(const typename core::detail::CentroidGrid<A>::Window& a,
                 const typename core::detail::CentroidGrid<A>::Window& b)
{
    const auto same_bytes = [](const auto& u, const auto& v) {
        return u.size() == v.size() &&
            (u.empty() || std::memcmp(u.data(), v.data(), u.size() * sizeof(u[0])) == 0);
    };
    return a.rings == b.rings && a.start == b.start && same_bytes(a.coords, b.coords) &&
        same_bytes(a.index, b.index) && same_bytes(a.wide_coords, b.wide_coords) &&
        same_bytes(a.wide_index, b.wide_index);
}

/// Builds grid on one thread and on three (windows, half gaps) and checks both give the same;
/// and window moves kept to the first radius as the first of every radius.
template <int A>
void check_threads(const std::vector<float>& c, int k, int d, const double* box,
                   double cells_per_centroid, bool wide)
{
    using Grid = core::detail::CentroidGrid<A>;
    core::ThreadPool three(3);
    Grid one_grid;
    Grid three_grid;
    one_grid.build(c.data(), k, d, box, cells_per_centroid, wide);
    three_grid.build(c.data(), k, d, box, cells_per_centroid, wide, &three);
    REQUIRE(one_grid.start.size() - 1 > 4 * 256); // several chunks of cells
    for (int w = 0; w < 2; ++w) {
        CHECK(one_grid.windows[w].start.back() > 0);
        CHECK(same_window<A>(one_grid.windows[w], three_grid.windows[w]));
    }
    std::vector<double> one_gaps;
    std::vector<double> three_gaps;
    one_grid.half_gaps(c.data(), k, one_gaps);
    three_grid.half_gaps(c.data(), k, three_gaps, &three);
    CHECK(one_gaps == three_gaps);
    std::vector<double> moves(k);
    test::Lcg r{17};
    for (double& m : moves) {
        m = static_cast<double>(r.next() % 1000) / 100.0;
    }
    one_grid.build_window_moves(moves);
    const size_t cells_n = one_grid.start.size() - 1;
    REQUIRE(one_grid.window_move.size() == Grid::kMaxWindow * cells_n);
    // Radii kept up to 1 only: the same first radius.
    three_grid.build_window_moves(moves, 1);
    REQUIRE(three_grid.window_move.size() == cells_n);
    CHECK(std::equal(three_grid.window_move.begin(), three_grid.window_move.end(),
                     one_grid.window_move.begin()));
}

} // namespace

TEST_CASE("the grid built on three threads is the one built on one", "[kmeans][grid]")
{
    using namespace core::detail;
    const double box[4] = {0.0, 254.0, 0.0, 169.0};
    const int k = 3000;
    for (bool wide : {false, true}) {
        if (wide && core::kernel_lanes(8) < 8) {
            continue; // no 8-lane windows on this CPU or in wasm
        }
        check_threads<2>(points(k, 23), k, 5, box, 1.0, wide);
        check_threads<3>(colours(k, 29, 0.5f), k, 3, nullptr, ColourGrid::kCellsPerCentroid,
                         wide);
    }
}
