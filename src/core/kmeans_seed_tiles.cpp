// SeedTiles (kmeans_seed_tiles.h): the points ordered into tiles (a grid over position, or an
// octree over colours) and the tiles' boxes.
#include "kmeans_seed_tiles.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "thread_pool.h"

namespace core::detail {
namespace {

/// A float's bits as an unsigned key in the float's order (-0 just below +0).
uint32_t ordered_bits(float v)
{
    uint32_t u = 0;
    std::memcpy(&u, &v, sizeof u);
    return u & 0x80000000u ? ~u : u | 0x80000000u;
}

/// Puts the m smallest of the distinct keys a[0 .. n) first (quickselect; the partition moves
/// every key whatever its side, so it has no branch on the keys to mispredict: half of them
/// would be).
void select_smallest(uint64_t* a, size_t n, size_t m)
{
    size_t lo = 0;
    size_t hi = n;
    while (lo < m && m < hi) {
        const uint64_t x = a[lo];
        const uint64_t y = a[lo + (hi - lo) / 2];
        const uint64_t z = a[hi - 1];
        const uint64_t pivot = std::max(std::min(x, y), std::min(std::max(x, y), z));
        size_t i = lo;
        for (size_t j = lo; j < hi; ++j) {
            const uint64_t t = a[j];
            a[j] = a[i];
            a[i] = t;
            i += t < pivot ? 1 : 0;
        }
        // [lo, i) below the pivot, [i, hi) not; the pivot (one of them) to i.
        size_t at = i;
        while (a[at] != pivot) {
            ++at;
        }
        std::swap(a[i], a[at]);
        if (m <= i) {
            hi = i;
        } else {
            lo = i + 1;
        }
    }
}

} // namespace

void SeedTiles::build(const Data& data, const std::vector<float>& closest_by_index,
                      ThreadPool& pool)
{
    d = data.d;
    const size_t n = data.n;
    tile_begin.clear();
    super_begin.clear();
    if (d <= 3) {
        order_by_octree(data);
    } else {
        order_by_grid(data, pool);
        split_supers(data, pool);
    }
    tile_begin.push_back(static_cast<uint32_t>(n));
    super_begin.push_back(static_cast<uint32_t>(tiles()));
    stride = n + kLanes;
    soa.assign(stride * d, 0.0f);
    closest.assign(n + kLanes, 0.0f);
    weight.assign(data.w ? n + kLanes : 0, 0.0);
    pool.parallel_for(0, n, group_size(n), [&](size_t, size_t b, size_t e) {
        for (size_t j = b; j < e; ++j) {
            const float* p = data.point(order[j]);
            for (int a = 0; a < d; ++a) {
                soa[a * stride + j] = p[a];
            }
            closest[j] = closest_by_index[order[j]];
            if (data.w) {
                weight[j] = data.w[order[j]];
            }
        }
    });
    tile_stride = tiles() + kLanes;
    tile_lo.assign(tile_stride * d, 0.0f);
    tile_hi.assign(tile_stride * d, 0.0f);
    tile_max.assign(tile_stride, 0.0f);
    pool.parallel_for(0, tiles(), 256, [&](size_t, size_t b, size_t e) {
        for (size_t t = b; t < e; ++t) {
            for (int a = 0; a < d; ++a) {
                const float* v = soa.data() + a * stride;
                tile_lo[a * tile_stride + t] =
                    *std::min_element(v + tile_begin[t], v + tile_begin[t + 1]);
                tile_hi[a * tile_stride + t] =
                    *std::max_element(v + tile_begin[t], v + tile_begin[t + 1]);
            }
            refresh_tile(t);
        }
    });
    super_box.assign(supers() * 2 * d, 0.0f);
    super_max.assign(supers(), 0.0f);
    pool.parallel_for(0, supers(), 16, [&](size_t, size_t b, size_t e) {
        for (size_t q = b; q < e; ++q) {
            float* slo = super_box.data() + q * 2 * d;
            for (int a = 0; a < d; ++a) {
                const float* lo = tile_lo.data() + a * tile_stride;
                const float* hi = tile_hi.data() + a * tile_stride;
                slo[a] = *std::min_element(lo + super_begin[q], lo + super_begin[q + 1]);
                slo[d + a] = *std::max_element(hi + super_begin[q], hi + super_begin[q + 1]);
            }
            refresh_super(q);
        }
    });
}

void SeedTiles::order_by_grid(const Data& data, ThreadPool& pool)
{
    const size_t n = data.n;
    const int ax = d - 2;
    const int ay = d - 1;
    // The position box: per chunk, then over chunks (min and max: any order).
    const size_t gs = group_size(n);
    std::vector<float> box(ThreadPool::chunk_count(0, n, gs) * 4);
    pool.parallel_for(0, n, gs, [&](size_t g, size_t b, size_t e) {
        float m[4] = {std::numeric_limits<float>::infinity(),
                      std::numeric_limits<float>::infinity(),
                      -std::numeric_limits<float>::infinity(),
                      -std::numeric_limits<float>::infinity()};
        for (size_t i = b; i < e; ++i) {
            const float* p = data.point(i);
            m[0] = std::min(m[0], p[ax]);
            m[1] = std::min(m[1], p[ay]);
            m[2] = std::max(m[2], p[ax]);
            m[3] = std::max(m[3], p[ay]);
        }
        std::copy_n(m, 4, box.data() + g * 4);
    });
    double lo[2] = {std::numeric_limits<double>::infinity(),
                    std::numeric_limits<double>::infinity()};
    double hi[2] = {-lo[0], -lo[1]};
    for (size_t g = 0; g < box.size(); g += 4) {
        lo[0] = std::min(lo[0], static_cast<double>(box[g]));
        lo[1] = std::min(lo[1], static_cast<double>(box[g + 1]));
        hi[0] = std::max(hi[0], static_cast<double>(box[g + 2]));
        hi[1] = std::max(hi[1], static_cast<double>(box[g + 3]));
    }
    const double ex = hi[0] - lo[0];
    const double ey = hi[1] - lo[1];
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
    } else if (ey > 0.0) {
        ny = static_cast<size_t>(std::min(cells, kMaxSide * kMaxSide));
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
    for (size_t sy = 0; sy < ny; sy += kSide) {
        for (size_t sx = 0; sx < nx; sx += kSide, ++s) {
            for (size_t cy = sy; cy < std::min(ny, sy + kSide); ++cy) {
                for (size_t cx = sx; cx < std::min(nx, sx + kSide); ++cx) {
                    rank_super[r] = s;
                    rank[cy * nx + cx] = r++;
                }
            }
        }
    }
    std::vector<uint32_t> cell_of(n);
    pool.parallel_for(0, n, gs, [&](size_t, size_t b, size_t e) {
        for (size_t i = b; i < e; ++i) {
            const float* p = data.point(i);
            const size_t cx = cell_index(p[ax], lo[0], ex, nx);
            const size_t cy = cell_index(p[ay], lo[1], ey, ny);
            cell_of[i] = rank[cy * nx + cx];
        }
    });
    std::vector<uint32_t> start(nx * ny + 1, 0);
    for (size_t i = 0; i < n; ++i) {
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
    uint32_t current_super = std::numeric_limits<uint32_t>::max();
    for (size_t c = 0; c < nx * ny; ++c) {
        for (uint32_t b = start[c]; b < start[c + 1]; b += kTile) {
            if (rank_super[c] != current_super) {
                current_super = rank_super[c];
                super_begin.push_back(static_cast<uint32_t>(tile_begin.size()));
            }
            tile_begin.push_back(b);
        }
    }
}

void SeedTiles::split_supers(const Data& data, ThreadPool& pool)
{
    const size_t n = data.n;
    // The closing offsets are not pushed yet: every entry opens a super tile.
    const size_t supers_count = super_begin.size();
    std::vector<uint32_t> point_begin(supers_count + 1, static_cast<uint32_t>(n));
    std::vector<uint32_t> first_tile(supers_count + 1, 0);
    for (size_t q = 0; q < supers_count; ++q) {
        point_begin[q] = tile_begin[super_begin[q]];
    }
    for (size_t q = 0; q < supers_count; ++q) {
        const size_t count = point_begin[q + 1] - point_begin[q];
        first_tile[q + 1] = first_tile[q] + static_cast<uint32_t>((count + kTile - 1) / kTile);
    }
    tile_begin.assign(first_tile[supers_count], 0);
    super_begin.assign(first_tile.begin(), first_tile.end() - 1);
    // Each super tile's points copied side by side first (the image's rows are far apart);
    // ranges of them are cut by their positions in that copy, ties in copy order.
    pool.parallel_for(0, supers_count, 16, [&](size_t, size_t b, size_t e) {
        struct Range {
            uint32_t b, e;
        };
        std::vector<Range> stack;
        std::vector<float> coords;
        std::vector<uint32_t> local;
        std::vector<uint32_t> ids;
        std::vector<uint64_t> keys;
        std::vector<float> lo;
        std::vector<float> hi;
        for (size_t q = b; q < e; ++q) {
            const uint32_t base = point_begin[q];
            const uint32_t count = point_begin[q + 1] - base;
            coords.resize(static_cast<size_t>(count) * d);
            local.resize(count);
            ids.assign(order.begin() + base, order.begin() + base + count);
            for (uint32_t j = 0; j < count; ++j) {
                std::copy_n(data.point(order[base + j]), d,
                            coords.data() + static_cast<size_t>(j) * d);
                local[j] = j;
            }
            uint32_t next_tile = first_tile[q];
            stack.push_back({0, count});
            while (!stack.empty()) {
                const Range r = stack.back();
                stack.pop_back();
                if (r.e - r.b <= kTile) {
                    tile_begin[next_tile++] = base + r.b;
                    continue;
                }
                // Cut across the widest axis, at a whole number of tiles near the middle.
                const float* first = coords.data() + static_cast<size_t>(local[r.b]) * d;
                lo.assign(first, first + d);
                hi.assign(first, first + d);
                for (uint32_t j = r.b + 1; j < r.e; ++j) {
                    const float* p = coords.data() + static_cast<size_t>(local[j]) * d;
                    for (int a = 0; a < d; ++a) {
                        lo[a] = std::min(lo[a], p[a]);
                        hi[a] = std::max(hi[a], p[a]);
                    }
                }
                int axis = 0;
                for (int a = 1; a < d; ++a) {
                    if (hi[a] - lo[a] > hi[axis] - lo[axis]) {
                        axis = a;
                    }
                }
                const size_t tiles_here = (r.e - r.b + kTile - 1) / kTile;
                const uint32_t m = r.b + static_cast<uint32_t>((tiles_here + 1) / 2 * kTile);
                keys.resize(r.e - r.b);
                for (uint32_t j = r.b; j < r.e; ++j) {
                    const float v = coords[static_cast<size_t>(local[j]) * d + axis];
                    keys[j - r.b] = static_cast<uint64_t>(ordered_bits(v)) << 32 | local[j];
                }
                select_smallest(keys.data(), keys.size(), m - r.b);
                for (uint32_t j = r.b; j < r.e; ++j) {
                    local[j] = static_cast<uint32_t>(keys[j - r.b]);
                }
                stack.push_back({m, r.e});
                stack.push_back({r.b, m});
            }
            for (uint32_t j = 0; j < count; ++j) {
                order[base + j] = ids[local[j]];
            }
        }
    });
}

void SeedTiles::order_by_octree(const Data& data)
{
    const size_t n = data.n;
    double lo[3] = {0.0, 0.0, 0.0};
    double extent = 0.0;
    for (int a = 0; a < d; ++a) {
        double l = std::numeric_limits<double>::infinity();
        double h = -l;
        for (size_t i = 0; i < n; ++i) {
            l = std::min(l, static_cast<double>(data.point(i)[a]));
            h = std::max(h, static_cast<double>(data.point(i)[a]));
        }
        lo[a] = l;
        extent = std::max(extent, h - l);
    }
    const int bits = 30 / d;
    const uint32_t top = (1u << bits) - 1;
    const double per = extent > 0.0 ? std::ldexp(1.0, bits) / extent : 0.0;
    uint32_t spread[256]; // the 8 bits of a byte, bit b at b * d
    for (uint32_t v = 0; v < 256; ++v) {
        spread[v] = 0;
        for (int b = 0; b < 8 && b * d < 32; ++b) {
            spread[v] |= ((v >> b) & 1u) << (b * d);
        }
    }
    std::vector<uint32_t> code(n);
    for (size_t i = 0; i < n; ++i) {
        const float* p = data.point(i);
        uint32_t c = 0;
        for (int a = 0; a < d; ++a) {
            const double f = (static_cast<double>(p[a]) - lo[a]) * per;
            const uint32_t q = f > 0.0 ? static_cast<uint32_t>(std::min<double>(top, f)) : 0u;
            for (int byte = 0; byte * 8 < bits; ++byte) {
                c |= spread[(q >> (8 * byte)) & 255u] << (8 * byte * d + a);
            }
        }
        code[i] = c;
    }
    // Least significant digit first, 11 bits a pass: stable, so equal codes keep index order.
    order.resize(n);
    for (size_t i = 0; i < n; ++i) {
        order[i] = static_cast<uint32_t>(i);
    }
    std::vector<uint32_t> sorted(n);
    std::vector<uint32_t> code_sorted(n);
    for (int shift = 0; shift < bits * d; shift += 11) {
        std::vector<uint32_t> start(2049, 0);
        for (size_t i = 0; i < n; ++i) {
            ++start[((code[i] >> shift) & 2047u) + 1];
        }
        for (size_t b = 0; b < 2048; ++b) {
            start[b + 1] += start[b];
        }
        for (size_t i = 0; i < n; ++i) {
            const uint32_t slot = start[(code[i] >> shift) & 2047u]++;
            sorted[slot] = order[i];
            code_sorted[slot] = code[i];
        }
        order.swap(sorted);
        code.swap(code_sorted);
    }
    struct Cell {
        uint32_t b, e;
        int bit;
        bool in_super;
    };
    std::vector<Cell> stack{{0, static_cast<uint32_t>(n), bits * d - 1, false}};
    while (!stack.empty()) {
        Cell c = stack.back();
        stack.pop_back();
        if (!c.in_super && c.e - c.b <= kSuperPoints) {
            super_begin.push_back(static_cast<uint32_t>(tile_begin.size()));
            c.in_super = true;
        }
        if (c.e - c.b <= kTile || c.bit < 0) {
            for (uint32_t b = c.b; b < c.e; b += kTile) {
                if (!c.in_super && (b - c.b) % kSuperPoints == 0) {
                    super_begin.push_back(static_cast<uint32_t>(tile_begin.size()));
                }
                tile_begin.push_back(b);
            }
            continue;
        }
        const uint32_t m = static_cast<uint32_t>(
            std::partition_point(code.begin() + c.b, code.begin() + c.e,
                                 [&](uint32_t v) { return ((v >> c.bit) & 1u) == 0; }) -
            code.begin());
        if (m < c.e) {
            stack.push_back({m, c.e, c.bit - 1, c.in_super});
        }
        if (c.b < m) {
            stack.push_back({c.b, m, c.bit - 1, c.in_super});
        }
    }
}


} // namespace core::detail
