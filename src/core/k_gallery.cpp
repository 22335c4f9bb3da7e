// The k-grid and the init comparison: plain loops of cluster() over k or over seeds, one
// clustering at a time, each parallel over the pool (as sweep_k, for the same reasons: memory,
// and results that do not depend on the thread count).
#include "k_gallery.h"

#include <algorithm>
#include <cmath>

#include "render.h"

namespace core {

namespace {

/// Glyphs of the label font, 3 x 5 pixels, one row per entry (bit 2 = left column).
struct Glyph {
    char c;
    uint8_t rows[5];
};
constexpr Glyph kGlyphs[] = {
    {'0', {7, 5, 5, 5, 7}}, {'1', {2, 6, 2, 2, 7}}, {'2', {7, 1, 7, 4, 7}},
    {'3', {7, 1, 7, 1, 7}}, {'4', {5, 5, 7, 1, 1}}, {'5', {7, 4, 7, 1, 7}},
    {'6', {7, 4, 7, 5, 7}}, {'7', {7, 1, 2, 2, 2}}, {'8', {7, 5, 7, 5, 7}},
    {'9', {7, 5, 7, 1, 7}}, {'k', {4, 5, 6, 5, 5}}, {'=', {0, 7, 0, 7, 0}},
};
constexpr int kGlyphScale = 2;
constexpr int kGlyphAdvance = 4 * kGlyphScale;
constexpr int kLabelHeight = 5 * kGlyphScale + 4;
constexpr int kGap = 6;
constexpr uint8_t kBackground = 32;
constexpr uint8_t kInk = 220;

void fill(Image& img, int x0, int y0, int w, int h, uint8_t grey)
{
    for (int y = std::max(0, y0); y < std::min(img.height, y0 + h); ++y) {
        for (int x = std::max(0, x0); x < std::min(img.width, x0 + w); ++x) {
            uint8_t* p = img.rgba.data() + 4 * (static_cast<size_t>(y) * img.width + x);
            p[0] = p[1] = p[2] = grey;
            p[3] = 255;
        }
    }
}

void draw_text(Image& img, int x, int y, const std::string& text)
{
    for (char c : text) {
        for (const Glyph& g : kGlyphs) {
            if (g.c != c) {
                continue;
            }
            for (int row = 0; row < 5; ++row) {
                for (int col = 0; col < 3; ++col) {
                    if (g.rows[row] & (4 >> col)) {
                        fill(img, x + col * kGlyphScale, y + row * kGlyphScale, kGlyphScale,
                             kGlyphScale, kInk);
                    }
                }
            }
        }
        x += kGlyphAdvance;
    }
}

/// The params of one run: k set, a clicked-seeds init replaced by k-means++ (the seeds are for
/// one k only), one run.
ClusterParams params_at(const ClusterParams& params, int k)
{
    ClusterParams p = params;
    p.kmeans.k = k;
    // The grid's own copy (GridOptions::cluster_side) is what is clustered, not a working copy.
    p.work_pixels = 0;
    if (p.kmeans.init == Init::given) {
        p.kmeans.init = Init::kmeanspp;
        p.kmeans.given_centroids.clear();
    }
    return p;
}

} // namespace

Image scaled_to_fit(const Image& image, int max_side)
{
    const int longest = std::max(image.width, image.height);
    if (max_side <= 0 || longest <= max_side) {
        return image;
    }
    Image out;
    out.width = std::max(1, static_cast<int>(static_cast<long long>(image.width) * max_side / longest));
    out.height = std::max(1, static_cast<int>(static_cast<long long>(image.height) * max_side / longest));
    out.rgba.resize(out.pixels() * 4);
    for (int y = 0; y < out.height; ++y) {
        const size_t sy = static_cast<size_t>(y) * image.height / out.height;
        for (int x = 0; x < out.width; ++x) {
            const size_t sx = static_cast<size_t>(x) * image.width / out.width;
            std::copy_n(image.rgba.data() + 4 * (sy * image.width + sx), 4,
                        out.rgba.data() + 4 * (static_cast<size_t>(y) * out.width + x));
        }
    }
    return out;
}

KGrid k_grid(const Image& image, const ClusterParams& params, int k_lo, int k_hi,
             const GridOptions& options, ThreadPool& pool, Progress* progress)
{
    KGrid out;
    if (k_lo < 2 || k_hi < k_lo || k_hi - k_lo + 1 > kMaxGridTiles || k_hi > kMaxK) {
        out.note = "the grid's k runs from 2 up, at most " + std::to_string(kMaxGridTiles) + " values";
        return out;
    }
    if (image.pixels() == 0) {
        out.note = "the image is empty";
        return out;
    }
    const Image clustered_copy = scaled_to_fit(image, options.cluster_side);
    const int count = k_hi - k_lo + 1;
    for (int i = 0; i < count; ++i) {
        if (cancelled(progress)) {
            out.cancelled = true;
            return out;
        }
        const ClusterParams p = params_at(params, k_lo + i);
        const ClusterResult r = cluster(clustered_copy, p, pool, nullptr);
        if (r.cancelled) {
            out.cancelled = true;
            return out;
        }
        if (r.k == 0) {
            out.tiles.clear();
            out.note = r.note;
            return out;
        }
        Image full;
        full.width = clustered_copy.width;
        full.height = clustered_copy.height;
        full.rgba = render_clustered(r, clustered_copy);
        GridTile tile;
        tile.k = p.kmeans.k;
        tile.k_used = r.k;
        tile.inertia = r.inertia;
        tile.iterations = r.iterations;
        tile.thumbnail = scaled_to_fit(full, options.tile_side);
        out.tiles.push_back(std::move(tile));
        set_fraction(progress, static_cast<double>(i + 1) / count);
    }
    return out;
}

GridLayout grid_layout(const KGrid& grid)
{
    GridLayout l;
    const int n = static_cast<int>(grid.tiles.size());
    if (n == 0) {
        return l;
    }
    l.columns = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n))));
    l.rows = (n + l.columns - 1) / l.columns;
    l.label_height = kLabelHeight;
    l.gap = kGap;
    for (const GridTile& t : grid.tiles) {
        l.cell_width = std::max(l.cell_width, t.thumbnail.width);
        l.cell_height = std::max(l.cell_height, t.thumbnail.height + kLabelHeight);
    }
    l.width = kGap + l.columns * (l.cell_width + kGap);
    l.height = kGap + l.rows * (l.cell_height + kGap);
    for (int i = 0; i < n; ++i) {
        l.origins.push_back(kGap + (i % l.columns) * (l.cell_width + kGap));
        l.origins.push_back(kGap + (i / l.columns) * (l.cell_height + kGap));
    }
    return l;
}

