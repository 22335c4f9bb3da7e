// Turning a clustering into pictures: any round re-rendered from the recorded centroids, the
// palette applied with or without Floyd-Steinberg dithering, and transparent pixels (left out of
// the clustering by cluster()) kept transparent in the output.
#pragma once

#include <cstdint>
#include <vector>

#include "cluster.h"

namespace core {

/// Rounds that can be rendered: the starting centroids (round 0) and one per Lloyd round.
inline int round_count(const ClusterResult& result) { return result.iterations + 1; }

/// The palette (k * 3, sRGB) of round r (0..iterations): the centroids recorded then, rounded.
std::vector<uint8_t> round_palette(const ClusterResult& result, const ClusterParams& params, int round);

/// Every pixel's nearest centroid of round r, computed on demand from history_centroids with
/// assign_nearest (label maps are never stored per round). The last round gives result.labels.
/// params must be the ones the result was clustered with (rgb space).
std::vector<uint16_t> round_labels(const ClusterResult& result, const Image& image,
                                   const ClusterParams& params, int round, ThreadPool& pool);

/// Floyd-Steinberg error diffusion of the image onto a palette (k * 3, sRGB): every pixel takes
/// the nearest palette colour to its value plus the error carried from its neighbours, in sRGB.
/// Transparent pixels (alpha < alpha_threshold) neither take nor pass on error; they get label 0.
std::vector<uint16_t> dither_floyd_steinberg(const Image& image, const uint8_t* palette, int k,
                                             uint8_t alpha_threshold = kAlphaThreshold);

/// RGBA8 output: each pixel in its label's palette colour, opaque; pixels with
/// alpha < alpha_threshold become (0, 0, 0, 0), so that the indexed PNG can say the same.
std::vector<uint8_t> render_palette(const Image& image, const uint16_t* labels,
                                    const uint8_t* palette,
                                    uint8_t alpha_threshold = kAlphaThreshold);

/// Whether any pixel has alpha < alpha_threshold.
bool has_transparent(const Image& image, uint8_t alpha_threshold = kAlphaThreshold);

} // namespace core
