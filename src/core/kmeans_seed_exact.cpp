// Greedy k-means++ at large k with exact integer potentials, summed over the tiles a trial reaches.
//
// Each point's mass weight * closest is counted as a whole number of units 2^-s (s fixed once, so
// the largest mass is below 2^51 units), rounded once; a potential is a sum of those integers and
// so the same whatever order, grouping or subset it is summed in. That is what lets a trial's
// potential be total - (what the trial takes away), summed only over the points it can reach: the
// points sit in tiles of up to 128 that are compact in space (kmeans_seed_tiles.h: with position,
// blocks of pixels cut across colour and position; octree cells of colours without), and a tile
// whose bounding box in every axis is no nearer to the trial than any closest in it is skipped
// after one box test (four tiles at a time); super tiles (with a margin far above float
// rounding) do the same for many tiles. A centre's trials go through the super tiles together,
// in parallel, and so does the fold of the chosen one, which writes closest and nearest in tile
// order. Draws walk running sums per 64 points (and per 64 of those) in index order; a fold marks
// the runs of 64 blocks it changed and only those are summed again (rgb+xy 4 MP k = 4096, 1
// thread: the draws' serial walk 0.16-0.22 s with blocks of 256, 0.10-0.13 s with 64).
//
// Measured and not built: skipping the exact sum of a trial whose upper bound (what its reached
// tiles hold, or per tile its weight * (largest closest - box distance)) cannot beat the best
// trial so far. At rgb+xy 4 MP k = 1000, 95.5 % of the trials would still need their sum and 88 %
// of the tiles would still be read (k = 256: 88 % and 79 %): the bounds do not separate the
// trials, and taking them one at a time would lose the tiles several read together (a fifth).
//
// On 2 threads (rgb+xy 4 MP, --max-iter 1, measured with timers not kept): the per-centre passes'
// chunks are balanced (each call's chunk times replayed on 2 workers in chunk order: 0.5 % above
// an even split for the trials, 1.8 % for the fold), so what did not scale was the setup after
// the first centre, serial until it went parallel here (0.33-0.5 s of the seeding's 2.3-2.6 s at
// k = 1000: tile copy, position grid, super boxes, running sums; perf per thread at k = 1000 on
// 2 threads: seeding samples on the calling thread alone 6.5 % of the run before, 1.8 % after),
// the draws (serial: 0.02 s at k = 1000, 0.1 s at 4096) and the wake-ups of 2 x k parallel calls. What grows with k, k = 1000
// -> 4096 (8 -> 10 trials a centre): super tile tests 4.3 M -> 21.8 M (every trial tests every
// super tile), trial / super tile pairs reached 0.59 M -> 2.0 M, tiles read 3.2 M -> 7.8 M (a
// trial reads 404 -> 191 tiles of 128, 3.3 -> 5.6 times the points it lowers: a tile's largest
// closest lets a trial reach it from far), blocks of 4 with a point lowered 37 -> 24 %. Those
// tile reads dominate (perf: the first axis's loads). Measured and left out: prefetching the next
// reached tile (k = 4096, CPU 4.8-5.4 s before, 4.9-5.0 s after: no gain seen, load 3.3), and a
// test on the position axes alone before colour (exact: in float a partial sum of squares is
// never above the whole), which 75-90 % of the blocks pass.
#include "kmeans_seed_exact.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "exact_sum.h"
#include "kmeans_seed_tiles.h"
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

/// The running sums in index order that a draw walks: per block of kBlock points and per run of
/// kRun blocks. A block's sum (at most 64 points of at most 2^51 units) is an int64 that a
/// parallel fold changes with atomic additions (integers: the same in any order); the runs' are
/// summed from the blocks' after.
struct PrefixSums {
    static constexpr size_t kBlock = 64;
    static constexpr size_t kRun = 64;
    std::vector<std::atomic<int64_t>> block;
    std::vector<__int128> run;
    std::vector<std::atomic<uint8_t>> dirty; ///< per run: a block of it changed since sum_runs

    /// Sets every block's and run's sum, in parallel over runs; returns the total.
    template <class UnitsOf>
    __int128 build(size_t n, ThreadPool& pool, UnitsOf units_of)
    {
        block = std::vector<std::atomic<int64_t>>((n + kBlock - 1) / kBlock);
        run.assign((block.size() + kRun - 1) / kRun, 0);
        dirty = std::vector<std::atomic<uint8_t>>(run.size());
        for (std::atomic<uint8_t>& d : dirty) {
            d.store(0, std::memory_order_relaxed);
        }
        pool.parallel_for(0, run.size(), 1, [&](size_t r, size_t, size_t) {
            const size_t b_end = std::min(block.size(), (r + 1) * kRun);
            for (size_t b = r * kRun; b < b_end; ++b) {
                int64_t sum = 0;
                for (size_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i) {
                    sum += units_of(i);
                }
                block[b].store(sum, std::memory_order_relaxed);
                run[r] += sum;
            }
        });
        __int128 total = 0;
        for (const __int128 r : run) {
            total += r;
        }
        return total;
    }

