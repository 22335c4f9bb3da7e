// Clustering an image, the one entry point every front end and tool calls: working resolution,
// transparency, pixels to feature points (colour, optionally position), k-means, and the result in
// the image's terms (a label per pixel, a palette with shares, largest first).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "colour.h"
#include "image.h"
#include "kmeans.h"
#include "params.h"

namespace core {

/// Pixels whose alpha is below this are transparent: not clustered, transparent in the output.
constexpr uint8_t kAlphaThreshold = 128;

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
    /// Working resolution: an image of more pixels than this is clustered on an area-averaged
    /// copy of at most this many (downscale_area in work_resolution.h), and the final centroids
    /// are then applied to every pixel of the full image; 0 clusters the full image itself. The
    /// default and range are the parameter table's (params.h): kDefaultWorkPixels, 2 MP.
    size_t work_pixels = kDefaultWorkPixels;
    /// Given centres in the image's terms (the table's own, params.h).
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

/// Clusters the image's pixels, in these steps:
/// - working resolution: with more than params.work_pixels pixels (and work_pixels > 0), the
///   steps below run on downscale_area(image, work_pixels), and then every full-resolution pixel
///   is assigned to its nearest final centroid (with position, the full image's own coordinates,
///   which the feature scaling makes relative to its longest side, so both resolutions agree).
///   labels, shares, inertia and the size are then the full image's; rounds and history are those
///   of the working copy; the note says a copy was used.
/// - transparency: pixels with alpha < kAlphaThreshold take no part (shares and inertia count the
///   others) and are labelled with their colour's nearest cluster. With position features
///   (xy > 0) transparent pixels are clustered too, and the note says so.
/// - features and k-means: colour only runs on the image's distinct colours weighted by their
///   pixel counts, which gives exactly the result of clustering every pixel.
/// - clusters are ordered by share, largest first (ties by k-means' own order).
/// seconds covers every step. progress may be nullptr; with Progress::cancel set the result
/// comes back with cancelled and nothing else meaningful. k == 0 (with a note) when nothing could
/// be clustered (no pixels, every pixel transparent).
ClusterResult cluster(const Image& image, const ClusterParams& params, ThreadPool& pool,
                      Progress* progress);

/// The clustered image: every pixel in its cluster's palette colour, alpha kept. RGBA8.
std::vector<uint8_t> render_clustered(const ClusterResult& result, const Image& image);

} // namespace core
