// Building the centroid grid of kmeans_grid.h: the buckets, the windows in vector blocks, the
// windowed largest moves, and the half gaps between centroids by ring search (k log k-ish instead
// of k^2 pairs).
//
// Every assignment pass builds it anew before its points are assigned (kmeans_assign.cpp), and
// the other threads wait for that set-up: the windows and the half gaps run on the pass's thread
// pool in chunks of cells (of centroids), each writing only its own entries, so the grid is the
// same on any thread count; window storage is left unzeroed (every block is written). Set-up
// timers, rgb+xy 4 MP, 2 threads, one run (179 rounds at k = 4096, 222 at k = 1000), before ->
// after: k = 4096 windows 1.39 -> 0.70 s, half gaps 1.38 -> 0.59 s, set-up 2.85 -> 1.37 s of
// Lloyd's 11.7 -> 10.0 s; k = 1000 set-up 0.53 -> 0.37 s. (1 thread, k = 4096: windows 1.35 s,
// half gaps 1.08 s.) kpix-bench seconds, medians of 3 runs alternated with main's, same
// iterations and inertia in every run, load 0.9-1.3: k = 4096 2 threads 12.32 vs 14.14 s
// (0.87x), 1 thread 22.61 vs 23.28 s; k = 1000 2 threads 7.02 vs 7.17 s, 1 thread 12.83 vs
// 12.86 s: k = 4096 over k = 1000 on 2 threads 1.75x (main 1.97x).
// Measured and left out: the window moves in parallel (seven parallel steps a round, each costing
// more to start than its work: k = 1000 0.007 -> 0.078 s a run), each window in its own two
// parallel steps (k = 1000: no gain on 2 threads), keeping the grid's storage from pass to pass
// (tried once, before the unzeroed storage: 4.7 vs 5.0 ms a round for the windows; not pursued),
// and the second window at 8 rings (k = 4096, 2 threads, on the windows' first parallel build:
// 13.1 and 13.4 s vs 12.7 and 12.5 s: its build costs more than the scans over all k it saves).
#include "kmeans_grid.h"

#include <cstring>

