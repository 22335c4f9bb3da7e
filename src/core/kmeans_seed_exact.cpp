// Greedy k-means++ at large k with exact integer potentials and tiles compact in position.
//
// Each point's mass weight * closest is counted as a whole number of units 2^-s (s fixed once, so
// the largest mass is below 2^51 units), rounded once; a potential is a sum of those integers and
// so the same whatever order, grouping or subset it is summed in. That is what lets a trial's
// potential be total - (what the trial takes away), summed only over the points it can reach: the
// points sit in tiles of up to 64 that are compact in the last two axes (2D blocks of pixels with
// position on), and a tile whose bounding box in every axis is farther from the trial than any
// closest in it (with a margin far above float rounding) is skipped after one box test. Tiles are
// grouped 8 x 8 cells to a super tile with its own box, so most of the image costs one test per
// super tile. Draws walk running sums per 256 points (and per 64 of those) in index order.
#include "kmeans_seed_exact.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "exact_sum.h"
#include "kmeans_simd.h"

namespace core::detail {
namespace {

/// Integer sums of masses counted in units of 2^-s: the scaling is exact (a power of two), so the
/// only rounding is each term's own.
using Units = ExactSum<0>;

/// A mass in units: mass * 2^s rounded to nearest, ties to even (round_small: exact for
/// 0 <= mass * 2^s < 2^51, native and in wasm).
struct MassScale {
    double scale = 1.0;

    int64_t of(double mass) const { return round_small(mass * scale); }

    /// 2^s with the largest mass below 2^51 units.
    static MassScale for_largest(double largest)
    {
        int e = 0;
        std::frexp(largest, &e); // largest < 2^e
        MassScale m;
        m.scale = std::ldexp(1.0, std::min(51 - e, 1000));
        return m;
    }
};

/// The first point i in [b, e) at which acc plus the units of b..i passes target; past the end
/// (rounding), the last point in [b, e) with any units (b when none has).
template <class UnitsOf>
size_t first_past(size_t b, size_t e, __int128 acc, __int128 target, UnitsOf units_of)
{
    size_t last_positive = b;
    for (size_t i = b; i < e; ++i) {
        const int64_t u = units_of(i);
        if (u > 0) {
            last_positive = i;
            acc += u;
            if (acc > target) {
                return i;
            }
        }
    }
    return last_positive;
}

/// The running sums in index order that a draw walks: per block of kBlock points and per run of
/// kRun blocks.
struct PrefixSums {
    static constexpr size_t kBlock = 256;
    static constexpr size_t kRun = 64;
    std::vector<Units> block;
    std::vector<Units> run;

    template <class UnitsOf>
    void build(size_t n, UnitsOf units_of)
    {
        block.assign((n + kBlock - 1) / kBlock, Units{});
        run.assign((block.size() + kRun - 1) / kRun, Units{});
        for (size_t i = 0; i < n; ++i) {
            add(i, units_of(i));
        }
    }

    void add(size_t i, int64_t u)
    {
        block[i / kBlock].add_units(u);
        run[i / (kBlock * kRun)].add_units(u);
    }

    /// The first point whose running sum of units passes target (0 <= target < the total).
    template <class UnitsOf>
    size_t find(size_t n, __int128 target, UnitsOf units_of) const
    {
        __int128 acc = 0;
        size_t r = 0;
        for (; r + 1 < run.size() && acc + run[r].total_units() <= target; ++r) {
            acc += run[r].total_units();
        }
        size_t b = r * kRun;
        const size_t b_end = std::min(block.size(), b + kRun);
        for (; b + 1 < b_end && acc + block[b].total_units() <= target; ++b) {
            acc += block[b].total_units();
        }
        // Past the end only if the sums did not match the points.
        return first_past(b * kBlock, std::min(n, (b + 1) * kBlock), acc, target, units_of);
    }
};

/// The points in tiles of at most kTile, each within one cell of a grid over the last two axes,
/// cells ordered kSuper x kSuper to a super tile. Boxes cover every axis; the largest closest per
/// tile and super tile only falls as centres are added (refresh after a fold).
struct SeedTiles {
    static constexpr size_t kTile = 64;
    static constexpr size_t kSuper = 8;
    int d = 0;
    std::vector<uint32_t> order;       ///< n point indices, tile after tile
    std::vector<uint32_t> tile_begin;  ///< tiles + 1 offsets into order
    std::vector<uint32_t> super_begin; ///< supers + 1 offsets into the tiles
    std::vector<uint32_t> super_of;    ///< per tile
    std::vector<float> tile_box;       ///< 2 * d per tile: minima, then maxima
    std::vector<float> super_box;      ///< 2 * d per super tile
    std::vector<float> tile_max;       ///< per tile: no closest in it is above this
    std::vector<float> super_max;
    /// The points' coordinates in tile order, axis after axis (axis a of the point at order[j] at
    /// a * stride + j), padded by kLanes zeros: each tile's points are read as whole vectors.
    std::vector<float> soa;
    size_t stride = 0;

