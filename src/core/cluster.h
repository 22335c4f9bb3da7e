// Clustering an image: pixels to feature points (colour, optionally position), k-means, and the
// result in the image's terms (a label per pixel, a palette with shares). Used by every front end.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "colour.h"
#include "image.h"
#include "kmeans.h"
#include "params.h"

namespace core {

const char* init_name(Init init);
bool parse_init(const std::string& name, Init& init);

struct ClusterParams {
    /// k, seed, init, n_init, max_iter, tol.
    KMeansParams kmeans;
    /// Colour space of the features.
    Space space = Space::rgb;
    /// Weight of pixel position (colour+XY); 0 = colour only. Position features are
    /// x' = xy * S * (x + 0.5) / L and y' = xy * S * (y + 0.5) / L, with L the image's longest side
    /// and S = space_span(space), the span of the colour axes (255 for rgb and linear, 100 for lab
    /// and oklab): at xy = 1 the longest side spans the same range as the lightness axis.
    float xy = 0.0f;
    /// The table's own (params.h): working resolution, and given centres in the image's terms.
    size_t work_pixels = kDefaultWorkPixels;
    std::vector<Seed> seeds;
};

struct ClusterResult {
    int width = 0;
    int height = 0;
    /// Clusters used (k, or fewer when the image has fewer distinct colours).
    int k = 0;
    /// Feature dimension: 3 for colour only, 5 with position.
    int d = 0;
    /// Centroids in the working space, k * d. Clusters are ordered by share, largest first.
    std::vector<float> centroids;
    /// Each cluster's colour (its centroid's colour part) back in sRGB, clamped and rounded, k * 3.
    std::vector<uint8_t> palette;
    /// Fraction of the image's pixels in each cluster, k (sums to 1).
    std::vector<double> shares;
    /// Cluster of every pixel, width * height.
    std::vector<uint16_t> labels;
    /// Centroids before round 1 and after each round, (iterations + 1) * k * d.
    std::vector<float> history_centroids;
    std::vector<Round> rounds;
    double inertia = 0.0;
    int iterations = 0;
    bool converged = false;
    bool cancelled = false;
    /// Distinct colours in the image (colour-only clustering runs on these, weighted).
    size_t distinct_colours = 0;
    /// Wall time of the clustering, seconds.
    double seconds = 0.0;
    /// Anything the user should be told; empty when nothing.
    std::string note;
};

ClusterResult cluster_image(const Image& image, const ClusterParams& params, ThreadPool& pool,
                            Progress* progress);

/// The clustered image: every pixel in its cluster's palette colour, alpha kept. RGBA8.
std::vector<uint8_t> render_clustered(const ClusterResult& result, const Image& image);

} // namespace core