namespace core::detail {
namespace {

/// Cells (or centroids) a chunk of the parallel builds takes at a time.
constexpr size_t kChunk = 256;

} // namespace

template <int A>
void CentroidGrid<A>::build(const float* c, int k, int d_, const double* box,
                            double cells_per_centroid, bool wide_, ThreadPool* pool)
{
    d = d_;
    axis0 = d - A;
    wide = wide_;
    double lo[A];
    double hi[A];
    for (int a = 0; a < A; ++a) {
        lo[a] = box ? box[2 * a] : c[axis0 + a];
        hi[a] = box ? box[2 * a + 1] : c[axis0 + a];
    }
    for (int j = 0; j < k; ++j) {
        const float* q = c + static_cast<size_t>(j) * d + axis0;
        for (int a = 0; a < A; ++a) {
            lo[a] = std::min<double>(lo[a], q[a]);
            hi[a] = std::max<double>(hi[a], q[a]);
        }
    }
    const double cells = std::max(1.0, cells_per_centroid * k);
    double volume = 1.0;
    double longest = 0.0;
    for (int a = 0; a < A; ++a) {
        volume *= std::max(hi[a] - lo[a], 1e-10);
        longest = std::max(longest, hi[a] - lo[a]);
    }
    if constexpr (A == 2) {
        s = std::sqrt(volume / cells);
    } else {
        s = std::cbrt(volume / cells);
    }
    // A flat extent (centroids on a plane or a line): no more cells than asked along the rest.
    s = std::max(s, longest / cells);
    if (!(s > 0.0) || !std::isfinite(s)) {
        s = 1.0;
    }
    inv_s = 1.0 / s;
    double span = s;
    int cells_n = 1;
    for (int a = 0; a < A; ++a) {
        o[a] = lo[a];
        n[a] = std::min(kMaxCells, static_cast<int>((hi[a] - lo[a]) * inv_s) + 1);
        span += std::fabs(lo[a]) + std::fabs(hi[a]);
        cells_n *= n[a];
    }
    // Cell indices are computed in double from float coordinates: a coordinate may land a
    // rounding error past its cell's face. This margin, far above that error, keeps every
    // geometric distance a lower bound.
    margin = 1e-9 * span;

    start.assign(static_cast<size_t>(cells_n) + 1, 0);
    std::vector<int> cell_of(k);
    for (int j = 0; j < k; ++j) {
        cell_of[j] = static_cast<int>(locate(c + static_cast<size_t>(j) * d).id);
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
    build_windows(pool);
    window_move.clear();
    active = true;
}

template <int A>
void CentroidGrid<A>::build_windows(ThreadPool* pool)
{
    // Blocks of 4 or (wide) 8 lanes; missing lanes: +inf coordinates, index INT32_MAX (never
    // nearest).
    const int lanes = wide ? 8 : kLanes;
    const float inf = std::numeric_limits<float>::infinity();
    const int32_t none = std::numeric_limits<int32_t>::max();
    const size_t cells_n = start.size() - 1;
    // The cell's coordinates from its number.
    const auto cell_of = [&](size_t cell_id, int* cell) {
        size_t rest = cell_id;
        for (int a = 0; a < A; ++a) {
            cell[a] = static_cast<int>(rest % n[a]);
            rest /= n[a];
        }
    };
    // First each cell's block count, then (its first block known) its blocks: each chunk of
    // cells writes its own range of blocks, so the windows are the same on any thread count.
    // Both windows in each of the two parallel steps (a parallel step costs tens of
    // microseconds to start: at k = 1000 about what a window's build does).
    for (Window& w : windows) {
        w.start.assign(cells_n + 1, 0);
    }
    for_chunks(pool, 0, cells_n, kChunk, [&](size_t, size_t c0, size_t c1) {
        for (Window& w : windows) {
            for (size_t cell_id = c0; cell_id < c1; ++cell_id) {
                int cell[A];
                cell_of(cell_id, cell);
                int members = 0;
                for_each_row(cell, w.rings, [&](size_t row, int x0, int x1, bool) {
                    members += start[row + x1 + 1] - start[row + x0];
                });
                w.start[cell_id + 1] = (members + lanes - 1) / lanes;
            }
        }
    });
    for (Window& w : windows) {
        for (size_t cell_id = 0; cell_id < cells_n; ++cell_id) {
            w.start[cell_id + 1] += w.start[cell_id];
        }
        const size_t total = static_cast<size_t>(w.start[cells_n]);
        w.coords.clear();
        w.index.clear();
        w.wide_coords.clear();
        w.wide_index.clear();
        if (wide) {
            w.wide_coords.resize(total * d * lanes);
            w.wide_index.resize(total * lanes);
        } else {
            w.coords.resize(total * d);
            w.index.resize(total);
        }
    }
    for_chunks(pool, 0, cells_n, kChunk, [&](size_t, size_t c0, size_t c1) {
        std::vector<int> members;
        std::vector<float> flat;
        std::vector<int32_t> flat_index;
        for (Window& w : windows) {
            for (size_t cell_id = c0; cell_id < c1; ++cell_id) {
                int cell[A];
                cell_of(cell_id, cell);
                members.clear();
                for_each_row(cell, w.rings, [&](size_t row, int x0, int x1, bool) {
                    // The row's cells are consecutive: one run of entries.
                    for (int e = start[row + x0]; e < start[row + x1 + 1]; ++e) {
                        members.push_back(e);
                    }
                });
                const size_t b0 = static_cast<size_t>(w.start[cell_id]);
                const size_t blocks = static_cast<size_t>(w.start[cell_id + 1]) - b0;
                if (blocks == 0) {
                    continue; // no centroid within reach (colour cells): nothing to copy
                }
                // The cell's blocks are filled as flat floats and copied in whole: writing lane
                // l of a VecF in place (l not a constant) costs a round trip through the stack
                // in wasm. NOTE: measured in node at k = 1000 rgb+xy, this function took 2.1 s of
                // a 34 s run written lane by lane (0.25 s natively, where the 8-lane blocks are
                // flat already).
                flat.assign(blocks * d * lanes, inf);
                flat_index.assign(blocks * lanes, none);
                for (size_t m = 0; m < members.size(); ++m) {
                    const size_t b = m / lanes;
                    const size_t l = m % lanes;
                    const int e = members[m];
                    for (int a = 0; a < d; ++a) {
                        flat[(b * d + a) * lanes + l] = coords[static_cast<size_t>(e) * d + a];
                    }
                    flat_index[m] = order[e];
                }
                float* to = wide ? w.wide_coords.data() + b0 * d * lanes
                                 : reinterpret_cast<float*>(w.coords.data() + b0 * d);
                int32_t* to_index = wide ? w.wide_index.data() + b0 * lanes
                                         : reinterpret_cast<int32_t*>(w.index.data() + b0);
                std::memcpy(to, flat.data(), flat.size() * sizeof(float));
                std::memcpy(to_index, flat_index.data(), flat_index.size() * sizeof(int32_t));
            }
        }
    });
}

template <int A>
void CentroidGrid<A>::build_window_moves(const std::vector<double>& moves, int max_r)
{
    const size_t cells_n = start.size() - 1;
    std::vector<double> prev(cells_n);
    for (size_t cell_id = 0; cell_id < cells_n; ++cell_id) {
        double m = 0.0;
        for (int e = start[cell_id]; e < start[cell_id + 1]; ++e) {
            m = std::max(m, moves[order[e]]);
        }
        prev[cell_id] = m;
    }
    // Window maxima grow one ring at a time: the max over a (2r + 1)^A window is the max over
    // the (2r - 1)^A windows of its 3^A neighbours, one axis after another.
    window_move.resize(static_cast<size_t>(max_r) * cells_n);
    size_t stride[A];
    stride[0] = 1;
    for (int a = 1; a < A; ++a) {
        stride[a] = stride[a - 1] * static_cast<size_t>(n[a - 1]);
    }
    std::vector<double> next(cells_n);
    for (int r = 1; r <= max_r; ++r) {
        for (int a = 0; a < A; ++a) {
            // The last axis of a ring writes straight into its slice of window_move.
            double* out = a + 1 < A ? next.data() : window_move.data() + (r - 1) * cells_n;
            for (size_t cell_id = 0; cell_id < cells_n; ++cell_id) {
                const int i = static_cast<int>(cell_id / stride[a] % n[a]);
                double m = prev[cell_id];
                if (i > 0) {
                    m = std::max(m, prev[cell_id - stride[a]]);
                }
                if (i + 1 < n[a]) {
                    m = std::max(m, prev[cell_id + stride[a]]);
                }
                out[cell_id] = m;
            }
            if (a + 1 < A) {
                prev.swap(next);
            } else {
                std::copy_n(out, cells_n, prev.begin());
            }
        }
    }
}

template <int A>
void CentroidGrid<A>::half_gaps(const float* c, int k, std::vector<double>& half_gap,
                                ThreadPool* pool) const
{
    const double inf = std::numeric_limits<double>::infinity();
    half_gap.assign(k, inf);
    for_chunks(pool, 0, static_cast<size_t>(k), kChunk, [&](size_t, size_t j0, size_t j1) {
        for (int j = static_cast<int>(j0); j < static_cast<int>(j1); ++j) {
            const float* p = c + static_cast<size_t>(j) * d;
            const Spot at = locate(p);
            double best2 = inf; // squared distance to the nearest other centroid found so far
            const auto visit = [&](int cell) {
                for (int e = start[cell]; e < start[cell + 1]; ++e) {
                    if (order[e] != j) {
                        const float* q = coords.data() + static_cast<size_t>(e) * d;
                        best2 = std::min(best2, squared_gap(p, q, d));
                    }
                }
            };
            for (int r = 0;; ++r) {
                // The shell of cells r rings out: whole rows on its faces, else the row's two
                // ends (only those stepped to: k = 4096 rgb+xy, 1.38 -> 1.08 s a run).
                for_each_row(at.c, r, [&](size_t row, int x0, int x1, bool shell) {
                    if (shell) {
                        for (int x = x0; x <= x1; ++x) {
                            visit(static_cast<int>(row) + x);
                        }
                        return;
                    }
                    if (at.c[0] - r >= 0) {
                        visit(static_cast<int>(row) + at.c[0] - r);
                    }
                    if (at.c[0] + r < n[0]) {
                        visit(static_cast<int>(row) + at.c[0] + r);
                    }
                });
                const double reached = reach(at, r);
                if (reached == inf || (reached > 0.0 && best2 <= reached * reached)) {
                    break;
                }
            }
            // Past the ring search, every other centroid is at least sqrt(best2) away.
            half_gap[j] = 0.5 * (1.0 - kSlack) * std::sqrt(best2);
        }
    });
}

template struct CentroidGrid<2>;
template struct CentroidGrid<3>;

} // namespace core::detail