    /// Adds u units to point i's block and marks its run (sum_runs after).
    void add(size_t i, int64_t u)
    {
        block[i / kBlock].fetch_add(u, std::memory_order_relaxed);
        std::atomic<uint8_t>& d = dirty[i / (kBlock * kRun)];
        if (d.load(std::memory_order_relaxed) == 0) {
            d.store(1, std::memory_order_relaxed);
        }
    }

    /// Sums again the runs add marked, from their blocks (the others' sums still hold).
    void sum_runs()
    {
        for (size_t r = 0; r < run.size(); ++r) {
            if (dirty[r].load(std::memory_order_relaxed) == 0) {
                continue;
            }
            dirty[r].store(0, std::memory_order_relaxed);
            __int128 sum = 0;
            for (size_t b = r * kRun; b < std::min(block.size(), (r + 1) * kRun); ++b) {
                sum += block[b].load(std::memory_order_relaxed);
            }
            run[r] = sum;
        }
    }

    /// The first point whose running sum of units passes target (0 <= target < the total).
    template <class UnitsOf>
    size_t find(size_t n, __int128 target, UnitsOf units_of) const
    {
        __int128 acc = 0;
        size_t r = 0;
        for (; r + 1 < run.size() && acc + run[r] <= target; ++r) {
            acc += run[r];
        }
        size_t b = r * kRun;
        const size_t b_end = std::min(block.size(), b + kRun);
        for (; b + 1 < b_end && acc + block[b].load(std::memory_order_relaxed) <= target; ++b) {
            acc += block[b].load(std::memory_order_relaxed);
        }
        // Past the end only if the sums did not match the points.
        return first_past(b * kBlock, std::min(n, (b + 1) * kBlock), acc, target, units_of);
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

/// The seeding state: every point's closest (and, tiled, its nearest centre, the running sums for
/// draws and the tiles, which keep the points' closest in tile order), the scale of the units and
/// the total. Tiled, a fold writes closest and nearest in tile order only, where they sit side by
/// side (in index order a tile's points are rows apart: measured, those scattered writes were a
/// third of the fold), and draws read closest through each point's position; finish() puts both
/// in index order.
struct ExactSeeder {
    const Data& data;
    int d = 0;
    bool tiled = false;
    MassScale scale;
    /// n, index order (tiled: empty from build_tiles until finish)
    std::vector<float> closest;
    std::vector<uint16_t> nearest;  ///< tiled: n, tile order until finish, then index order
    std::vector<uint32_t> position; ///< tiled: n, each point's position in the tile order
    __int128 total = 0;
    PrefixSums prefix;
    SeedTiles tiles;

    explicit ExactSeeder(const Data& dt) : data(dt), d(dt.d) {}

    int64_t units(size_t i, float c) const { return scale.of(data.weight(i) * c); }
    /// units for the point at position j of the tile order.
    int64_t units_at(size_t j, float c) const
    {
        return scale.of(tiles.weight.empty() ? static_cast<double>(c) : tiles.weight[j] * c);
    }

    void build_tiles(ThreadPool& pool)
    {
        nearest.assign(data.n, uint16_t{0});
        tiles.build(data, closest, pool);
        position.resize(data.n);
        pool.parallel_for(0, data.n, group_size(data.n), [&](size_t, size_t b, size_t e) {
            for (size_t j = b; j < e; ++j) {
                position[tiles.order[j]] = static_cast<uint32_t>(j);
            }
        });
        // Tiled, only the tiles' closest changes; finish() writes the index-order one again.
        std::vector<float>().swap(closest);
    }

    /// Tiled: closest and nearest from the tile order to index order (through tiles.order, so
    /// position, which only draws need, goes first: the seeding's peak memory stays lower).
    void finish(ThreadPool& pool)
    {
        std::vector<uint32_t>().swap(position);
        closest.resize(data.n);
        std::vector<uint16_t> by_index(data.n);
        pool.parallel_for(0, data.n, group_size(data.n), [&](size_t, size_t b, size_t e) {
            for (size_t j = b; j < e; ++j) {
                const size_t i = tiles.order[j];
                closest[i] = tiles.closest[j];
                by_index[i] = nearest[j];
            }
        });
        nearest = std::move(by_index);
    }

    size_t draw(double uniform) const
    {
        __int128 target = static_cast<__int128>(uniform * static_cast<double>(total));
        target = std::min(target, total - 1);
        if (tiled) {
            return prefix.find(data.n, target, [&](size_t i) {
                const size_t j = position[i];
                return units_at(j, tiles.closest[j]);
            });
        }
        auto units_of = [&](size_t i) { return units(i, closest[i]); };
        return first_past(size_t{0}, data.n, __int128{0}, target, units_of);
    }

    /// In tile t, calls block(t, j, distances, below) for every kLanes points from position j in
    /// tile order of which q brings any nearer: below marks those (lanes past the tile never),
    /// distances their squared distances to q, each lane squared_distance's operations.
    template <int D, class Block>
    void tile_blocks(size_t t, const float* q, Block block) const
    {
        const VecI lane = {0, 1, 2, 3};
        static_assert(kLanes == 4, "lane numbers");
        static_assert(SeedTiles::kTile % kLanes == 0, "whole blocks");
        constexpr size_t kBlocks = SeedTiles::kTile / kLanes;
        static_assert(kBlocks <= 32, "a bit per block");
        const int dim = D > 0 ? D : d;
        const size_t stride = tiles.stride;
        const size_t b = tiles.tile_begin[t];
        const size_t e = tiles.tile_begin[t + 1];
        const size_t blocks = (e - b + kLanes - 1) / kLanes;
        const float* soa = tiles.soa.data() + b;
        const float* cl = tiles.closest.data() + b;
        // First every block's distances and whether any lane is below, with nothing else in the
        // loop; then the blocks that have one.
        VecF dist[kBlocks];
        uint32_t any = 0;
        for (size_t i = 0; i < blocks; ++i) {
            VecF v = load(soa + i * kLanes) - q[0];
            VecF s = v * v;
            for (int a = 1; a < dim; ++a) {
                v = load(soa + a * stride + i * kLanes) - q[a];
                s += v * v;
            }
            dist[i] = s;
            const VecI below = s < load(cl + i * kLanes);
            const VecI folded = below | __builtin_shufflevector(below, below, 2, 3, 0, 1);
            any |= static_cast<uint32_t>((folded[0] | folded[1]) & 1) << i;
        }
        while (any != 0) {
            const size_t i = static_cast<size_t>(__builtin_ctz(any));
            any &= any - 1;
            const size_t j = b + i * kLanes;
            const VecI below = dist[i] < load(cl + i * kLanes);
            block(t, j, dist[i], below & (lane < static_cast<int32_t>(e - j)));
        }
    }


    /// The units of lanes 2 h and 2 h + 1 of c (the points from position j of the tile order
    /// on): units_at's operations, two lanes at a time; whole numbers below 2^51, as doubles.
    VecD units_pair(size_t j, VecF c, int h) const
    {
        VecD m = {static_cast<double>(c[2 * h]), static_cast<double>(c[2 * h + 1])};
        if (!tiles.weight.empty()) {
            VecD w;
            std::memcpy(&w, tiles.weight.data() + j + 2 * h, sizeof w);
            m = w * m;
        }
        constexpr double kRound = 0x1.8p52; // round_small's
        return (m * scale.scale + kRound) - kRound;
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

    /// The units q takes away in tile t (units before - units after, over the points it brings
    /// nearer): at most kTile (128) points of at most 2^51 units each.
    template <int D>
    int64_t taken_in(size_t t, const float* q) const
    {
        // Per block, (before - after) per lane, lanes not lowered 0: whole numbers, each at most
        // 2^51, so the sum of the four is exact in a double.
        int64_t taken = 0;
        tile_blocks<D>(t, q, [&](size_t, size_t j, VecF s, VecI below) {
            const VecF before = load(tiles.closest.data() + j);
            const VecF after = blend(below, s, before);
            const VecD sum = (units_pair(j, before, 0) - units_pair(j, after, 0)) +
                (units_pair(j, before, 1) - units_pair(j, after, 1));
            taken += static_cast<int64_t>(sum[0] + sum[1]);
        });
        return taken;
    }

    /// The potential with each candidate point added (potentials[x] for candidates[x]). Tiled,
    /// the total less what the candidate takes away from the points it brings nearer, summed
    /// over those only; the candidates go through the super tiles together, in parallel over
    /// super tiles, so that a tile several of them reach is read once for all. The sums are of
    /// integers: per chunk of super tiles, then over chunks, the same in any grouping.
    template <int D>
    void potentials(const std::vector<size_t>& candidates, std::vector<__int128>& out,
                    ThreadPool& pool) const
    {
        const size_t trials = candidates.size();
        if (!tiled) {
            pool.parallel_for(0, trials, 1, [&](size_t x, size_t, size_t) {
                out[x] = plain_potential<D>(data.point(candidates[x]));
            });
            return;
        }
        const size_t supers = tiles.supers();
        const size_t grain = std::max<size_t>(1, supers / 256);
        std::vector<__int128> taken(ThreadPool::chunk_count(0, supers, grain) * trials, 0);
        pool.parallel_for(0, supers, grain, [&](size_t g, size_t b, size_t e) {
            __int128* mine = taken.data() + g * trials;
            std::vector<uint32_t> reaching;
            std::vector<uint8_t> reached; // per reaching trial, per tile of the super tile
            for (size_t u = b; u < e; ++u) {
                reaching.clear();
                for (size_t x = 0; x < trials; ++x) {
                    if (tiles.reaches(tiles.super_box.data() + u * 2 * d, tiles.super_max[u],
                                      data.point(candidates[x]))) {
                        reaching.push_back(static_cast<uint32_t>(x));
                    }
                }
                const size_t first = tiles.super_begin[u];
                const size_t count = tiles.super_begin[u + 1] - first;
                reached.resize(reaching.size() * count);
                for (size_t r = 0; r < reaching.size(); ++r) {
                    tiles.reached_tiles(first, first + count, data.point(candidates[reaching[r]]),
                                        reached.data() + r * count);
                }
                for (size_t t = 0; !reaching.empty() && t < count; ++t) {
                    for (size_t r = 0; r < reaching.size(); ++r) {
                        if (reached[r * count + t]) {
                            mine[reaching[r]] +=
                                taken_in<D>(first + t, data.point(candidates[reaching[r]]));
                        }
                    }
                }
            }
        });
        for (size_t x = 0; x < trials; ++x) {
            __int128 sum = 0;
            for (size_t g = 0; g * trials < taken.size(); ++g) {
                sum += taken[g * trials + x];
            }
            out[x] = total - sum;
        }
    }

    /// Folds centre c (at q) into every point's closest (and nearest, lowest index on ties).
    template <int D>
    void fold(const float* q, int c, ThreadPool& pool)
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
        // In parallel over super tiles: every point and tile belongs to one. The total's change
        // is summed per chunk and the chunks' added after; the running sums' blocks take atomic
        // additions (integers: any order gives the same sums).
        const size_t supers = tiles.supers();
        const size_t grain = std::max<size_t>(1, supers / 256);
        std::vector<__int128> change(ThreadPool::chunk_count(0, supers, grain), 0);
        pool.parallel_for(0, supers, grain, [&](size_t g, size_t b, size_t e) {
            std::vector<uint8_t> reached;
            for (size_t u = b; u < e; ++u) {
                if (!tiles.reaches(tiles.super_box.data() + u * 2 * d, tiles.super_max[u], q)) {
                    continue;
                }
                bool lowered = false;
                reached.resize(tiles.super_begin[u + 1] - tiles.super_begin[u]);
                tiles.reached_tiles(tiles.super_begin[u], tiles.super_begin[u + 1], q,
                                    reached.data());
                for (uint32_t t = tiles.super_begin[u]; t < tiles.super_begin[u + 1]; ++t) {
                    if (!reached[t - tiles.super_begin[u]]) {
                        continue;
                    }
                    bool in_tile = false;
                    tile_blocks<D>(t, q, [&](size_t, size_t j, VecF s, VecI below) {
                        for (int l = 0; l < kLanes; ++l) {
                            if (below[l]) {
                                const size_t i = tiles.order[j + l];
                                const int64_t u = units_at(j + l, s[l]) -
                                    units_at(j + l, tiles.closest[j + l]);
                                change[g] += u;
                                prefix.add(i, u);
                                in_tile = true;
                                tiles.closest[j + l] = s[l];
                                nearest[j + l] = static_cast<uint16_t>(c);
                            }
                        }
                    });
                    if (in_tile) {
                        tiles.refresh_tile(t);
                        lowered = true;
                    }
                }
                if (lowered) {
                    tiles.refresh_super(u);
                }
            }
        });
        for (const __int128 u : change) {
            total += u;
        }
        prefix.sum_runs();
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
        s.potentials<D>(candidates, potentials, pool);
        int best = 0;
        for (int t = 1; t < trials; ++t) {
            if (potentials[t] < potentials[best]) {
                best = t;
            }
        }
        float* centre = centroids.data() + static_cast<size_t>(c) * d;
        std::copy_n(data.point(candidates[best]), d, centre);
        if (c + 1 < k) {
            s.fold<D>(centre, c, pool);
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
    // The running sums for draws, and the total (not tiled, draws walk closest itself).
    s.total = s.prefix.build(data.n, pool, [&](size_t i) { return s.units(i, s.closest[i]); });
    if (tiled) {
        s.build_tiles(pool);
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
        s.finish(pool);
        seeded.nearest = std::move(s.nearest);
        seeded.closest = std::move(s.closest);
        seeded.last = chosen == k && k > 1 ? k - 1 : -1;
    }
    return chosen;
}

} // namespace core::detail
