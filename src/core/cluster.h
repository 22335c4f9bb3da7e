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

/// The k-means run (KMeansRun) in the image's terms: k is the clusters used (fewer than asked
/// when the image has fewer distinct colours); d the feature dimension, 3 for colour only, 5 with
/// position; centroids in the working space, clusters ordered by share, largest first; labels the
/// cluster of every pixel, width * height; inertia over the image's pixels.
struct ClusterResult : KMeansRun {
    int width = 0;
    int height = 0;
    /// The size of the image the rounds ran on (rounds, iterations, history and their inertia):
    /// a working copy's when cluster() used one, else width x height.
    int rounds_width = 0;
    int rounds_height = 0;
    /// The rounds ran on a working copy smaller than the image.
    bool rounds_on_copy() const
    {
        return rounds_width > 0 && (rounds_width != width || rounds_height != height);
    }
    /// Each cluster's colour (its centroid's colour part) back in sRGB, clamped and rounded, k * 3.
    std::vector<uint8_t> palette;
    /// Fraction of the image's pixels in each cluster, k (sums to 1).
    std::vector<double> shares;
    /// Distinct colours in the image (colour-only clustering runs on these, weighted).
    size_t distinct_colours = 0;
    /// Wall time of the clustering, seconds.
    double seconds = 0.0;
};

/// One clustering at one k, as the tools that cluster an image at several k report it
/// (SweepPoint in choose_k.h, GridTile in k_gallery.h).
struct KSummary {
    int k = 0;
    /// Clusters used (fewer than k when the image has fewer distinct colours).
    int k_used = 0;
    /// Inertia of the clustering (of the image the tool clustered).
    double inertia = 0.0;
    int iterations = 0;
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

/// The params of one run at k for the tools that cluster one image at several k (the sweep, the
/// k-grid, the init gallery): k set, a clicked-seeds init replaced by k-means++ (the seeds are for
/// one k only), and work_pixels 0 (the image the tool hands in is what is clustered).
ClusterParams params_at_k(const ClusterParams& params, int k);

/// The clustered image: every pixel in its cluster's palette colour, alpha kept. RGBA8.
std::vector<uint8_t> render_clustered(const ClusterResult& result, const Image& image);

} // namespace core
