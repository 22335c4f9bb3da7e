// Building the centroid grid of kmeans_grid.h: the buckets, the windowed largest moves, and the
// half gaps between centroids by ring search (k log k-ish instead of k^2 pairs).
#include "kmeans_grid.h"

#include <algorithm>

namespace core::detail {

void CentroidGrid::build(const float* c, int k, int d_, const double box[4],
                         double cells_per_centroid, bool wide_)
{
    d = d_;
    wide = wide_;
    ax = d - 2;
    ay = d - 1;
    double xmin = box[0];
    double xmax = box[1];
    double ymin = box[2];
    double ymax = box[3];
    for (int j = 0; j < k; ++j) {
        const float* q = c + static_cast<size_t>(j) * d;
        xmin = std::min<double>(xmin, q[ax]);
        xmax = std::max<double>(xmax, q[ax]);
        ymin = std::min<double>(ymin, q[ay]);
        ymax = std::max<double>(ymax, q[ay]);
    }
    const double w = std::max(xmax - xmin, 0.0);
    const double h = std::max(ymax - ymin, 0.0);
    const double cells = std::max(1.0, cells_per_centroid * k);
    s = std::sqrt(std::max(w * h, 1e-30) / cells);
    // A flat extent (all on a line): cells along the long side.
    s = std::max(s, std::max(w, h) / cells);
    if (!(s > 0.0) || !std::isfinite(s)) {
        s = 1.0;
    }
    inv_s = 1.0 / s;
    x0 = xmin;
    y0 = ymin;
    nx = std::min(4096, static_cast<int>(w * inv_s) + 1);
    ny = std::min(4096, static_cast<int>(h * inv_s) + 1);
    // Cell indices are computed in double from float coordinates: a coordinate may land a
    // rounding error past its cell's edge. This margin, far above that error, keeps every
    // geometric distance a lower bound.
    margin = 1e-9 * (std::fabs(xmin) + std::fabs(xmax) + std::fabs(ymin) + std::fabs(ymax) + s);

    const int cells_n = nx * ny;
    start.assign(static_cast<size_t>(cells_n) + 1, 0);
    std::vector<int> cell_of(k);
    for (int j = 0; j < k; ++j) {
        const float* q = c + static_cast<size_t>(j) * d;
        cell_of[j] = cell_y(q[ay]) * nx + cell_x(q[ax]);
        ++start[cell_of[j] + 1];
    }
    for (int i = 0; i < cells_n; ++i) {
        start[i + 1] += start[i];
    }
    order.assign(k, 0);
    coords.assign(static_cast<size_t>(k) * d, 0.0f);
    std::vector<int> fill(start.begin(), start.end() - 1);
    for (int j = 0; j < k; ++j) {
        const int e = fill[cell_of[j]]++;
        order[e] = static_cast<uint16_t>(j);
        std::copy_n(c + static_cast<size_t>(j) * d, d, coords.begin() + static_cast<size_t>(e) * d);
    }
    k_count = k;

    windows[0].rings = kRings;
    windows[1].rings = kFarRings;
    for (Window& w : windows) {
        build_window(w);
    }
    window_move.clear();
    active = true;
}

void CentroidGrid::build_window(Window& w)
{
    // Blocks of 4 or (wide) 8 lanes; missing lanes: +inf coordinates, index INT32_MAX (never
    // nearest).
    const int lanes = wide ? 8 : kLanes;
    const float inf = std::numeric_limits<float>::infinity();
    const int32_t none = std::numeric_limits<int32_t>::max();
    w.start.assign(static_cast<size_t>(nx) * ny + 1, 0);
    w.coords.clear();
    w.index.clear();
    w.wide_coords.clear();
    w.wide_index.clear();
    std::vector<int> members;
    for (int cy = 0; cy < ny; ++cy) {
        for (int cx = 0; cx < nx; ++cx) {
            members.clear();
            for (int y = std::max(cy - w.rings, 0); y <= std::min(cy + w.rings, ny - 1); ++y) {
                for (int x = std::max(cx - w.rings, 0); x <= std::min(cx + w.rings, nx - 1); ++x) {
                    for (int e = start[y * nx + x]; e < start[y * nx + x + 1]; ++e) {
                        members.push_back(e);
                    }
                }
            }
            const int blocks = (static_cast<int>(members.size()) + lanes - 1) / lanes;
            for (int b = 0; b < blocks; ++b) {
                const size_t c0 = wide ? w.wide_coords.size() : w.coords.size();
                const size_t i0 = wide ? w.wide_index.size() : w.index.size();
                if (wide) {
                    w.wide_coords.resize(c0 + static_cast<size_t>(d) * 8, inf);
                    w.wide_index.resize(i0 + 8, none);
                } else {
                    w.coords.resize(c0 + d, VecF{} + inf);
                    w.index.push_back(VecI{} + none);
                }
                for (int l = 0; l < lanes; ++l) {
                    const size_t m = static_cast<size_t>(b) * lanes + l;
                    if (m >= members.size()) {
                        break;
                    }
                    const int e = members[m];
                    for (int a = 0; a < d; ++a) {
                        const float v = coords[static_cast<size_t>(e) * d + a];
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
            const int cell = cy * nx + cx;
            w.start[cell + 1] = w.start[cell] + blocks;
        }
    }
}

void CentroidGrid::build_window_moves(const std::vector<double>& moves)
{
    const size_t cells_n = static_cast<size_t>(nx) * ny;
    std::vector<double> cell_max(cells_n, 0.0);
    for (int cell = 0; cell < nx * ny; ++cell) {
        for (int e = start[cell]; e < start[cell + 1]; ++e) {
            cell_max[cell] = std::max(cell_max[cell], moves[order[e]]);
        }
    }
    // Window maxima grow one ring at a time: the max over a (2r + 1)^2 window is the max over the
    // (2r - 1)^2 windows of its 3 x 3 neighbours, done as a row pass then a column pass.
    window_move.assign(static_cast<size_t>(kMaxWindow) * cells_n, 0.0);
    std::vector<double> prev = cell_max;
    std::vector<double> rows(cells_n);
    for (int r = 1; r <= kMaxWindow; ++r) {
        for (int y = 0; y < ny; ++y) {
            for (int x = 0; x < nx; ++x) {
                double m = prev[static_cast<size_t>(y) * nx + x];
                if (x > 0) {
                    m = std::max(m, prev[static_cast<size_t>(y) * nx + x - 1]);
                }
                if (x + 1 < nx) {
                    m = std::max(m, prev[static_cast<size_t>(y) * nx + x + 1]);
                }
                rows[static_cast<size_t>(y) * nx + x] = m;
            }
        }
        double* out = window_move.data() + static_cast<size_t>(r - 1) * cells_n;
        for (int y = 0; y < ny; ++y) {
            for (int x = 0; x < nx; ++x) {
                double m = rows[static_cast<size_t>(y) * nx + x];
                if (y > 0) {
                    m = std::max(m, rows[static_cast<size_t>(y - 1) * nx + x]);
                }
                if (y + 1 < ny) {
                    m = std::max(m, rows[static_cast<size_t>(y + 1) * nx + x]);
                }
                out[static_cast<size_t>(y) * nx + x] = m;
            }
        }
        prev.assign(out, out + cells_n);
    }
}

void CentroidGrid::half_gaps(const float* c, int k, std::vector<double>& half_gap) const
{
    const double inf = std::numeric_limits<double>::infinity();
    half_gap.assign(k, inf);
    for (int j = 0; j < k; ++j) {
        const float* p = c + static_cast<size_t>(j) * d;
        const double px = p[ax];
        const double py = p[ay];
        const int cx = cell_x(px);
        const int cy = cell_y(py);
        double best2 = inf; // squared distance to the nearest other centroid found so far
        for (int r = 0;; ++r) {
            for (int y = std::max(cy - r, 0); y <= std::min(cy + r, ny - 1); ++y) {
                const bool edge_row = y == cy - r || y == cy + r;
                for (int x = std::max(cx - r, 0); x <= std::min(cx + r, nx - 1); ++x) {
                    if (!edge_row && x != cx - r && x != cx + r) {
                        continue;
                    }
                    const int cell = y * nx + x;
                    for (int e = start[cell]; e < start[cell + 1]; ++e) {
                        if (order[e] != j) {
                            best2 = std::min(best2, squared_gap(p, coords.data() + static_cast<size_t>(e) * d, d));
                        }
                    }
                }
            }
            const double reached = reach(px, py, cx, cy, r);
            if (covers(cx, cy, r) || (reached > 0.0 && best2 <= reached * reached)) {
                break;
            }
        }
        // Past the ring search, every other centroid is at least sqrt(best2) away.
        half_gap[j] = 0.5 * (1.0 - kSlack) * std::sqrt(best2);
    }
}

} // namespace core::detail
