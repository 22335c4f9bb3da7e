// Building and searching the colour grid of kmeans_colour_search.h: the buckets, the windows of
// 3 x 3 x 3 and 5 x 5 x 5 cells in vector blocks, and the windowed nearest-two scan.
#include "kmeans_colour_search.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace core::detail {

void ColourGrid::build(const float* c, int k, double cells_per_centroid, bool wide_)
{
    wide = wide_;
    double lo[3] = {c[0], c[1], c[2]};
    double hi[3] = {c[0], c[1], c[2]};
    for (int j = 0; j < k; ++j) {
        for (int a = 0; a < 3; ++a) {
            lo[a] = std::min<double>(lo[a], c[static_cast<size_t>(j) * 3 + a]);
            hi[a] = std::max<double>(hi[a], c[static_cast<size_t>(j) * 3 + a]);
        }
    }
    const double cells = std::max(1.0, cells_per_centroid * k);
    double volume = 1.0;
    double longest = 0.0;
    for (int a = 0; a < 3; ++a) {
        volume *= std::max(hi[a] - lo[a], 1e-10);
        longest = std::max(longest, hi[a] - lo[a]);
    }
    s = std::cbrt(volume / cells);
    // A flat extent (centroids on a plane or a line): no more cells than asked along the rest.
    s = std::max(s, longest / cells);
    if (!(s > 0.0) || !std::isfinite(s)) {
        s = 1.0;
    }
    inv_s = 1.0 / s;
    double span = s;
    for (int a = 0; a < 3; ++a) {
        o[a] = lo[a];
        n[a] = std::min(256, static_cast<int>((hi[a] - lo[a]) * inv_s) + 1);
        span += std::fabs(lo[a]) + std::fabs(hi[a]);
    }
    // Cell indices are computed in double from float coordinates: a coordinate may land a
    // rounding error past its cell's face. This margin, far above that error, keeps every
    // geometric distance a lower bound.
    margin = 1e-9 * span;

    const int cells_n = n[0] * n[1] * n[2];
    start.assign(static_cast<size_t>(cells_n) + 1, 0);
    std::vector<int> cell_of(k);
    for (int j = 0; j < k; ++j) {
        const float* q = c + static_cast<size_t>(j) * 3;
        cell_of[j] = static_cast<int>(locate(q).id);
        ++start[cell_of[j] + 1];
    }
    for (int i = 0; i < cells_n; ++i) {
        start[i + 1] += start[i];
    }
    order.assign(k, 0);
    coords.assign(static_cast<size_t>(k) * 3, 0.0f);
    std::vector<int> fill(start.begin(), start.end() - 1);
    for (int j = 0; j < k; ++j) {
        const int e = fill[cell_of[j]]++;
        order[e] = static_cast<uint16_t>(j);
        std::copy_n(c + static_cast<size_t>(j) * 3, 3, coords.begin() + static_cast<size_t>(e) * 3);
    }
    k_count = k;
    windows[0].rings = kRings;
    windows[1].rings = kFarRings;
    for (Window& w : windows) {
        build_window(w);
    }
    active = true;
}

void ColourGrid::build_window(Window& w)
{
    const int lanes = wide ? 8 : kLanes;
    const float inf = std::numeric_limits<float>::infinity();
    const int32_t none = std::numeric_limits<int32_t>::max();
    const int cells_n = n[0] * n[1] * n[2];
    w.start.assign(static_cast<size_t>(cells_n) + 1, 0);
    w.coords.clear();
    w.index.clear();
    w.wide_coords.clear();
    w.wide_index.clear();
    std::vector<int> members;
    const int r = w.rings;
    for (int cz = 0; cz < n[2]; ++cz) {
        for (int cy = 0; cy < n[1]; ++cy) {
            for (int cx = 0; cx < n[0]; ++cx) {
                members.clear();
                for (int z = std::max(cz - r, 0); z <= std::min(cz + r, n[2] - 1); ++z) {
                    for (int y = std::max(cy - r, 0); y <= std::min(cy + r, n[1] - 1); ++y) {
                        const int row = (z * n[1] + y) * n[0];
                        const int x0 = std::max(cx - r, 0);
                        const int x1 = std::min(cx + r, n[0] - 1);
                        // The row's cells are consecutive: one run of entries.
                        for (int e = start[row + x0]; e < start[row + x1 + 1]; ++e) {
                            members.push_back(e);
                        }
                    }
                }
                const int blocks = (static_cast<int>(members.size()) + lanes - 1) / lanes;
                for (int b = 0; b < blocks; ++b) {
                    const size_t c0 = wide ? w.wide_coords.size() : w.coords.size();
                    const size_t i0 = wide ? w.wide_index.size() : w.index.size();
                    if (wide) {
                        w.wide_coords.resize(c0 + 3 * 8, inf);
                        w.wide_index.resize(i0 + 8, none);
                    } else {
                        w.coords.resize(c0 + 3, VecF{} + inf);
                        w.index.push_back(VecI{} + none);
                    }
                    for (int l = 0; l < lanes; ++l) {
                        const size_t m = static_cast<size_t>(b) * lanes + l;
                        if (m >= members.size()) {
                            break;
                        }
                        const int e = members[m];
                        for (int a = 0; a < 3; ++a) {
                            const float v = coords[static_cast<size_t>(e) * 3 + a];
                            if (wide) {
                                w.wide_coords[c0 + static_cast<size_t>(a) * 8 + l] = v;
                            } else {
                                w.coords[c0 + a][l] = v;
                            }
                        }
                        if (wide) {
                            w.wide_index[i0 + l] = order[e];
                        } else {
                            w.index[i0][l] = order[e];
                        }
                    }
                }
                const int cell_id = (cz * n[1] + cy) * n[0] + cx;
                w.start[cell_id + 1] = w.start[cell_id] + blocks;
            }
        }
    }
}

