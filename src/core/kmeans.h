// Weighted k-means (Lloyd's algorithm) with k-means++ or random initialisation, on flat float
// points: the engine under every kpix front end. See kmeans.cpp for how it works.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "progress.h"
#include "thread_pool.h"

namespace core {

/// grid: SLIC's lattice (kmeans_init_grid.h), laid by cluster() into given_centroids, as it needs
/// the image; colour-only runs fall back to k-means++.
enum class Init { kmeanspp, random, given, grid };

struct KMeansParams {
    /// Number of clusters, 1..kMaxK. Reduced (with a note) when the data has fewer distinct points.
    int k = 8;
    /// Maximum rounds of Lloyd's algorithm per run.
    int max_iter = 300;
    /// Stop when the summed squared centroid shift of a round is <= tol * mean per-axis variance
    /// of the data (scikit-learn's definition), or when no point changes cluster.
    double tol = 1e-4;
    /// Fixes the run: the same seed gives the same result on any thread count and build.
    uint64_t seed = 1;
    /// How the first centroids are chosen.
    Init init = Init::kmeanspp;
    /// With Init::given (and Init::grid, which cluster() fills): the starting centroids, k * d.
    std::vector<float> given_centroids;
    /// Independent runs (seeds derived from seed); the one with the lowest inertia is kept.
    int n_init = 1;

    // Test and benchmark knobs. Each shortcut is exact: the result is bit-identical either way,
    // so these exist only to check that, or to time the plain algorithm.

    /// Skip distance computations with Hamerly's bounds.
    bool bounds = true;
    /// Let k-means++ skip the trial distances the triangle inequality proves cannot lower a
    /// point's potential (the same chosen centres either way).
    bool seed_pruning = true;
    /// With large k, search only nearby centroids on a grid of the last two axes (the position
    /// in RGB+XY features), and lower each point's bound by the moves of nearby centroids only.
    bool grid = true;
    /// Lanes the distance kernel may use: 8 (AVX2, where the CPU has it) or 4 (SSE natively,
    /// SIMD128 in wasm).
    int max_lanes = 8;
};

constexpr int kMaxK = 4096;

/// One round of Lloyd's algorithm: the assignment to the previous centroids, then the update.
struct Round {
    /// Inertia of the assignment step (points against the centroids before the update).
    double inertia = 0.0;
    /// Weight (pixels) of the points whose cluster changed in the assignment step.
    double changed = 0.0;
    /// Points whose assignment needed the scan over all centroids (the rest were settled by
    /// bounds). In the first round: n, or 0 after k-means++ (its record of every point's
    /// nearest centre gives the first assignment).
    size_t scanned = 0;
    /// Seconds this round took.
    double seconds = 0.0;
};

/// What a k-means run found: KMeansResult's, and ClusterResult's (cluster.h) in the image's terms.
struct KMeansRun {
    /// Clusters actually used (k, or fewer when the data has fewer distinct points).
    int k = 0;
    /// Dimension of the points.
    int d = 0;
    /// Final centroids, k * d.
    std::vector<float> centroids;
    /// Cluster of every point, n.
    std::vector<uint16_t> labels;
    /// Sum over points of weight * squared distance to the assigned final centroid.
    double inertia = 0.0;
    /// Rounds run in the kept run.
    int iterations = 0;
    /// The kept run stopped by tol or by labels not changing, not by max_iter.
    bool converged = false;
    /// Stopped by Progress::cancel; the rest of the result is then not meaningful.
    bool cancelled = false;
    /// Centroids before round 1 and after every round of the kept run, (iterations + 1) * k * d.
    std::vector<float> history_centroids;
    /// One entry per round of the kept run.
    std::vector<Round> rounds;
    /// Anything the user should be told (k reduced, ...); empty when there is nothing to say.
    std::string note;
};

struct KMeansResult : KMeansRun {
    /// Total weight of every cluster, k.
    std::vector<double> weights;
    /// Lanes of the distance kernel the run's scans used (8 or 4; see kernel_lanes).
    int lanes = 0;
};

/// Clusters n points of dimension d (x: n * d) with weights w (n, all > 0; nullptr = all 1).
/// progress may be nullptr.
KMeansResult kmeans(const float* x, const double* w, size_t n, int d, const KMeansParams& params,
                    ThreadPool& pool, Progress* progress);

/// Squared distances of n points (x: n * d) to k centroids (c: k * d): index of the nearest
/// (lowest index on ties) into labels (n) and its squared distance into dist (n).
/// The scalar reference; NearestCentroids and assign_nearest give the same bits.
void assign_nearest_scalar(const float* x, size_t n, int d, const float* c, int k,
                           uint16_t* labels, float* dist);

/// assign_nearest_scalar's answer for many points against one set of centroids: built once,
/// then assign() may run on any number of threads at once. It runs the vector kernel (at most
/// max_lanes lanes) and, from k = 64 on, scans only the centroids near each point on a grid over
/// the position axes (or all three colour axes without position), as the Lloyd rounds do.
class NearestCentroids {
public:
    NearestCentroids(const float* c, int k, int d, int max_lanes = 8);
    ~NearestCentroids();
    NearestCentroids(const NearestCentroids&) = delete;
    NearestCentroids& operator=(const NearestCentroids&) = delete;

    void assign(const float* x, size_t n, uint16_t* labels, float* dist) const;

private:
    struct Search;
    std::unique_ptr<Search> search_;
};

/// NearestCentroids built for one call.
void assign_nearest(const float* x, size_t n, int d, const float* c, int k, uint16_t* labels,
                    float* dist, int max_lanes = 8);

/// Lanes of the distance kernel the engine uses when allowed max_lanes: 8 (AVX2, natively on CPUs
/// that have it, when max_lanes >= 8) or 4 (SSE natively, SIMD128 in wasm). Every choice gives
/// bit-identical results.
int kernel_lanes(int max_lanes = 8);

} // namespace core
