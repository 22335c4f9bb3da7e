// Replaying k-means round by round: the label map of any recorded round is recomputed on demand
// (never stored per round) from the round's centroids and the view's features, on a core::Worker
// so that stepping and scrubbing never stall a frame. Where threads cannot start (the browser's
// single-threaded build) a request is answered at once on the calling thread: a view is at most
// 4 MP, a few tens of milliseconds.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "core/worker.h"

namespace app {

class RoundLabeler {
public:
    /// A new run to replay: features (n * d) of the view, centroids ((rounds + 1) * k * d).
    void reset(std::shared_ptr<const std::vector<float>> features,
               std::shared_ptr<const std::vector<float>> centroids, int k, int d);
    /// Labels of the assignment to centroid set j (0..rounds), if ready; otherwise asks for
    /// them (the latest request wins) and returns nullptr.
    std::shared_ptr<const std::vector<uint16_t>> labels(int j);

private:
    /// Labels of centroid set j for these features (empty when j is out of range).
    static std::shared_ptr<const std::vector<uint16_t>> compute(const std::vector<float>* features,
                                                               const std::vector<float>* centroids,
                                                               int j, int k, int d);
    /// The cached labels of centroid set j, or nullptr; the lock must be held.
    std::shared_ptr<const std::vector<uint16_t>> cached_locked(int j) const;
    void remember(int j, std::shared_ptr<const std::vector<uint16_t>> labels);

    /// Guards everything below but the worker.
    std::mutex m_mutex;
    /// Counts reset()s: a result computed for an older run is dropped.
    uint64_t m_generation = 0;
    std::shared_ptr<const std::vector<float>> m_features;
    std::shared_ptr<const std::vector<float>> m_centroids;
    int m_k = 0;
    int m_d = 0;
    /// The centroid set asked for and not yet computed, or -1.
    int m_wanted = -1;
    /// Small cache: the most recently computed centroid sets.
    struct Entry {
        int j;
        std::shared_ptr<const std::vector<uint16_t>> labels;
    };
    std::vector<Entry> m_cache;
    /// Last, so that its thread stops before the rest goes.
    core::Worker m_worker;
};

} // namespace app