void ColourGrid::build_window_moves(const std::vector<double>& moves)
{
    const size_t cells_n = static_cast<size_t>(n[0]) * n[1] * n[2];
    std::vector<double> prev(cells_n, 0.0);
    for (size_t cell_id = 0; cell_id < cells_n; ++cell_id) {
        for (int e = start[cell_id]; e < start[cell_id + 1]; ++e) {
            prev[cell_id] = std::max(prev[cell_id], moves[order[e]]);
        }
    }
    // Window maxima grow one ring at a time: the max over a (2r + 1)^3 window is the max over
    // the (2r - 1)^3 windows of its 3 x 3 x 3 neighbours, one axis after another.
    window_move.assign(kMaxWindow * cells_n, 0.0);
    const size_t stride[3] = {1, static_cast<size_t>(n[0]), static_cast<size_t>(n[0]) * n[1]};
    std::vector<double> next(cells_n);
    for (int r = 1; r <= kMaxWindow; ++r) {
        for (int a = 0; a < 3; ++a) {
            for (size_t cell_id = 0; cell_id < cells_n; ++cell_id) {
                const int i = static_cast<int>(cell_id / stride[a] % n[a]);
                double m = prev[cell_id];
                if (i > 0) {
                    m = std::max(m, prev[cell_id - stride[a]]);
                }
                if (i + 1 < n[a]) {
                    m = std::max(m, prev[cell_id + stride[a]]);
                }
                next[cell_id] = m;
            }
            prev.swap(next);
        }
        std::copy(prev.begin(), prev.end(), window_move.begin() + (r - 1) * cells_n);
    }
}

void ColourGrid::scan(const Window& w, const float* p, size_t cell_id, int& best_c,
                      float& best, float& second) const
{
#if KPIX_AVX2
    if (wide) {
        const int b0 = w.start[cell_id];
        window_two_avx2<3>(p, w.wide_coords.data() + static_cast<size_t>(b0) * 3 * 8,
                           w.wide_index.data() + static_cast<size_t>(b0) * 8,
                           w.start[cell_id + 1] - b0, 3, best_c, best, second);
        return;
    }
#endif
    const float inf = std::numeric_limits<float>::infinity();
    VecF vbest = VecF{} + inf;
    VecF vsecond = VecF{} + inf;
    VecI vindex = VecI{} + std::numeric_limits<int32_t>::max();
    const VecF* q = w.coords.data() + static_cast<size_t>(w.start[cell_id]) * 3;
    for (int b = w.start[cell_id]; b < w.start[cell_id + 1]; ++b, q += 3) {
        VecF t = p[0] - q[0];
        VecF s2 = t * t;
        t = p[1] - q[1];
        s2 += t * t;
        t = p[2] - q[2];
        s2 += t * t;
        // Nearer, or as near with a lower index (windows are not in index order).
        const VecI idx = w.index[b];
        const VecI nearer = (s2 < vbest) | ((s2 == vbest) & (idx < vindex));
        vsecond = lane_min(lane_max(s2, vbest), vsecond);
        vbest = lane_min(s2, vbest);
        vindex = (nearer & idx) | (~nearer & vindex);
    }
    VecF first = vbest;
    fold_nearest_two(first, vsecond);
    const VecI candidates =
        vbest == first ? vindex : VecI{} + std::numeric_limits<int32_t>::max();
    best = first[0];
    second = vsecond[0];
    best_c = hmin4(candidates)[0];
}

} // namespace core::detail