    size_t tiles() const { return tile_begin.size() - 1; }

    void build(const Data& data)
    {
        d = data.d;
        const size_t n = data.n;
        const int ax = d >= 2 ? d - 2 : 0;
        const int ay = d - 1;
        double lo[2] = {std::numeric_limits<double>::infinity(),
                        std::numeric_limits<double>::infinity()};
        double hi[2] = {-lo[0], -lo[1]};
        for (size_t i = 0; i < n; ++i) {
            const float* p = data.point(i);
            lo[0] = std::min(lo[0], static_cast<double>(p[ax]));
            hi[0] = std::max(hi[0], static_cast<double>(p[ax]));
            lo[1] = std::min(lo[1], static_cast<double>(p[ay]));
            hi[1] = std::max(hi[1], static_cast<double>(p[ay]));
        }
        const double ex = hi[0] - lo[0];
        const double ey = ax != ay ? hi[1] - lo[1] : 0.0;
        const double cells = std::max<double>(1.0, static_cast<double>(n / kTile));
        size_t nx = 1;
        size_t ny = 1;
        constexpr double kMaxSide = 65536.0;
        if (ex > 0.0 && ey > 0.0) {
            const double side = std::sqrt(ex * ey / cells);
            nx = static_cast<size_t>(std::clamp(std::ceil(ex / side), 1.0, kMaxSide));
            ny = static_cast<size_t>(std::clamp(std::ceil(ey / side), 1.0, kMaxSide));
        } else if (ex > 0.0) {
            nx = static_cast<size_t>(std::min(cells, kMaxSide * kMaxSide));
        }
        auto cell_index = [](double v, double l, double e, size_t m) {
            if (!(e > 0.0)) {
                return size_t{0};
            }
            const double f = (v - l) / e * static_cast<double>(m);
            return f >= 0.0 ? std::min(m - 1, static_cast<size_t>(f)) : size_t{0};
        };
        // Cells ranked super tile after super tile, row by row within each.
        std::vector<uint32_t> rank(nx * ny);
        std::vector<uint32_t> rank_super(nx * ny);
        uint32_t r = 0;
        uint32_t s = 0;
        for (size_t sy = 0; sy < ny; sy += kSuper) {
            for (size_t sx = 0; sx < nx; sx += kSuper, ++s) {
                for (size_t cy = sy; cy < std::min(ny, sy + kSuper); ++cy) {
                    for (size_t cx = sx; cx < std::min(nx, sx + kSuper); ++cx) {
                        rank_super[r] = s;
                        rank[cy * nx + cx] = r++;
                    }
                }
            }
        }
        std::vector<uint32_t> cell_of(n);
        std::vector<uint32_t> start(nx * ny + 1, 0);
        for (size_t i = 0; i < n; ++i) {
            const float* p = data.point(i);
            const size_t cx = cell_index(p[ax], lo[0], ex, nx);
            const size_t cy = cell_index(p[ay], lo[1], ey, ny);
            cell_of[i] = rank[cy * nx + cx];
            ++start[cell_of[i] + 1];
        }
        for (size_t c = 0; c < nx * ny; ++c) {
            start[c + 1] += start[c];
        }
        order.assign(n, 0);
        std::vector<uint32_t> next(start.begin(), start.end() - 1);
        for (size_t i = 0; i < n; ++i) {
            order[next[cell_of[i]]++] = static_cast<uint32_t>(i);
        }
        tile_begin.clear();
        super_begin.clear();
        super_of.clear();
        uint32_t current_super = std::numeric_limits<uint32_t>::max();
        for (size_t c = 0; c < nx * ny; ++c) {
            for (uint32_t b = start[c]; b < start[c + 1]; b += kTile) {
                if (rank_super[c] != current_super) {
                    current_super = rank_super[c];
                    super_begin.push_back(static_cast<uint32_t>(tile_begin.size()));
                }
                super_of.push_back(static_cast<uint32_t>(super_begin.size() - 1));
                tile_begin.push_back(b);
            }
        }
        tile_begin.push_back(static_cast<uint32_t>(n));
        super_begin.push_back(static_cast<uint32_t>(tiles()));
        stride = n + kLanes;
        soa.assign(stride * d, 0.0f);
        for (size_t j = 0; j < n; ++j) {
            const float* p = data.point(order[j]);
            for (int a = 0; a < d; ++a) {
                soa[a * stride + j] = p[a];
            }
        }
        tile_box.assign(tiles() * 2 * d, 0.0f);
        tile_max.assign(tiles(), 0.0f);
        for (size_t t = 0; t < tiles(); ++t) {
            float* tlo = tile_box.data() + t * 2 * d;
            float* thi = tlo + d;
            const float* first = data.point(order[tile_begin[t]]);
            std::copy_n(first, d, tlo);
            std::copy_n(first, d, thi);
            for (uint32_t j = tile_begin[t]; j < tile_begin[t + 1]; ++j) {
                const float* p = data.point(order[j]);
                for (int a = 0; a < d; ++a) {
                    tlo[a] = std::min(tlo[a], p[a]);
                    thi[a] = std::max(thi[a], p[a]);
                }
            }
        }
        const size_t supers = super_begin.size() - 1;
        super_box.assign(supers * 2 * d, 0.0f);
        super_max.assign(supers, 0.0f);
        for (size_t q = 0; q < supers; ++q) {
            float* slo = super_box.data() + q * 2 * d;
            std::copy_n(tile_box.data() + super_begin[q] * 2 * d, 2 * d, slo);
            for (uint32_t t = super_begin[q]; t < super_begin[q + 1]; ++t) {
                const float* tlo = tile_box.data() + t * 2 * d;
                for (int a = 0; a < d; ++a) {
                    slo[a] = std::min(slo[a], tlo[a]);
                    slo[d + a] = std::max(slo[d + a], tlo[d + a]);
                }
            }
        }
    }