Image compose_grid(const KGrid& grid, const GridLayout& layout)
{
    Image out;
    out.width = layout.width;
    out.height = layout.height;
    out.rgba.resize(out.pixels() * 4);
    fill(out, 0, 0, out.width, out.height, kBackground);
    for (size_t i = 0; i < grid.tiles.size(); ++i) {
        const Image& t = grid.tiles[i].thumbnail;
        const int x0 = layout.origins[2 * i];
        const int y0 = layout.origins[2 * i + 1];
        for (int y = 0; y < t.height; ++y) {
            std::copy_n(t.rgba.data() + 4 * static_cast<size_t>(y) * t.width, 4 * static_cast<size_t>(t.width),
                        out.rgba.data() + 4 * (static_cast<size_t>(y0 + y) * out.width + x0));
        }
        const std::string label = "k=" + std::to_string(grid.tiles[i].k);
        const int text_w = static_cast<int>(label.size()) * kGlyphAdvance - kGlyphScale;
        draw_text(out, x0 + (t.width - text_w) / 2, y0 + t.height + 2, label);
    }
    return out;
}

InitComparison compare_inits(const Image& image, const ClusterParams& params, int runs,
                             ThreadPool& pool, Progress* progress)
{
    InitComparison out;
    out.k = params.kmeans.k;
    if (runs < 1 || params.kmeans.k < 2) {
        out.note = "the comparison needs k >= 2 and at least one run";
        return out;
    }
    const Init inits[2] = {Init::kmeanspp, Init::random};
    for (int i = 0; i < runs; ++i) {
        for (int which = 0; which < 2; ++which) {
            if (cancelled(progress)) {
                out.cancelled = true;
                return out;
            }
            ClusterParams p = params_at(params, params.kmeans.k);
            p.kmeans.init = inits[which];
            p.kmeans.n_init = 1;
            p.kmeans.seed = params.kmeans.seed + static_cast<uint64_t>(i);
            const ClusterResult r = cluster(image, p, pool, nullptr);
            if (r.cancelled) {
                out.cancelled = true;
                return out;
            }
            if (r.k == 0) {
                out.note = r.note;
                return out;
            }
            (which == 0 ? out.kmeanspp : out.random).push_back(r.inertia);
            (which == 0 ? out.kmeanspp_iterations : out.random_iterations).push_back(r.iterations);
            set_fraction(progress, static_cast<double>(2 * i + which + 1) / (2.0 * runs));
        }
    }
    return out;
}

Spread spread_of(std::vector<double> values)
{
    Spread s;
    if (values.empty()) {
        return s;
    }
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    s.min = values.front();
    s.max = values.back();
    s.median = n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    return s;
}

} // namespace core
