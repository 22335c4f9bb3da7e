// Two more ways to choose k, shared by the app and the CLI: the k-grid (the image recoloured at
// every k of a range, as thumbnails laid out in one picture) and the spread of final inertia over
// seeds for random and k-means++ starts (the random-initialisation trap, made visible).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cluster.h"
#include "image.h"
#include "progress.h"
#include "thread_pool.h"

namespace core {

/// Most tiles one grid holds.
constexpr int kMaxGridTiles = 64;

struct GridOptions {
    /// Longest side of a thumbnail, pixels.
    int tile_side = 256;
    /// Longest side of the copy that is clustered; 0 clusters the image itself (the tiles are then
    /// the thumbnails of exactly what `kpix-cli -k K` writes, and the inertia is the image's).
    int cluster_side = 0;
};

struct GridTile {
    int k = 0;
    /// Clusters used (fewer than k when the image has fewer distinct colours).
    int k_used = 0;
    /// Inertia of the clustering (of the clustered copy, see GridOptions::cluster_side).
    double inertia = 0.0;
    int iterations = 0;
    /// The clustered image scaled to fit tile_side (nearest neighbour, so it has <= k colours).
    Image thumbnail;
};

struct KGrid {
    std::vector<GridTile> tiles;
    bool cancelled = false;
    /// Why there are no tiles when not cancelled (bad range, every pixel transparent).
    std::string note;
};

/// A nearest-neighbour copy whose longest side is at most max_side (the image itself if it fits).
Image scaled_to_fit(const Image& image, int max_side);

/// Clusters the image with params (its space, seed, init...) at every k in [k_lo, k_hi]
/// (2 <= k_lo <= k_hi, at most kMaxGridTiles values) and keeps each result as a thumbnail.
/// As in cluster(), pixels with alpha < kAlphaThreshold take no part and stay transparent.
/// progress may be nullptr; its fraction runs over the whole grid; cancel is seen between ks.
KGrid k_grid(const Image& image, const ClusterParams& params, int k_lo, int k_hi,
             const GridOptions& options, ThreadPool& pool, Progress* progress);

/// Where each tile sits in the composed picture. Tiles go row by row, left to right, in k order;
/// columns = ceil(sqrt(tiles)) (3 x 3 for k = 2..10). Every cell is cell_width x cell_height:
/// the tile at its top-left corner, then a label strip of label_height under it ("k=5" in a small
/// built-in pixel font). Cells are gap pixels apart and gap pixels from the border.
struct GridLayout {
    int columns = 0;
    int rows = 0;
    int cell_width = 0;
    int cell_height = 0;
    int label_height = 0;
    int gap = 0;
    int width = 0;
    int height = 0;
    /// Top-left corner of each tile, tiles * 2 (x, y).
    std::vector<int> origins;
};

GridLayout grid_layout(const KGrid& grid);

/// The grid as one RGBA8 picture (layout above; dark grey background, light grey labels).
Image compose_grid(const KGrid& grid, const GridLayout& layout);

/// Final inertia of runs from seeds seed, seed + 1, ... with each initialisation.
struct InitComparison {
    int k = 0;
    /// One entry per seed, in seed order.
    std::vector<double> kmeanspp;
    std::vector<double> random;
    std::vector<int> kmeanspp_iterations;
    std::vector<int> random_iterations;
    bool cancelled = false;
    std::string note;
};

/// Runs k-means `runs` times with k-means++ and `runs` times with random (Forgy) starts, seeds
/// params.kmeans.seed + 0 .. runs - 1, n_init = 1, on the image with params' k, space and xy.
/// progress may be nullptr; cancel is seen between runs.
InitComparison compare_inits(const Image& image, const ClusterParams& params, int runs,
                             ThreadPool& pool, Progress* progress);

/// Smallest, median (mean of the middle two for an even count) and largest of values.
struct Spread {
    double min = 0.0;
    double median = 0.0;
    double max = 0.0;
};
Spread spread_of(std::vector<double> values);

} // namespace core
