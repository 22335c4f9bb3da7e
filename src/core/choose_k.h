// Choosing k: cluster one image at every k of a range and score each k by the elbow of the
// inertia curve, the mean silhouette and the gap statistic, each suggesting a k.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cluster.h"
#include "image.h"
#include "progress.h"
#include "thread_pool.h"

namespace core {

/// Most k values one sweep runs.
constexpr int kMaxSweep = 64;

struct ChooseKOptions {
    /// Pixels sampled (uniformly, without replacement, seeded with the params' seed) for the
    /// silhouette and the gap statistic; all pixels when the image has fewer.
    int sample = 5000;
    /// Compute the mean silhouette of every k.
    bool silhouette = true;
    /// Compute the gap statistic of every k.
    bool gap = true;
    /// Reference data sets of the gap statistic (B).
    int gap_refs = 5;
};

struct SweepPoint {
    int k = 0;
    /// Clusters actually used (fewer than k when the image has fewer distinct colours).
    int k_used = 0;
    /// Inertia of the clustering of the whole image.
    double inertia = 0.0;
    int iterations = 0;
    /// Seconds of the clustering (not of the scores).
    double seconds = 0.0;
    /// Mean silhouette over the sample; 0 when not computed.
    double silhouette = 0.0;
    /// Gap(k) = mean log W*_k - log W_k over the sample, and s_k = sd_k * sqrt(1 + 1/B).
    double gap = 0.0;
    double gap_sd = 0.0;
};

struct SweepResult {
    std::vector<SweepPoint> points;
    /// Suggested k per metric; 0 when the metric was not computed.
    int elbow = 0;
    int silhouette = 0;
    int gap = 0;
    bool cancelled = false;
    /// Why there are no points when not cancelled (bad range, every pixel transparent).
    std::string note;
};

/// Clusters the image with params (its space, seed, init...) at every k in [k_lo, k_hi]
/// (2 <= k_lo <= k_hi, at most kMaxSweep values) and scores each k. progress may be nullptr;
/// its fraction runs over the whole sweep, its cancel is seen between clusterings and scores.
/// As cluster() does, colour-only sweeps leave out pixels with alpha < kAlphaThreshold.
/// params.work_pixels is not used: every k clusters the image itself, whose labels the sample reads.
SweepResult sweep_k(const Image& image, const ClusterParams& params, int k_lo, int k_hi,
                    const ChooseKOptions& options, ThreadPool& pool, Progress* progress);

/// Kneedle's knee of a decreasing curve (ks ascending, values n): the k whose normalised value lies
/// furthest below the chord from the first to the last point. ks[0] when n < 3.
int elbow_k(const std::vector<int>& ks, const std::vector<double>& values);

/// Mean silhouette of n points (x: n * d, Euclidean distances) with labels (n, < k). A point
/// alone in its cluster scores 0 (Rousseeuw's convention); 0 when fewer than 2 clusters are used.
double mean_silhouette(const float* x, const uint16_t* labels, size_t n, int d, int k,
                       ThreadPool& pool);

/// Tibshirani's W_k: the summed squared distances of the points (x: n * d) to the mean of
/// their cluster (labels n, < k).
double within_dispersion(const float* x, const uint16_t* labels, size_t n, int d, int k);

/// The gap rule: the smallest ks[i] with gap[i] >= gap[i + 1] - sd[i + 1]; the last k if none.
int gap_k(const std::vector<int>& ks, const std::vector<double>& gap,
          const std::vector<double>& sd);

} // namespace core