    /// Sets the largest closest per tile and super tile; closest in tile order.
    void refresh_all(const std::vector<float>& closest)
    {
        for (size_t t = 0; t < tiles(); ++t) {
            refresh_tile(t, closest);
        }
        for (size_t q = 0; q + 1 < super_begin.size(); ++q) {
            refresh_super(q);
        }
    }

    void refresh_tile(size_t t, const std::vector<float>& closest)
    {
        tile_max[t] = *std::max_element(closest.begin() + tile_begin[t],
                                        closest.begin() + tile_begin[t + 1]);
    }

    void refresh_super(size_t q)
    {
        super_max[q] = *std::max_element(tile_max.begin() + super_begin[q],
                                         tile_max.begin() + super_begin[q + 1]);
    }

    /// Whether a point in box may be nearer to q than max_closest: false only when q's squared
    /// distance to the box is above max_closest with a relative margin of 2^-10, far above the
    /// float rounding of a point's squared distance (a few 2^-24), so that distance, computed,
    /// would not be below any closest in the box either.
    bool reaches(const float* box, float max_closest, const float* q) const
    {
        const double limit = static_cast<double>(max_closest) * (1.0 + 0x1p-10);
        const float* hi = box + d;
        double s = 0.0;
        // The last two axes (the cells' axes, position with xy) first: most boxes far from q
        // are far there.
        for (int k = 0; k < d; ++k) {
            const int a = d < 2 ? k : k < 2 ? d - 2 + k : k - 2;
            const double c = q[a];
            const double t = std::max({0.0, box[a] - c, c - hi[a]});
            s += t * t;
            if (s > limit) {
                return false;
            }
        }
        return true;
    }

    /// Calls visit(tile) for every tile that q may bring nearer.
    template <class Visit>
    void each_reached(const float* q, Visit visit) const
    {
        const size_t supers = super_begin.size() - 1;
        for (size_t s = 0; s < supers; ++s) {
            if (!reaches(super_box.data() + s * 2 * d, super_max[s], q)) {
                continue;
            }
            for (uint32_t t = super_begin[s]; t < super_begin[s + 1]; ++t) {
                if (reaches(tile_box.data() + static_cast<size_t>(t) * 2 * d, tile_max[t], q)) {
                    visit(static_cast<size_t>(t));
                }
            }
        }
    }
};

/// The squared distance with the dimension fixed when D > 0 (the same operations as
/// squared_distance).
template <int D>
inline float distance_d(const float* p, const float* q, int d)
{
    return squared_distance(p, q, D > 0 ? D : d);
}

inline VecF load(const float* p)
{
    VecF v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

/// The seeding state: every point's closest (and, tiled, its nearest centre, its closest again
/// in tile order, the running sums for draws and the tiles), the scale of the units and the total.
struct ExactSeeder {
    const Data& data;
    int d = 0;
    bool tiled = false;
    MassScale scale;
    std::vector<float> closest;      ///< n, index order
    std::vector<float> tile_closest; ///< n + kLanes, tile order (padded with zeros)
    std::vector<double> tile_weight; ///< n, tile order; empty without weights
    std::vector<uint16_t> nearest;
    __int128 total = 0;
    PrefixSums prefix;
    SeedTiles tiles;
    std::vector<size_t> touched;

    explicit ExactSeeder(const Data& dt) : data(dt), d(dt.d) {}

    int64_t units(size_t i, float c) const { return scale.of(data.weight(i) * c); }
    /// units for the point at position j of the tile order.
    int64_t units_at(size_t j, float c) const
    {
        return scale.of(tile_weight.empty() ? static_cast<double>(c) : tile_weight[j] * c);
    }

    void build_tiles()
    {
        nearest.assign(data.n, uint16_t{0});
        prefix.build(data.n, [&](size_t i) { return units(i, closest[i]); });
        tiles.build(data);
        tile_closest.assign(data.n + kLanes, 0.0f);
        for (size_t j = 0; j < data.n; ++j) {
            tile_closest[j] = closest[tiles.order[j]];
        }
        if (data.w) {
            tile_weight.resize(data.n);
            for (size_t j = 0; j < data.n; ++j) {
                tile_weight[j] = data.w[tiles.order[j]];
            }
        }
        tiles.refresh_all(tile_closest);
    }

    size_t draw(double uniform) const
    {
        __int128 target = static_cast<__int128>(uniform * static_cast<double>(total));
        target = std::min(target, total - 1);
        auto units_of = [&](size_t i) { return units(i, closest[i]); };
        if (tiled) {
            return prefix.find(data.n, target, units_of);
        }
        return first_past(0, data.n, 0, target, units_of);
    }

    /// Calls lower(tile, j, distance) for every point (position j in tile order) of the tiles q can
    /// reach whose squared distance to q is below its closest. The distances kLanes points at a
    /// time, each lane squared_distance's operations.
    template <int D, class Lower>
    void each_lowered(const float* q, Lower lower) const
    {
        const int dim = D > 0 ? D : d;
        const size_t stride = tiles.stride;
        const float* soa = tiles.soa.data();
        tiles.each_reached(q, [&](size_t t) {
            const size_t e = tiles.tile_begin[t + 1];
            for (size_t j = tiles.tile_begin[t]; j < e; j += kLanes) {
                VecF v = load(soa + j) - q[0];
                VecF s = v * v;
                for (int a = 1; a < dim; ++a) {
                    v = load(soa + a * stride + j) - q[a];
                    s += v * v;
                }
                const VecI below = s < load(tile_closest.data() + j);
                VecI any = below;
                for (int l = 1; l < kLanes; ++l) {
                    any[0] |= below[l];
                }
                if (!any[0]) {
                    continue;
                }
                for (int l = 0; l < kLanes && j + l < e; ++l) {
                    if (below[l]) {
                        lower(t, j + l, s[l]);
                    }
                }
            }
        });
    }

    /// The potential with q added, by the plain definition: every point's units of
    /// weight * min(closest, distance), in index order (any order gives the same).
    template <int D>
    __int128 plain_potential(const float* q) const
    {
        Units sum;
        for (size_t i = 0; i < data.n; ++i) {
            const float dist = distance_d<D>(data.point(i), q, d);
            const float cl = closest[i];
            sum.add_units(units(i, dist < cl ? dist : cl));
        }
        return sum.total_units();
    }

    /// The potential with q added: tiled, the total less what q takes away from the points it
    /// brings nearer (units before - units after), summed over those points only.
    template <int D>
    __int128 potential_with(const float* q) const
    {
        if (!tiled) {
            return plain_potential<D>(q);
        }
        __int128 reduction = 0;
        each_lowered<D>(q, [&](size_t, size_t j, float dist) {
            reduction += units_at(j, tile_closest[j]) - units_at(j, dist);
        });
        return total - reduction;
    }

    /// Folds centre c (at q) into every point's closest (and nearest, lowest index on ties).
    template <int D>
    void fold(const float* q, int c)
    {
        if (!tiled) {
            for (size_t i = 0; i < data.n; ++i) {
                const float dist = distance_d<D>(data.point(i), q, d);
                if (dist < closest[i]) {
                    total += units(i, dist) - units(i, closest[i]);
                    closest[i] = dist;
                }
            }
            return;
        }
        touched.clear();
        each_lowered<D>(q, [&](size_t t, size_t j, float dist) {
            const size_t i = tiles.order[j];
            const int64_t u = units_at(j, dist) - units_at(j, tile_closest[j]);
            total += u;
            prefix.add(i, u);
            tile_closest[j] = dist;
            closest[i] = dist;
            nearest[i] = static_cast<uint16_t>(c);
            if (touched.empty() || touched.back() != t) {
                touched.push_back(t);
            }
        });
        for (size_t t : touched) {
            tiles.refresh_tile(t, tile_closest);
        }
        for (size_t t : touched) {
            tiles.refresh_super(tiles.super_of[t]);
        }
    }
};

template <int D>
int run_exact(ExactSeeder& s, int k, int trials, Rng& rng, ThreadPool& pool, Progress* progress,
              std::vector<float>& centroids)
{
    const Data& data = s.data;
    const int d = data.d;
    std::vector<size_t> candidates(trials);
    std::vector<__int128> potentials(trials);
    for (int c = 1; c < k; ++c) {
        if (cancelled(progress)) {
            return c;
        }
        if (progress) {
            progress->fraction.store(0.1f * c / k, std::memory_order_relaxed);
        }
        if (s.total <= 0) {
            return c;
        }
        for (int t = 0; t < trials; ++t) {
            candidates[t] = s.draw(rng.uniform());
        }
        pool.parallel_for(0, static_cast<size_t>(trials), 1, [&](size_t t, size_t, size_t) {
            potentials[t] = s.potential_with<D>(data.point(candidates[t]));
        });
        int best = 0;
        for (int t = 1; t < trials; ++t) {
            if (potentials[t] < potentials[best]) {
                best = t;
            }
        }
        float* centre = centroids.data() + static_cast<size_t>(c) * d;
        std::copy_n(data.point(candidates[best]), d, centre);
        if (c + 1 < k) {
            s.fold<D>(centre, c);
        }
    }
    return k;
}

} // namespace

int init_kmeanspp_exact(const Data& data, int k, int trials, bool tiled, Rng& rng,
                        ThreadPool& pool, Progress* progress, std::vector<float>& centroids,
                        SeedAssignment& seeded)
{
    const int d = data.d;
    ExactSeeder s(data);
    s.tiled = tiled;
    s.closest.resize(data.n);
    const size_t gs = group_size(data.n);
    std::vector<double> largest(ThreadPool::chunk_count(0, data.n, gs), 0.0);
    pool.parallel_for(0, data.n, gs, [&](size_t g, size_t b, size_t e) {
        for (size_t i = b; i < e; ++i) {
            s.closest[i] = squared_distance(data.point(i), centroids.data(), d);
            largest[g] = std::max(largest[g], data.weight(i) * s.closest[i]);
        }
    });
    const double top = *std::max_element(largest.begin(), largest.end());
    s.scale = MassScale::for_largest(top);
    for (size_t i = 0; i < data.n; ++i) {
        s.total += s.units(i, s.closest[i]);
    }
    if (tiled) {
        s.build_tiles();
    }
    int chosen = 1;
    if (top > 0.0) {
        switch (d) {
        case 3: chosen = run_exact<3>(s, k, trials, rng, pool, progress, centroids); break;
        case 5: chosen = run_exact<5>(s, k, trials, rng, pool, progress, centroids); break;
        default: chosen = run_exact<0>(s, k, trials, rng, pool, progress, centroids); break;
        }
    }
    if (tiled && !cancelled(progress)) {
        seeded.nearest = std::move(s.nearest);
        seeded.closest = std::move(s.closest);
        seeded.last = chosen == k && k > 1 ? k - 1 : -1;
    }
    return chosen;
}

} // namespace core::detail
